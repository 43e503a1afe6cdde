// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The route family: a route's destination is a private block inside the peer VPC and outside its own, through a
// peering of its own VPC; the route table of one VPC has disjoint destinations and at most its quota of routes.

import { canonicalCidrText, Cidr, cidrContains, cidrsOverlap, tryParseCidr } from "../cidr";
import { checkCidrValue, isPrivateBlock } from "./cidrRules";
import type { CheckOutcome, PeeringFacts, RouteFacts, VpcFacts } from "./facts";
import { deferred, empty, q, sameVpc, violation } from "./outcome";

/** {@link MAX_ROUTES_PER_VPC} is the platform's route quota per VPC route table. */
export const MAX_ROUTES_PER_VPC = 200;

/**
 * {@link exceedsRouteQuota} is `route-quota` as a predicate: a route table of `count` routes is over a quota of
 * `limit` (the platform's {@link MAX_ROUTES_PER_VPC} unless a server is configured otherwise).
 */
export function exceedsRouteQuota(count: number, limit: number = MAX_ROUTES_PER_VPC): boolean {
    return count > limit;
}

/**
 * {@link isSameDestination} is the duplicate case of `route-destination-conflict`: two destinations name the same
 * block, compared numerically (`10.1.0.0/016` and `10.1.0.0/16` are one block); text that names no block is
 * the same as nothing.
 */
export function isSameDestination(a: string, b: string): boolean {
    const x = canonicalCidrText(a);
    return x !== undefined && x === canonicalCidrText(b);
}

/**
 * {@link overlapsOwnVpc} is `route-overlaps-own-vpc` as a predicate: a destination that shares an address with its
 * own VPC's CIDR loses to the VPC's local routes. Text that names no block overlaps nothing.
 */
export function overlapsOwnVpc(destination: string | Cidr, vpcCidr: string | Cidr): boolean {
    const d = typeof destination === "string" ? tryParseCidr(destination) : destination;
    const own = typeof vpcCidr === "string" ? tryParseCidr(vpcCidr) : vpcCidr;
    return d !== undefined && own !== undefined && cidrsOverlap(d, own);
}

/** {@link peerSide} returns the side of the peering that is not `vpc`, or `undefined` when `vpc` is on neither side. */
export function peerSide(p: PeeringFacts, vpc: VpcFacts): { peer: VpcFacts } | { mismatch: true } | undefined {
    const onRequester = sameVpc(p.requester, vpc);
    const onAccepter = sameVpc(p.accepter, vpc);
    if (onRequester === true) return { peer: p.accepter };
    if (onAccepter === true) return { peer: p.requester };
    if (onRequester === false && onAccepter === false) return { mismatch: true };
    return undefined;
}

/**
 * {@link checkRoute} applies the per-route rules: destination syntax, `route-internet-via-peer`, `route-overlaps-own-vpc`,
 * `route-peering-mismatch` and `route-outside-peer-vpc`.
 */
