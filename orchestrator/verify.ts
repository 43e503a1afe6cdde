// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// `peering-stacks verify`: after apply, prove that every peering carries traffic and catch drift across accounts.
// With a plan: the stacks' states (exportStack) say what is managed; the API is read with each account's own
// credentials, read-only; the pure analysis (core/reachability.ts) says per peering and direction
// whether traffic flows, and ./verifyDrift.ts what changed outside Pulumi and which commands reconcile it. Without a
// plan: the same analysis for a list of VPC ids, over every peering that touches them.

import * as path from "node:path";

import { analyzeReachability, LivePeering, PathResult, ReachFinding } from "../core/reachability";
import type { Plan } from "./plan";
import { reverseDeps, dependencyMap } from "./plan";
import type { Topology } from "./reportTopology";
import type { Orchestrator } from "./runner";
import { buildInventory, DriftItem, findDrift, Inventory, reconcileStacks, StackState } from "./verifyDrift";
import { LiveRead, readLive, readOnlyAccounts } from "./verifyLive";
import { liveTopology } from "./verifyReport";

/** The findings a `refresh` + `up` of the drifted stacks can fix. */
const RECONCILABLE: readonly string[] = [
    "route-missing",
    "peering-not-active",
    "route-outside-peer-vpc",
    "route-blackhole",
];

/** The region used when nothing says otherwise (the examples' default). */
const DEFAULT_REGION = "ap-southeast-1";

/** {@link VerifyOptions} says what to verify: a plan's stacks (with an orchestrator to read their states), or VPC ids. */
export interface VerifyOptions {
    readonly plan?: Plan;
    /** Reads the stacks' states; required with `plan`. */
    readonly orchestrator?: Orchestrator;
    /** Only these plan stacks (default: all). */
    readonly stacks?: readonly string[];
    /** More VPCs to verify (all the peerings that touch them), or the only ones without a plan. */
    readonly vpcIds?: readonly string[];
    /** The accounts file whose profiles read the API. @default plan's, else $VPCPEERING_ACCOUNTS_FILE */
    readonly accountsFile?: string;
    /** Region of VPCs whose region no state records. @default $VPCPEERING_REGION, else ap-southeast-1 */
    readonly region?: string;
    /** Environment for endpoints and retry settings. @default process.env over the plan's env */
    readonly env?: NodeJS.ProcessEnv;
    /** What "now" is for expiry. @default the current time */
    readonly now?: Date;
}

/** {@link VerifyFinding} is a reachability finding with who is concerned and how to fix it. */
export interface VerifyFinding extends ReachFinding {
    /** Account profiles owning the VPCs concerned. */
    readonly accounts: readonly string[];
    /** Plan stacks managing the peering, VPCs or routes concerned. */
    readonly stacks: readonly string[];
    /** The command that reconciles it, when running the plan again does. */
    readonly command?: string;
}

/** {@link VerifyPath} is one direction of one peering, with names for the report. */
export interface VerifyPath extends PathResult {
    readonly fromName: string;
    readonly toName: string;
    readonly fromAccount?: string;
    readonly toAccount?: string;
    /** The stack that manages the peering (the requester's, else the accepter's). */
    readonly stack?: string;
}

