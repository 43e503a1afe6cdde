// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// All rules over a whole program: each resource's own rules, then the graph-wide ones (duplicate pairs, the mesh,
// route tables) and the more specific explanation of a transitive route.

import { cidrContains, tryParseCidr } from "../cidr";
import { checkAccepter } from "./accepterRules";
import { checkVpc } from "./cidrRules";
import type { AccepterFacts, CheckOutcome, PeeringFacts, RouteFacts, VpcFacts } from "./facts";
import { checkMesh } from "./meshRules";
import { mergeAll, q, violation, vpcKey } from "./outcome";
import { checkDuplicatePairs, checkPeering } from "./peeringRules";
import { checkRoute, checkRouteTable, peerSide } from "./routeRules";

/** {@link ProgramGraph} represents every peering resource a program declares (plus, optionally, what the API holds). */
export interface ProgramGraph {
    readonly vpcs: readonly VpcFacts[];
    readonly peerings: readonly PeeringFacts[];
    readonly routes: readonly RouteFacts[];
    readonly accepters: readonly AccepterFacts[];
    /** Peerings that already exist in the API (not declared by the program), for the duplicate-pair rule. */
    readonly existingPeerings?: readonly PeeringFacts[];
    /** Routes that already exist in the API, per VPC id, for the route-table rules. */
    readonly existingRoutes?: ReadonlyArray<{
        readonly vpcId: string;
        readonly name: string;
        readonly destination: string;
    }>;
}

/**
 * {@link checkProgram} runs every rule over a whole program: the per-resource rules and the graph-wide ones
 * (`peering-duplicate-pair`, `route-destination-conflict`, `route-quota`, `mesh-peer-cidr-conflict`,
 * `route-transitive`). Near O(n log n) in the number of CIDRs.
 */
export function checkProgram(g: ProgramGraph): CheckOutcome {
    const parts: CheckOutcome[] = [];
    for (const v of g.vpcs) parts.push(checkVpc(v));
    for (const p of g.peerings) parts.push(checkPeering(p));
    for (const a of g.accepters) parts.push(checkAccepter(a));
    const routeOutcomes = new Map<RouteFacts, CheckOutcome>();
    for (const r of g.routes) {
        const o = checkRoute(r);
        routeOutcomes.set(r, o);
    }
    parts.push(checkDuplicatePairs(g.peerings, g.existingPeerings));
    parts.push(checkMesh(g.peerings));
    // Transitive routing: a route whose destination is outside its peer VPC but inside a VPC reached
    // through another peering gets the more specific explanation.
    const byCidr = g.vpcs.map((v) => ({ v, c: v.cidr !== undefined ? tryParseCidr(v.cidr) : undefined }));
    for (const [r, o] of routeOutcomes) {
        const out: CheckOutcome = { violations: [], deferred: o.deferred };
        for (const v of o.violations) {
            if (v.rule !== "route-outside-peer-vpc") {
                out.violations.push(v);
                continue;
            }
            const dest = tryParseCidr(r.destination ?? "");
            const side = peerSide(r.peering, r.vpc);
            const via = side && "peer" in side ? side.peer : undefined;
            const target = dest
                ? byCidr.find((x) => x.c && cidrContains(x.c, dest) && vpcKey(x.v) !== vpcKey(r.vpc))
                : undefined;
            if (dest && via && target && vpcKey(target.v) !== vpcKey(via)) {
                out.violations.push(
                    violation(
                        "route-transitive",
                        [r.name, r.peering.name, target.v.name],
                        "destination",
                        `Route ${q(r.name)}: destination ${dest.text} is VPC ${q(target.v.name)}, which ${q(r.vpc.name)} can only reach through ${q(via.name)}; peering ${q(r.peering.name)} is not transitive and would drop the traffic`,
                        `peer ${q(r.vpc.name)} with ${q(target.v.name)} directly and route through that peering`,
                    ),
                );
            } else {
                out.violations.push(v);
            }
        }
        parts.push(out);
    }
    // Route tables per VPC: declared routes plus routes already in the API.
    const tables = new Map<string, { vpc: VpcFacts; routes: Array<{ name: string; destination?: string }> }>();
    for (const r of g.routes) {
        const k = vpcKey(r.vpc);
        const t = tables.get(k) ?? { vpc: r.vpc, routes: [] };
        t.routes.push({ name: r.name, destination: r.destination });
        tables.set(k, t);
    }
    for (const e of g.existingRoutes ?? []) {
        const t = tables.get(`id:${e.vpcId}`);
        if (t && !t.routes.some((x) => x.destination === e.destination && x.name === e.name)) t.routes.push(e);
    }
    for (const t of tables.values()) parts.push(checkRouteTable(t.vpc, t.routes));
    return mergeAll(parts);
}
