// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The server-side route checks: they delegate to the shared rules of core/rules.ts — `checkRoute`
// and the route table's `isSameDestination` and `exceedsRouteQuota` (the functions the providers' `check` and the
// program-wide checks use). Only rules the real API enforces are here; program-level advice such as
// "route-outside-peer-vpc" is for the provider's checks, not for the server (the real API accepts such a route).

import { canonicalCidrText } from "../core/cidr";
import { checkRoute, exceedsRouteQuota, isSameDestination, RuleId } from "../core/rules";
import { ApiError, Errors, invalidInput } from "./errors";
import type { PeeringRow, RouteRow, VpcRow } from "./store";

/** {@link RouteCandidate} is what the route checks need to know about a route being created. */
export interface RouteCandidate {
    readonly vpc: VpcRow;
    readonly destination: string;
    readonly peering: PeeringRow;
    /** The routes the VPC has now. */
    readonly routes: readonly RouteRow[];
    /** The server's route quota per VPC. */
    readonly maxRoutesPerVpc: number;
}

/**
 * {@link checkRouteCandidate} returns the refusal for a route, or `undefined` when it may be created:
 * destination syntax (`cidr-syntax`, `cidr-host-bits`), `route-peering-mismatch`, the peering must be ACTIVE,
 * `route-overlaps-own-vpc`, `route-destination-conflict` (same destination twice) and `route-quota`.
 */
export function checkRouteCandidate(c: RouteCandidate): ApiError | undefined {
    const p = c.peering;
    // The shared rule function, with the API's ids as names. The peer's CIDR is left out on purpose: the
    // real API accepts a route outside the peer VPC (that is program-level advice, checked at preview).
    const outcome = checkRoute({
        name: `route to ${c.destination}`,
        vpc: { name: `VPC ${c.vpc.id}`, id: c.vpc.id, cidr: c.vpc.cidr },
        destination: c.destination,
        peering: {
            name: `peering ${p.id}`,
            id: p.id,
            requester: { name: `VPC ${p.request_vpc_id}`, id: p.request_vpc_id },
            accepter: { name: `VPC ${p.accept_vpc_id}`, id: p.accept_vpc_id },
        },
    });
    const order: RuleId[] = ["cidr-syntax", "cidr-host-bits", "route-peering-mismatch"];
    const first = (rules: RuleId[]) => outcome.violations.find((v) => rules.includes(v.rule));
    const syntaxOrMismatch = first(order);
    if (syntaxOrMismatch) return invalidInput("neutron", syntaxOrMismatch.message);
    if (p.status !== "ACTIVE") return Errors.routePeeringNotActive(p.id, p.status);
    const overlap = first(["route-overlaps-own-vpc"]);
    if (overlap) return invalidInput("neutron", overlap.message);
    // Rows from before canonical CIDRs were enforced may be written differently: compared numerically.
    const same = c.routes.find((r) => isSameDestination(r.destination, c.destination));
    if (same) return Errors.routeDuplicate(canonicalCidrText(c.destination) ?? c.destination, c.vpc.id, same.id);
    if (exceedsRouteQuota(c.routes.length + 1, c.maxRoutesPerVpc)) return Errors.overQuota("route", c.maxRoutesPerVpc);
    return undefined;
}
