// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The topology of the PR preview report: the VPCs, peerings and routes the previews describe, across stacks —
// deployed, planned, external to the previewed stacks, or failing a check. Pure: it reads recorded preview results.
// Drawn by reportMermaid.ts (Mermaid) and topologySvg.ts (SVG).

import type { ResourceView } from "./events";
import { UNKNOWN } from "./events";
import { type CheckRecord, isPlaceholder, parsePlaceholder } from "../core/checkReport";
import type { StackPreviewResult } from "./runner";

/** {@link TopoVpc} is a VPC node of the topology. */
export interface TopoVpc {
    readonly key: string;
    readonly name: string;
    readonly stack?: string;
    readonly account?: string;
    readonly cidr?: string;
    readonly id?: string;
    /**
     * The planned operation (`same` for unchanged, `external` for a VPC outside the previewed stacks, `failing` for
     * one a constraint failure names or that a failed stack would have created).
     */
    readonly op: string;
}

/** {@link TopoPeering} is a peering edge. */
export interface TopoPeering {
    readonly key: string;
    readonly name: string;
    readonly stack: string;
    readonly from: string;
    readonly to: string;
    readonly id?: string;
    /**
     * `ACTIVE`, `PENDING_ACCEPTANCE`, … for a deployed peering; `new` for one this change creates; `failing` for one
     * a constraint failure names or a failed stack would create.
     */
    readonly status: string;
    readonly op: string;
    readonly acceptedBy?: string;
}

/** {@link TopoRoute} is a route of one VPC through a peering. */
export interface TopoRoute {
    readonly key: string;
    readonly name: string;
    readonly stack: string;
    readonly vpc: string;
    readonly destination?: string;
    readonly peering?: string;
    /** The VPC at the other end of the peering, when known. */
    readonly to?: string;
    readonly op: string;
}

/** {@link Topology} is the peering graph the previews describe. */
export interface Topology {
    readonly vpcs: readonly TopoVpc[];
    readonly peerings: readonly TopoPeering[];
    readonly routes: readonly TopoRoute[];
}

/** {@link known} is a recorded value that is a known, non-empty string (not unknown, not a placeholder), else `undefined`. */
export function known(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && v !== UNKNOWN && !isPlaceholder(v) ? v : undefined;
}

