// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Program-wide registry of the peering resources a program declares, for the graph-wide preview checks
// (duplicate VPC pairs, overlapping routes in one VPC, route quota, a VPC peered with two overlapping VPCs,
// transitive routing). Per-resource rules run in each provider's `check`; this module adds what only the
// whole program can see, with the same pure rule functions (provider/constraints/rules.ts).
//
// How it reaches the engine: every resource gets a `__graphCheck` input that resolves once the program's
// declarations have settled. It carries the graph-wide violations for that resource; the provider's
// `check` turns them into check failures, so `pulumi preview` fails on the resource, with its name, before
// anything is created. Deferred checks and suppressed rules are printed as warnings on the resource.
//
// Deadlock freedom: a fact that would only be known after one of our own (gated) resources registers —
// e.g. `vpc.id` of a new VPC — is treated as unknown right away instead of awaited; `vpc.cidr`/`region`/
// `account` outputs are mapped back to the VPC's args. Anything else unresolved after a quiet period
// (VPCPEERING_GRAPH_QUIET_MS, default 400 ms) is unknown (deferred, said out loud).

import * as pulumi from "@pulumi/pulumi";
import {
    AccepterFacts,
    applySuppressions,
    checkProgram,
    PeeringFacts,
    RouteFacts,
    Suppression,
    Violation,
    VpcFacts,
} from "../provider/constraints/rules";
import { GraphCheckPayload } from "../provider/constraints/graphCheck";

/** {@link DeclarationKind} names the resource kinds the graph checks know about. */
export type DeclarationKind = "Vpc" | "PeeringConnection" | "PeeringAccepter" | "Route";

/**
 * Which declared kind a rule's first named resource is. Every violation is delivered to its subject; the
 * providers' `check` re-runs the per-resource rules on what it can see and drops duplicates by message.
 */
function subjectKind(v: Violation): DeclarationKind {
    if (v.rule.startsWith("peering-")) return "PeeringConnection";
    if (v.rule === "route-quota" || v.rule.startsWith("mesh-") || v.rule.startsWith("vpc-")) return "Vpc";
    if (v.rule.startsWith("route-")) return "Route";
    if (v.rule.startsWith("accepter-")) return "PeeringAccepter";
    return v.property === "destination" ? "Route" : "Vpc";
}

type Known<T> = { known: true; value: T } | { known: false };

interface Entry {
    readonly kind: DeclarationKind;
    readonly name: string;
    readonly args: Record<string, unknown>;
    resource?: pulumi.Resource;
    facts?: Promise<void>;
    vpc?: VpcFacts;
    peering?: PeeringFacts;
    route?: RouteFacts;
    accepter?: AccepterFacts;
    suppressions?: Suppression[];
    resolveGate: (payload: string) => void;
}

/** {@link Declared} is what {@link declare} gives a resource class: its gate input and a hook to attach itself. */
export interface Declared {
    /** Pass as the `__graphCheck` input. */
    readonly graphCheck: pulumi.Output<string>;
    /** Call right after `super(...)` so the registry can map the resource's outputs back to its args. */
    attach(resource: pulumi.Resource): void;
}

const byResource = new WeakMap<pulumi.Resource, Entry>();
const origins = new WeakMap<object, { entry: Entry; field: string }>();
let round: Entry[] = [];
let all: Entry[] = [];
let quietTimer: NodeJS.Timeout | undefined;

function enabled(): boolean {
    // VPCPEERING_CHECKS=off turns every constraint check off (benchmarks only); _GRAPH_CHECKS only this part.
    const off = (v: string | undefined) => (v ?? "on").toLowerCase() === "off";
    return !off(process.env.VPCPEERING_CHECKS) && !off(process.env.VPCPEERING_GRAPH_CHECKS);
}

function quietMs(): number {
    const n = Number(process.env.VPCPEERING_GRAPH_QUIET_MS);
    return Number.isFinite(n) && n >= 0 ? n : 400;
}

/**
 * {@link declare} records a resource declared by the program and returns its `__graphCheck` gate. The gate
 * resolves when the program's declarations settle, to `"ok"` or to a JSON {@link GraphCheckPayload}.
 */
