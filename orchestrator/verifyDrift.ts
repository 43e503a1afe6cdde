// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Drift for `verify`: what the stacks' states say they manage (read with the Automation API's exportStack) against
// what is live. Objects deleted, changed or added outside Pulumi, per stack, each with the command that reconciles
// it: `refresh` then `up` for what was deleted or changed (the refresh makes the state see it, the up puts the
// program's version back, dependents included), or — for what was added — delete it or adopt it. Pure.

import type { LiveWorld } from "../core/reachability";
import { TERMINAL_PEERING_STATUSES } from "../core/rules";
import { shortType, nameOfUrn } from "./events";

/** {@link StateResource} is one resource of an exported stack (the fields `verify` reads). */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly outputs?: Readonly<Record<string, unknown>>;
}

/** {@link StackState} is one plan stack's exported resources. */
export interface StackState {
    /** The plan's name for the stack. */
    readonly stack: string;
    readonly resources: readonly StateResource[];
}

/** {@link ManagedKind} is a resource type of this package. */
export type ManagedKind = "Vpc" | "PeeringConnection" | "PeeringAccepter" | "Route";

/** {@link Managed} is one object a stack manages, as its state recorded it. */
export interface Managed {
    readonly stack: string;
    readonly kind: ManagedKind;
    /** The Pulumi resource name. */
    readonly resource: string;
    /** The cloud id (for an accepter: the peering's id). */
    readonly id: string;
    readonly account?: string;
    readonly region?: string;
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** {@link Inventory} is everything the plan's stacks manage. */
export interface Inventory {
    readonly objects: readonly Managed[];
    /** VPC ids in scope (managed VPCs and the VPCs of managed peerings and routes) and, when known, their account. */
    readonly vpcOwners: ReadonlyMap<string, string | undefined>;
    /** Ids of the peerings the stacks manage (requested or accepted). */
    readonly peeringIds: readonly string[];
}

const KINDS: readonly string[] = ["Vpc", "PeeringConnection", "PeeringAccepter", "Route"];

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** {@link buildInventory} collects the managed objects from the stacks' states. */
export function buildInventory(states: readonly StackState[]): Inventory {
    const objects: Managed[] = [];
    const owners = new Map<string, string | undefined>();
    const own = (vpcId: unknown, account?: string) => {
        const id = str(vpcId);
        if (id && (account !== undefined || !owners.has(id))) owners.set(id, account ?? owners.get(id));
    };
    const peeringIds: string[] = [];
    for (const s of states) {
        for (const r of s.resources) {
            const kind = shortType(r.type);
            const outputs = r.outputs ?? {};
            const id = kind === "PeeringAccepter" ? (str(outputs.peeringConnectionId) ?? r.id) : r.id;
            if (!KINDS.includes(kind) || !id) continue;
            const account = str(outputs.account);
            objects.push({
                stack: s.stack,
                kind: kind as ManagedKind,
                resource: nameOfUrn(r.urn),
                id,
                account,
                region: str(outputs.region),
                outputs,
            });
            if (kind === "Vpc") own(id, account);
            if (kind === "Route") own(outputs.vpcId, account);
            if (kind === "PeeringConnection") {
                own(outputs.requesterVpcId, account);
                own(outputs.accepterVpcId);
            }
            if (kind === "PeeringAccepter") {
                own(outputs.accepterVpcId, account);
                own(outputs.requesterVpcId);
            }
            if ((kind === "PeeringConnection" || kind === "PeeringAccepter") && !peeringIds.includes(id))
                peeringIds.push(id);
        }
    }
    return { objects, vpcOwners: owners, peeringIds };
}

/** {@link DriftItem} is one object that differs from what its stack recorded. */
export interface DriftItem {
    /** The stack that manages it (for `added`: the stack that manages the VPC it was added to). */
    readonly stack: string;
    readonly kind: "deleted" | "changed" | "added";
    readonly type: ManagedKind;
    /** The Pulumi resource name (none for `added`). */
    readonly resource?: string;
    readonly id: string;
    readonly account?: string;
    /** What differs: `cidr 10.40.0.0/16 → 10.41.0.0/16`, `status REJECTED`, … */
    readonly detail: string;
    /** How to reconcile it (words). */
    readonly fix: string;
    /** Other stacks that use it and must be run again (for a changed CIDR: routes to it, peerings on it). */
    readonly affects: readonly string[];
}

/** {@link DriftContext} is what the drift needs to know about the plan. */
export interface DriftContext {
    /** Stacks that depend on a stack, directly or not (the plan's dependency graph). */
    readonly downstream: (stack: string) => readonly string[];
}

/** {@link LiveEvidence} is the live world plus what was proven absent (so that unread never means deleted). */
export interface LiveEvidence extends LiveWorld {
    /** Ids the API answered 404 for, for every account that could own them. */
    readonly notFound: readonly string[];
    /** VPCs whose route table was listed completely. */
    readonly routesListed: readonly string[];
}

/**
 * {@link findDrift} compares the inventory with the live world. Deleted: a managed VPC or peering the API answered
 * 404 for (or a peering REJECTED/EXPIRED/DELETED), a managed route missing from its VPC's listed route table —
 * anything that could not be read is not called deleted. Changed: a VPC's CIDR or name. Added: a route in a managed
 * VPC, or a live peering on one, that no stack manages.
 */
export function findDrift(inv: Inventory, live: LiveEvidence, ctx: DriftContext): DriftItem[] {
    const out: DriftItem[] = [];
    const vpcs = new Map(live.vpcs.map((v) => [v.id, v]));
    const peerings = new Map(live.peerings.map((p) => [p.id, p]));
    const routes = new Map(live.routes.map((r) => [r.id, r]));
    const notFound = new Set(live.notFound);
    const listed = new Set(live.routesListed);
    const managedVpcs = new Map(inv.objects.filter((o) => o.kind === "Vpc").map((o) => [o.id, o]));
    const refreshUp = "run `refresh` (the state learns it) then `up` (the program's version comes back)";
    const recreate = (what: string) => `${what}: ${refreshUp}, with the stacks that depend on it`;

    for (const o of inv.objects) {
        const base = { stack: o.stack, type: o.kind, resource: o.resource, id: o.id, account: o.account };
        if (o.kind === "Vpc") {
            const v = vpcs.get(o.id);
            if (!v && !notFound.has(o.id)) continue; // not read: unknown, not deleted
            if (!v) {
                out.push({
                    ...base,
                    kind: "deleted",
                    detail: `VPC ${o.id} is gone`,
                    fix: recreate("it is created again with a new id; peerings and routes to it too"),
                    affects: ctx.downstream(o.stack),
                });
                continue;
            }
            const was = str(o.outputs.cidr);
            if (was && v.cidr !== was) {
                // Who else is built on the old CIDR: routes through peerings on this VPC, and the peerings' stacks.
                const onIt = inv.objects.filter(
                    (x) =>
                        x.stack !== o.stack &&
                        (((x.kind === "PeeringConnection" || x.kind === "PeeringAccepter") &&
                            (x.outputs.requesterVpcId === o.id || x.outputs.accepterVpcId === o.id)) ||
                            (x.kind === "Route" && x.outputs.destination === was)),
                );
                const affects = [...new Set([...onIt.map((x) => x.stack), ...ctx.downstream(o.stack)])];
                out.push({
                    ...base,
                    kind: "changed",
                    detail: `cidr ${was} → ${v.cidr} (changed outside Pulumi)`,
                    fix:
                        `either put ${was} back (${refreshUp} for ${o.stack}), or keep ${v.cidr}: set the VPC's cidr to ` +
                        `${v.cidr} in ${o.stack}'s config or program and \`up\` the plan, which re-runs ` +
                        `${affects.length ? affects.join(", ") : "its dependents"} in order`,
                    affects,
                });
            }
            const name = str(o.outputs.name);
            if (name && v.name !== name) {
                out.push({
                    ...base,
                    kind: "changed",
                    detail: `name ${name} → ${v.name}`,
                    fix: `${refreshUp} for ${o.stack}`,
                    affects: [],
                });
            }
        } else if (o.kind === "PeeringConnection" || o.kind === "PeeringAccepter") {
            const p = peerings.get(o.id);
            if (!p && !notFound.has(o.id)) continue;
            if (!p || TERMINAL_PEERING_STATUSES.includes(p.status)) {
                out.push({
                    ...base,
                    kind: "deleted",
                    detail: `peering ${o.id} is ${p ? p.status : "gone"}`,
                    fix: recreate(
                        o.kind === "PeeringConnection"
                            ? "the request is made again and accepted again; routes through it are recreated"
                            : "the accepter accepts the new request once its requester stack has made it",
                    ),
                    affects: ctx.downstream(o.stack),
                });
            }
        } else if (o.kind === "Route") {
            const r = routes.get(o.id);
            if (!r && listed.has(String(o.outputs.vpcId ?? ""))) {
                out.push({
                    ...base,
                    kind: "deleted",
                    detail: `route ${str(o.outputs.destination) ?? "?"} of VPC ${str(o.outputs.vpcId) ?? "?"} is gone`,
                    fix: `${refreshUp} for ${o.stack}`,
                    affects: [],
                });
            }
        }
    }

    // Added outside Pulumi: routes in managed VPCs, and live peerings on them, that no stack manages.
    const managedIds = new Set(inv.objects.map((o) => o.id));
    const stackOfVpc = (vpcId: string): Managed | undefined =>
        managedVpcs.get(vpcId) ?? inv.objects.find((o) => o.kind === "Route" && o.outputs.vpcId === vpcId);
    for (const r of live.routes) {
        if (managedIds.has(r.id)) continue;
        const owner = stackOfVpc(r.vpcId);
        if (!owner) continue;
        out.push({
            stack: owner.stack,
            kind: "added",
            type: "Route",
            id: r.id,
            account: vpcs.get(r.vpcId)?.account,
            detail: `route ${r.destination} via ${r.nexthop} in VPC ${vpcs.get(r.vpcId)?.name ?? r.vpcId}, not in any stack`,
            fix:
                `delete it (as account ${vpcs.get(r.vpcId)?.account ?? "?"}: DELETE /v2.0/vpc/routes/${r.id}), ` +
                `or adopt it: declare a Route for ${r.destination} through ${r.nexthop} with adopt: true`,
            affects: [],
        });
    }
    for (const p of live.peerings) {
        if (managedIds.has(p.id) || TERMINAL_PEERING_STATUSES.includes(p.status)) continue;
        const owner = stackOfVpc(p.requesterVpcId) ?? stackOfVpc(p.accepterVpcId);
        if (!owner) continue;
        out.push({
            stack: owner.stack,
            kind: "added",
            type: "PeeringConnection",
            id: p.id,
            account: vpcs.get(p.requesterVpcId)?.account,
            detail: `peering "${p.name}" (${p.status}) between ${p.requesterVpcId} and ${p.accepterVpcId}, not in any stack`,
            fix: `delete it, or adopt it: declare the PeeringConnection with adoptId: "${p.id}"`,
            affects: [],
        });
    }
    return out;
}

/**
 * {@link reconcileStacks} is the set of stacks to refresh and then `up` for the deleted and changed items: theirs and
 * every stack downstream of them, in `order` (the plan's).
 */
export function reconcileStacks(drift: readonly DriftItem[], ctx: DriftContext, order: readonly string[]): string[] {
    const set = new Set<string>();
    for (const d of drift) {
        if (d.kind === "added") continue;
        set.add(d.stack);
        for (const x of ctx.downstream(d.stack)) set.add(x);
    }
    return order.filter((s) => set.has(s));
}