/** {@link obj} is a recorded value as an object (`{}` when it is not one). */
export function obj(v: unknown): Record<string, unknown> {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * {@link withProgramFacts} is the resources one stack's preview recorded, their inputs completed from the program's
 * facts (its check report): a resource sends the facts its program's checks carry once, in `__checks`, not again in
 * its facts inputs, and in a preview the ids that would join them are unknown — names, CIDRs and accounts come from
 * the facts; a recorded input that is known wins.
 */
export function withProgramFacts(
    s: StackPreviewResult,
    declared: ReadonlyMap<string, CheckRecord> = programRecords(s),
): ResourceView[] {
    return s.collected.resources.map((r) => {
        const rec = declared.get(`${r.type}/${r.name}`);
        return rec ? { ...r, inputs: withKnown(factInputs(rec), r.inputs) } : r;
    });
}

/** The program's check record of each resource of a stack, by `Kind/name`. */
function programRecords(s: StackPreviewResult): Map<string, CheckRecord> {
    const declared = new Map<string, CheckRecord>();
    for (const rec of s.collected.checks ?? []) {
        const key = `${rec.kind}/${rec.name}`;
        if (rec.source === "program" && !declared.has(key)) declared.set(key, rec);
    }
    return declared;
}

/**
 * The resources of one stack as the topology draws them ({@link withProgramFacts}). A resource whose check failed
 * has no step in the preview (the engine stops at its check), so it is drawn from its facts alone, as `failing`; in
 * a failed stack nothing is created, so what it would create is `failing` too.
 */
function topologyViews(s: StackPreviewResult, namedElsewhere: ReadonlySet<string> = new Set()): ResourceView[] {
    const failing = new Set<string>(namedElsewhere);
    for (const f of s.collected.findings) {
        if (f.kind !== "failure") continue;
        if (f.resource) failing.add(f.resource.slice(f.resource.indexOf(" ") + 1));
        for (const n of f.violation?.resources ?? []) {
            failing.add(n.startsWith(`${s.name}/`) ? n.slice(s.name.length + 1) : n);
        }
    }
    const mark = (r: ResourceView): ResourceView =>
        failing.has(r.name) || (s.status === "failed" && ["create", "replace", "update"].includes(r.op))
            ? { ...r, op: "failing" }
            : r;
    const declared = programRecords(s);
    const views = withProgramFacts(s, declared).map(mark);
    const have = new Set(views.map((r) => `${r.type}/${r.name}`));
    for (const rec of declared.values()) {
        if (have.has(`${rec.kind}/${rec.name}`)) continue;
        views.push({ type: rec.kind, name: rec.name, urn: "", op: "failing", inputs: factInputs(rec), outputs: {} });
    }
    return views;
}

/** The inputs a resource's program facts stand for, in the shape of its recorded inputs. */
function factInputs(rec: CheckRecord): Record<string, unknown> {
    const f = rec.facts ?? {};
    return f.vpc
        ? { name: rec.name, cidr: f.vpc.cidr, account: f.vpc.account, region: f.vpc.region }
        : f.peering
          ? {
                name: rec.name,
                requester: f.peering.requester,
                accepter: f.peering.accepter,
                requesterVpcId: f.peering.requester.id,
                accepterVpcId: f.peering.accepter.id,
            }
          : f.route
            ? { vpc: f.route.vpc, destination: f.route.destination, peering: { name: f.route.peering.name } }
            : { peering: f.accepter ? { name: f.accepter.peering.name } : undefined };
}

/** `base` with every value `over` records (known, or an upstream's placeholder) in its place, field by field. */
function withKnown(base: Record<string, unknown>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
        const b = base[k];
        if (isRecord(v) && isRecord(b)) out[k] = withKnown(b, v);
        else if (v !== undefined && v !== UNKNOWN) out[k] = v;
    }
    return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

/** {@link buildTopology} assembles VPCs, peerings and routes across the previewed stacks. */
export function buildTopology(stacks: readonly StackPreviewResult[]): Topology {
    const vpcs = new Map<string, TopoVpc>();
    const byId = new Map<string, string>();
    const byName = new Map<string, string>();
    // A failure found across stacks names resources of other stacks too (`spoke-a/shop-payments`): draw them failing.
    const named = new Map<string, Set<string>>();
    for (const s of stacks) {
        for (const f of s.collected.findings) {
            if (f.kind !== "failure" || !f.stacks) continue;
            for (const n of f.violation?.resources ?? []) {
                const slash = n.indexOf("/");
                const other = slash > 0 ? n.slice(0, slash) : undefined;
                if (other && other !== s.name && f.stacks.includes(other)) {
                    if (!named.has(other)) named.set(other, new Set());
                    named.get(other)!.add(n.slice(slash + 1));
                }
            }
        }
    }
    const all = stacks.flatMap((s) => topologyViews(s, named.get(s.name)).map((r) => ({ stack: s.name, r })));
    for (const { stack, r } of all) {
        if (r.type !== "Vpc") continue;
        const id = known(r.id);
        const key = id ? `id:${id}` : `${stack}/${r.name}`;
        vpcs.set(key, {
            key,
            name: r.name, // the program's name (an auto-named API name carries a random suffix)
            stack,
            account: known(r.inputs.account),
            cidr: known(r.inputs.cidr),
            id,
            op: r.op,
        });
        if (id) byId.set(id, key);
        byName.set(`${stack}/${r.name}`, key);
    }
    const vpcFor = (stack: string, idValue: unknown, factsValue: unknown, fallback: string): string => {
        const facts = obj(factsValue);
        // The placeholder of a not-yet-deployed upstream's VPC: that stack's VPC with the same CIDR (or its only one).
        const upstream = [idValue, facts.id]
            .map((v) => (typeof v === "string" ? parsePlaceholder(v) : undefined))
            .find((p) => p);
        if (upstream) {
            const candidates = [...vpcs.values()].filter((v) => v.stack === upstream.stack && v.op !== "external");
            const cidr = known(facts.cidr);
            const same = cidr ? candidates.filter((v) => v.cidr === cidr) : candidates;
            if (same.length === 1) return same[0]!.key;
        }
        const id = known(idValue) ?? known(facts.id);
        if (id && byId.has(id)) return byId.get(id)!;
        const name = known(facts.name);
        if (name && byName.has(`${stack}/${name}`)) return byName.get(`${stack}/${name}`)!;
        const key = id ? `id:${id}` : `${stack}/${fallback}`;
        if (!vpcs.has(key)) {
            vpcs.set(key, {
                key,
                name: name ?? (id ? `vpc ${id.slice(0, 8)}` : "VPC outside the plan"),
                account: known(facts.account),
                cidr: known(facts.cidr),
                id,
                op: "external",
            });
            if (id) byId.set(id, key);
        }
        return key;
    };
    const peerings = new Map<string, TopoPeering>();
    const peeringById = new Map<string, string>();
    const peeringByName = new Map<string, string>();
    for (const { stack, r } of all) {
        if (r.type !== "PeeringConnection") continue;
        const id = known(r.id);
        const key = id ? `p:${id}` : `${stack}/${r.name}`;
        const from = vpcFor(stack, r.inputs.requesterVpcId, r.inputs.requester, `${r.name}:requester`);
        const to = vpcFor(stack, r.inputs.accepterVpcId, r.inputs.accepter, `${r.name}:accepter`);
        const status =
            r.op === "failing"
                ? "failing"
                : r.op === "create" || r.op === "replace"
                  ? "new"
                  : (known(r.outputs.status) ?? "unknown");
        peerings.set(key, { key, name: r.name, stack, from, to, id, status, op: r.op });
        if (id) peeringById.set(id, key);
        peeringByName.set(`${stack}/${r.name}`, key);
    }
    const peeringFor = (stack: string, idValue: unknown, factsValue: unknown): string | undefined => {
        const id = known(idValue) ?? known(obj(factsValue).id);
        if (id && peeringById.has(id)) return peeringById.get(id);
        const name = known(obj(factsValue).name);
        if (name && peeringByName.has(`${stack}/${name}`)) return peeringByName.get(`${stack}/${name}`);
        return undefined;
    };
    for (const { stack, r } of all) {
        if (r.type !== "PeeringAccepter") continue;
        let key = peeringFor(stack, r.inputs.peeringConnectionId, r.inputs.peering);
        if (!key) {
            // The requester side is not in this preview: draw the peering from what the accepter knows.
            const id = known(r.inputs.peeringConnectionId) ?? known(r.id);
            const facts = obj(r.inputs.peering);
            const from = vpcFor(stack, r.outputs.requesterVpcId, facts.requester, `${r.name}:requester`);
            const to = vpcFor(stack, r.outputs.accepterVpcId, facts.accepter, `${r.name}:accepter`);
            key = id ? `p:${id}` : `${stack}/${r.name}:peering`;
            peerings.set(key, {
                key,
                name: known(r.outputs.peeringName) ?? known(facts.name) ?? r.name,
                stack,
                from,
                to,
                id,
                status: known(r.outputs.status) ?? "unknown",
                op: "external",
            });
            if (id) peeringById.set(id, key);
        }
        const p = peerings.get(key)!;
        // The requester's recorded status is from its last up or refresh; a deployed accepter knows better.
        const accepted = r.op === "same" && known(r.outputs.status);
        peerings.set(key, {
            ...p,
            acceptedBy: `${stack}/${r.name}`,
            ...(accepted && p.op === "same" ? { status: accepted } : {}),
        });
    }
    const routes: TopoRoute[] = [];
    for (const { stack, r } of all) {
        if (r.type !== "Route") continue;
        const vpc = vpcFor(stack, r.inputs.vpcId, r.inputs.vpc, `${r.name}:vpc`);
        const peering = peeringFor(stack, r.inputs.peeringConnectionId, r.inputs.peering);
        const p = peering ? peerings.get(peering) : undefined;
        const to = p ? (p.from === vpc ? p.to : p.to === vpc ? p.from : undefined) : undefined;
        routes.push({
            key: `${stack}/${r.name}`,
            name: r.name,
            stack,
            vpc,
            destination: known(r.inputs.destination),
            peering,
            to,
            op: r.op,
        });
    }
    return { vpcs: [...vpcs.values()], peerings: [...peerings.values()], routes };
}