export function declare(kind: DeclarationKind, name: string, args: unknown): Declared {
    if (!enabled()) {
        return { graphCheck: pulumi.output("off"), attach: () => undefined };
    }
    let resolveGate!: (payload: string) => void;
    const gate = new Promise<string>((resolve) => (resolveGate = resolve));
    const entry: Entry = { kind, name, args: (args ?? {}) as Record<string, unknown>, resolveGate };
    round.push(entry);
    all.push(entry);
    // Facts are resolved on a later turn, once the resource has attached itself.
    entry.facts = Promise.resolve()
        .then(() => resolveFacts(entry))
        .catch(() => undefined)
        .then(() => poke());
    poke();
    return {
        graphCheck: pulumi.output(gate),
        attach(resource: pulumi.Resource) {
            entry.resource = resource;
            byResource.set(resource, entry);
            const r = resource as unknown as Record<string, unknown>;
            for (const field of ["cidr", "region", "account", "id", "vpcId", "peeringConnectionId"]) {
                const o = r[field];
                if (o && typeof o === "object") origins.set(o, { entry, field });
            }
        },
    };
}

function poke(): void {
    if (quietTimer) clearTimeout(quietTimer);
    const pending = round;
    if (pending.length === 0) return;
    quietTimer = setTimeout(() => settle(pending), quietMs());
    // Settle early when every fact of the round is resolved.
    Promise.all(pending.map((e) => e.facts)).then(() => {
        if (round === pending) setImmediate(() => round === pending && settle(pending));
    });
}

function isOutput(x: unknown): x is pulumi.Output<unknown> {
    return pulumi.Output.isInstance(x);
}

async function resolveInput<T>(x: unknown, gated: boolean = true): Promise<Known<T>> {
    if (x === undefined || x === null) return { known: false };
    if (isOutput(x)) {
        const origin = origins.get(x);
        if (origin) {
            if (origin.field === "id" || origin.field === "vpcId" || origin.field === "peeringConnectionId")
                return { known: false };
            return resolveInput<T>(origin.entry.args[origin.field], gated);
        }
        const deps = (x as unknown as { resources(): Set<pulumi.Resource> }).resources?.() ?? new Set();
        for (const r of deps) if (gated && byResource.has(r)) return { known: false };
        const out = x as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
        const [known, value] = await Promise.all([out.isKnown, out.promise()]);
        return known && value !== undefined ? { known: true, value } : { known: false };
    }
    if (x instanceof Promise) return resolveInput<T>(await x, gated);
    if (typeof x === "string" && x === pulumi.runtime.unknownValue) return { known: false };
    return { known: true, value: x as T };
}

async function str(x: unknown): Promise<string | undefined> {
    const r = await resolveInput<unknown>(x);
    return r.known && typeof r.value === "string" ? r.value : undefined;
}

function entryOf(x: unknown, kind: DeclarationKind): Entry | undefined {
    if (x && typeof x === "object") {
        const e = byResource.get(x as pulumi.Resource);
        if (e && e.kind === kind) return e;
    }
    return undefined;
}

async function vpcFactsFrom(
    obj: unknown,
    id: unknown,
    extra: { region?: unknown; account?: unknown; projectId?: unknown },
): Promise<VpcFacts> {
    const e = entryOf(obj, "Vpc");
    if (e) {
        await e.facts;
        if (e.vpc) return e.vpc;
    }
    const vpcId = await str(id);
    return {
        name: vpcId ? `vpc ${vpcId}` : "a VPC outside the program",
        id: vpcId,
        region: await str(extra.region),
        account: await str(extra.account),
        projectId: await str(extra.projectId),
    };
}

async function suppressionsOf(args: Record<string, unknown>): Promise<Suppression[]> {
    const r = await resolveInput<unknown>(args.suppressRules, false);
    if (!r.known || !Array.isArray(r.value)) return [];
    return r.value.filter(
        (s): s is Suppression => !!s && typeof s === "object" && typeof (s as Suppression).rule === "string",
    );
}