export function checkRoute(r: RouteFacts): CheckOutcome {
    const who = `Route ${q(r.name)}`;
    const syntax = checkCidrValue(who, "destination", r.destination);
    if (syntax.violations.length) return syntax;
    const out = empty();
    const dest = r.destination !== undefined ? tryParseCidr(r.destination) : undefined;
    if (dest && !isPrivateBlock(dest)) {
        // No peer VPC can hold a public range, and a peering forwards only to its peer's CIDR: decided at once.
        out.violations.push(
            violation(
                "route-internet-via-peer",
                [r.name, r.peering.name],
                "destination",
                `${who}: destination ${dest.text} ${dest.prefix === 0 ? "is the default route (the Internet)" : "is a public range"} through peering ${q(r.peering.name)}; a peering carries traffic only to the peer VPC's private CIDR, so ${q(r.vpc.name)} cannot reach the Internet through its peer's EIPs or NAT gateway`,
                `give ${q(r.vpc.name)} its own Internet access (an EIP, or a NAT gateway in it), and route through the peering only to the peer VPC's CIDR`,
                { destination: dest.text },
            ),
        );
        return out;
    }
    const own = r.vpc.cidr !== undefined ? tryParseCidr(r.vpc.cidr) : undefined;
    if (dest && own) {
        if (overlapsOwnVpc(dest, own)) {
            out.violations.push(
                violation(
                    "route-overlaps-own-vpc",
                    [r.name, r.vpc.name],
                    "destination",
                    `${who}: destination ${dest.text} overlaps its own VPC ${q(r.vpc.name)} (${own.text}); the VPC's local routes win and the route is refused`,
                    `route to the peer VPC's CIDR instead`,
                ),
            );
        }
    } else if (r.destination === undefined || r.vpc.cidr === undefined) {
        out.deferred.push(
            deferred(
                "route-overlaps-own-vpc",
                [r.name],
                `${r.destination === undefined ? "the destination" : `the CIDR of ${q(r.vpc.name)}`} is not known until apply`,
            ),
        );
    }
    const side = peerSide(r.peering, r.vpc);
    if (side === undefined) {
        out.deferred.push(
            deferred(
                "route-peering-mismatch",
                [r.name, r.peering.name],
                `the VPC ids of ${q(r.vpc.name)} and ${q(r.peering.name)} are not known until apply`,
            ),
        );
        return out;
    }
    if ("mismatch" in side) {
        out.violations.push(
            violation(
                "route-peering-mismatch",
                [r.name, r.peering.name, r.vpc.name],
                "peeringConnection",
                `${who}: peering ${q(r.peering.name)} joins ${q(r.peering.requester.name)} and ${q(r.peering.accepter.name)}, not the route's VPC ${q(r.vpc.name)}`,
                `use a peering that includes ${q(r.vpc.name)}, or put the route in one of the peering's VPCs`,
            ),
        );
        return out;
    }
    const peer = side.peer;
    const peerCidr = peer.cidr !== undefined ? tryParseCidr(peer.cidr) : undefined;
    if (dest && peerCidr) {
        if (!cidrContains(peerCidr, dest)) {
            out.violations.push(
                violation(
                    "route-outside-peer-vpc",
                    [r.name, r.peering.name, peer.name],
                    "destination",
                    `${who}: destination ${dest.text} is not inside the peer VPC ${q(peer.name)} (${peerCidr.text}) reached through ${q(r.peering.name)}; traffic to it would be dropped (a blackhole)`,
                    `use ${peerCidr.text} or a block inside it`,
                    { destination: dest.text, peerCidr: peerCidr.text },
                ),
            );
        }
    } else if (r.destination === undefined || peer.cidr === undefined) {
        out.deferred.push(
            deferred(
                "route-outside-peer-vpc",
                [r.name],
                `${r.destination === undefined ? "the destination" : `the CIDR of peer VPC ${q(peer.name)}`} is not known until apply`,
            ),
        );
    }
    return out;
}

/**
 * {@link checkRouteTable} applies the per-VPC route-table rules over all routes of one VPC (declared and,
 * optionally, already in the API): `route-destination-conflict` and `route-quota` (more than `limit` routes). Sort-and-sweep,
 * O(n log n).
 */
export function checkRouteTable(
    vpc: VpcFacts,
    routes: ReadonlyArray<{ readonly name: string; readonly destination?: string }>,
    limit: number = MAX_ROUTES_PER_VPC,
): CheckOutcome {
    const out = empty();
    if (exceedsRouteQuota(routes.length, limit)) {
        out.violations.push(
            violation(
                "route-quota",
                [vpc.name],
                undefined,
                `Vpc ${q(vpc.name)}: ${routes.length} routes are declared or exist in its route table; the limit is ${limit}`,
                `summarise destinations into larger blocks or split the VPC`,
            ),
        );
    }
    const parsed: Array<{ name: string; cidr: Cidr }> = [];
    for (const r of routes) {
        const c = r.destination !== undefined ? tryParseCidr(r.destination) : undefined;
        if (c) parsed.push({ name: r.name, cidr: c });
    }
    parsed.sort((x, y) => x.cidr.first - y.cidr.first || y.cidr.last - x.cidr.last);
    let open: { name: string; cidr: Cidr } | undefined;
    for (const cur of parsed) {
        if (open && cur.cidr.first <= open.cidr.last) {
            const dup = isSameDestination(open.cidr.text, cur.cidr.text);
            out.violations.push(
                violation(
                    "route-destination-conflict",
                    [cur.name, open.name, vpc.name],
                    "destination",
                    `Route ${q(cur.name)}: destination ${cur.cidr.text} ${dup ? "duplicates" : "overlaps"} route ${q(open.name)} (${open.cidr.text}) in VPC ${q(vpc.name)}`,
                    dup
                        ? `keep one route per destination`
                        : `make the destinations disjoint, or keep only the wider route`,
                    { destination: cur.cidr.text, otherDestination: open.cidr.text },
                ),
            );
        }
        if (!open || cur.cidr.last > open.cidr.last) open = cur;
    }
    return out;
}