/** {@link VerifyReport} is the result of `verify`; the JSON output is exactly this. */
export interface VerifyReport {
    readonly schema: "pulumi-vpc-peering/verify-report@1";
    readonly plan?: string;
    readonly generatedAt: string;
    /**
     * False when a path is broken (an error finding), an object was deleted or changed outside Pulumi, or a read
     * failed (something stayed unverified).
     */
    readonly ok: boolean;
    readonly totals: Readonly<
        Record<
            "peerings" | "paths" | "flowing" | "pending" | "broken" | "unknown" | "errors" | "warnings" | "drift",
            number
        >
    >;
    readonly paths: readonly VerifyPath[];
    readonly findings: readonly VerifyFinding[];
    readonly drift: readonly DriftItem[];
    /** Commands to run, in order, to reconcile the deleted and changed objects. */
    readonly commands: readonly string[];
    /** Stacks not deployed, accounts that could not be used, reads that failed. */
    readonly notes: readonly string[];
    readonly topology: Topology;
    /** GET requests made (verify never writes). */
    readonly requests: number;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** The stacks downstream of a stack in the plan (for reconcile commands and "affects"). */
function downstreamOf(plan: Plan | undefined): (stack: string) => string[] {
    if (!plan) return () => [];
    const rev = reverseDeps(dependencyMap(plan));
    return (stack) => {
        const seen = new Set<string>();
        const walk = (n: string) => {
            for (const d of rev.get(n) ?? []) {
                if (!seen.has(d)) {
                    seen.add(d);
                    walk(d);
                }
            }
        };
        walk(stack);
        return plan.stacks.map((s) => s.name).filter((n) => seen.has(n));
    };
}

/** {@link reconcileCommands} are the `refresh` then `up` commands for some stacks of a plan. */
export function reconcileCommands(planFile: string | undefined, stacks: readonly string[]): string[] {
    if (!stacks.length) return [];
    const plan = planFile ? ` --plan ${planFile}` : "";
    const only = stacks.map((s) => ` --stack ${s}`).join("");
    return [`peering-stacks refresh${plan}${only}`, `peering-stacks up${plan}${only}`];
}

/**
 * {@link verify} reads the live state read-only and reports, per peering and direction, whether traffic flows, what
 * breaks it, and (with a plan) what drifted from the stacks' states and how to reconcile it.
 */
export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
    const plan = opts.plan;
    const env: NodeJS.ProcessEnv = opts.env ?? { ...process.env, ...(plan?.env ?? {}) };
    const notes: string[] = [];
    const states: StackState[] = [];
    if (plan) {
        if (!opts.orchestrator) throw new Error("verify with a plan needs an orchestrator to read the stacks' states");
        const names = opts.stacks?.length ? opts.stacks : plan.stacks.map((s) => s.name);
        for (const name of names) {
            const resources = await opts.orchestrator.exportedResources(name);
            if (resources === undefined) notes.push(`stack ${name} is not deployed: nothing of it to verify`);
            else states.push({ stack: name, resources });
        }
    }
    const inv = buildInventory(states);
    const accountsFile = opts.accountsFile ?? plan?.accountsFile ?? env.VPCPEERING_ACCOUNTS_FILE;
    if (!accountsFile) {
        throw new Error(
            "verify needs an accounts file (--accounts-file, the plan's accountsFile or VPCPEERING_ACCOUNTS_FILE)",
        );
    }
    const defaultRegion = opts.region ?? env.VPCPEERING_REGION ?? DEFAULT_REGION;
    const regionOf = new Map<string, string>();
    for (const o of inv.objects) {
        if (!o.region) continue;
        for (const id of [o.id, o.outputs.vpcId, o.outputs.requesterVpcId, o.outputs.accepterVpcId]) {
            if (str(id) && !regionOf.has(id as string)) regionOf.set(id as string, o.region);
        }
    }
    const vpcIds = [...new Set([...inv.vpcOwners.keys(), ...(opts.vpcIds ?? [])])];
    const byRegion = new Map<string, string[]>();
    for (const id of vpcIds) {
        const r = regionOf.get(id) ?? defaultRegion;
        byRegion.set(r, [...(byRegion.get(r) ?? []), id]);
    }

    const parts: LiveRead[] = [];
    for (const [region, ids] of byRegion) {
        const { accounts, skipped } = readOnlyAccounts({ accountsFile, region, env });
        for (const s of skipped) notes.push(`account ${s} (region ${region}): not used`);
        const owners = new Map<string, string>();
        for (const [id, a] of inv.vpcOwners) if (a && ids.includes(id)) owners.set(id, a);
        parts.push(
            await readLive({
                accounts,
                vpcIds: ids,
                owners,
                peeringIds: inv.objects
                    .filter(
                        (o) => (o.kind === "PeeringConnection" || o.kind === "PeeringAccepter") && o.region === region,
                    )
                    .map((o) => o.id),
            }),
        );
    }
    const live: LiveRead = {
        vpcs: parts.flatMap((p) => p.vpcs),
        peerings: parts.flatMap((p) => p.peerings),
        routes: parts.flatMap((p) => p.routes),
        notFound: parts.flatMap((p) => p.notFound),
        routesListed: parts.flatMap((p) => p.routesListed),
        problems: parts.flatMap((p) => p.problems),
        requests: parts.reduce((n, p) => n + p.requests, 0),
    };
    notes.push(...live.problems);
    for (const id of opts.vpcIds ?? []) {
        if (live.notFound.includes(id))
            notes.push(`VPC ${id}: not found with any account of ${path.basename(accountsFile)}`);
    }