async function resolveFacts(e: Entry): Promise<void> {
    const a = e.args;
    e.suppressions = await suppressionsOf(a);
    switch (e.kind) {
        case "Vpc":
            e.vpc = {
                name: e.name,
                cidr: await str(a.cidr),
                region: await str(a.region),
                account: await str(a.account),
            };
            return;
        case "PeeringConnection": {
            const requester = await vpcFactsFrom(a.requesterVpc, a.requesterVpcId, {
                region: a.region,
                account: a.account,
            });
            const accepter = await vpcFactsFrom(a.accepterVpc, a.accepterVpcId, {
                region: a.region ?? requester.region,
                account: a.peerAccount,
                projectId: a.peerProjectId,
            });
            e.peering = { name: e.name, requester, accepter, peerProjectId: await str(a.peerProjectId) };
            return;
        }
        case "PeeringAccepter": {
            const pe = entryOf(a.peeringConnection, "PeeringConnection");
            if (pe) await pe.facts;
            const peering = pe?.peering;
            if (peering) e.accepter = { name: e.name, account: await str(a.account), peering };
            return;
        }
        case "Route": {
            // A route may name the peering or the accepter of a cross-account peering.
            const pe =
                entryOf(a.peeringConnection, "PeeringConnection") ??
                entryOf(entryOf(a.peeringConnection, "PeeringAccepter")?.args.peeringConnection, "PeeringConnection");
            if (pe) await pe.facts;
            const vpc = await vpcFactsFrom(a.vpc, a.vpcId, { region: a.region, account: a.account });
            const peering: PeeringFacts = pe?.peering ?? {
                name: (await str(a.peeringConnectionId))
                    ? `peering ${await str(a.peeringConnectionId)}`
                    : "a peering outside the program",
                requester: { name: "unknown requester" },
                accepter: { name: "unknown accepter" },
            };
            e.route = { name: e.name, vpc, destination: await str(a.destination), peering };
            return;
        }
    }
}

function settle(pending: Entry[]): void {
    if (round !== pending) return;
    round = [];
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = undefined;
    const outcome = checkProgram({
        vpcs: all.flatMap((e) => (e.vpc ? [e.vpc] : [])),
        peerings: all.flatMap((e) => (e.peering ? [e.peering] : [])),
        routes: all.flatMap((e) => (e.route ? [e.route] : [])),
        accepters: all.flatMap((e) => (e.accepter ? [e.accepter] : [])),
    });
    // Index the round once: the first entry of each kind/name (and of each name, for deferred checks), and each
    // peering's accepter, instead of scanning the entries for every violation.
    const byKindName = new Map<string, Entry>();
    const byName = new Map<string, Entry>();
    for (const e of pending) {
        if (!byKindName.has(`${e.kind}/${e.name}`)) byKindName.set(`${e.kind}/${e.name}`, e);
        if (!byName.has(e.name)) byName.set(e.name, e);
    }
    const accepterOf = new Map<unknown, string>();
    for (const x of all) {
        if (x.kind === "PeeringAccepter" && !accepterOf.has(x.args.peeringConnection)) {
            accepterOf.set(x.args.peeringConnection, x.name);
        }
    }
    const perEntry = new Map<Entry, Violation[]>();
    for (const v of outcome.violations) {
        const e = byKindName.get(`${subjectKind(v)}/${v.resources[0]}`);
        if (!e) continue;
        const list = perEntry.get(e);
        if (list) list.push(v);
        else perEntry.set(e, [v]);
    }
    for (const e of pending) {
        const checked = applySuppressions({ violations: perEntry.get(e) ?? [], deferred: [] }, e.suppressions);
        for (const s of checked.suppressed ?? []) {
            pulumi.log.warn(`${s.message} — suppressed on ${e.kind} "${e.name}": ${s.reason}`, e.resource);
        }
        const suppressed = (checked.suppressed ?? []).map((v) => v.message);
        const acceptedBy = e.kind === "PeeringConnection" && e.resource ? accepterOf.get(e.resource) : undefined;
        const payload: GraphCheckPayload = {
            violations: checked.violations.map((v) => ({ rule: v.rule, property: v.property, message: v.message })),
            ...(suppressed.length ? { suppressed } : {}),
            ...(acceptedBy !== undefined ? { acceptedBy } : {}),
        };
        const plain = !payload.violations.length && !suppressed.length && acceptedBy === undefined;
        e.resolveGate(plain ? "ok" : JSON.stringify(payload));
    }
    const warned = new Set<string>();
    for (const d of outcome.deferred) {
        const e = byName.get(d.resources[0]!);
        if (!e || warned.has(`${e.kind}/${e.name}/${d.rule}`)) continue;
        warned.add(`${e.kind}/${e.name}/${d.rule}`);
        pulumi.log.warn(
            `${e.kind} "${e.name}": ${d.reason}; the check runs again in the provider at apply time`,
            e.resource,
        );
    }
}

/** @internal Resets the registry (tests only). */
export function resetGraphForTests(): void {
    round = [];
    all = [];
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = undefined;
}