    // A managed peering the API no longer knows is still checked: as DELETED (its routes are blackholes, if any).
    // One that could not be read is unknown: it is left out, and the notes say why.
    const gone: LivePeering[] = [];
    for (const id of inv.peeringIds) {
        if (live.peerings.some((p) => p.id === id) || !live.notFound.includes(id)) continue;
        const o = inv.objects.find(
            (x) => x.id === id && (x.kind === "PeeringConnection" || x.kind === "PeeringAccepter"),
        )!;
        gone.push({
            id,
            name: str(o.outputs.name) ?? str(o.outputs.peeringName) ?? o.resource,
            status: "DELETED",
            requesterVpcId: str(o.outputs.requesterVpcId) ?? "?",
            accepterVpcId: str(o.outputs.accepterVpcId) ?? "?",
        });
    }
    const world = { vpcs: live.vpcs, peerings: [...live.peerings, ...gone], routes: live.routes };
    const vpcSet = new Set(vpcIds);
    const checked = plan
        ? inv.peeringIds.filter((id) => world.peerings.some((p) => p.id === id))
        : world.peerings
              .filter((p) => p.status === "ACTIVE" || p.status === "PENDING_ACCEPTANCE")
              .filter((p) => vpcSet.has(p.requesterVpcId) || vpcSet.has(p.accepterVpcId))
              .map((p) => p.id);
    const analysis = analyzeReachability(world, { checked, now: opts.now });

    const downstream = downstreamOf(plan);
    const drift = plan
        ? findDrift(inv, { ...world, notFound: live.notFound, routesListed: live.routesListed }, { downstream })
        : [];
    const planFile = plan?.file ? path.relative(process.cwd(), plan.file) || plan.file : undefined;
    const toReconcile = plan
        ? reconcileStacks(
              drift,
              { downstream },
              plan.stacks.map((s) => s.name),
          )
        : [];
    const commands = reconcileCommands(planFile, toReconcile);

    const vpcById = new Map(world.vpcs.map((v) => [v.id, v]));
    const stacksOf = (ids: readonly string[]) =>
        [
            ...new Set(
                inv.objects
                    .filter(
                        (o) =>
                            ids.includes(o.id) ||
                            (o.kind === "Route" && ids.includes(str(o.outputs.vpcId) ?? "")) ||
                            (o.kind === "Vpc" && ids.includes(o.id)),
                    )
                    .map((o) => o.stack),
            ),
        ].sort();
    const findings: VerifyFinding[] = analysis.findings.map((f) => {
        const ids = [...(f.peering ? [f.peering] : []), ...f.routes, ...(f.rule === "route-missing" ? [] : f.vpcs)];
        const stacks = stacksOf(f.rule === "route-missing" ? [...ids, f.vpcs[0]] : ids);
        const accounts = [...new Set(f.vpcs.map((v) => vpcById.get(v)?.account).filter((a): a is string => !!a))];
        // Running the plan again fixes what drifted away from it (a deleted route, a gone peering, a moved CIDR),
        // not what was added beside it (a shadowing route): that finding's own fix says what to delete.
        const reconciles = RECONCILABLE.includes(f.rule) && stacks.some((s) => toReconcile.includes(s));
        return { ...f, accounts, stacks, command: reconciles ? commands.join(" && ") : undefined };
    });
    const peeringStack = (id: string) =>
        inv.objects.find((o) => o.id === id && o.kind === "PeeringConnection")?.stack ??
        inv.objects.find((o) => o.id === id && o.kind === "PeeringAccepter")?.stack;
    const paths: VerifyPath[] = analysis.paths.map((p) => ({
        ...p,
        fromName: vpcById.get(p.from)?.name ?? p.from,
        toName: vpcById.get(p.to)?.name ?? p.to,
        fromAccount: vpcById.get(p.from)?.account,
        toAccount: vpcById.get(p.to)?.account,
        stack: peeringStack(p.peering),
    }));
    const errors = findings.filter((f) => f.severity === "error").length;
    const driftBreaks = drift.some((d) => d.kind !== "added");
    return {
        schema: "pulumi-vpc-peering/verify-report@1",
        plan: plan?.name,
        generatedAt: (opts.now ?? new Date()).toISOString(),
        // A read that failed leaves something unverified: that is not a pass.
        ok: errors === 0 && !driftBreaks && live.problems.length === 0,
        totals: {
            peerings: checked.length,
            paths: paths.length,
            flowing: paths.filter((p) => p.state === "flows").length,
            pending: paths.filter((p) => p.state === "pending").length,
            broken: paths.filter((p) => p.state === "blocked" || p.state === "partial").length,
            unknown: paths.filter((p) => p.state === "unknown").length,
            errors,
            warnings: findings.length - errors,
            drift: drift.length,
        },
        paths,
        findings,
        drift,
        commands,
        notes,
        topology: liveTopology(world, inv, drift, checked),
        requests: live.requests,
    };
}

export type { Inventory };
