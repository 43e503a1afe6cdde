// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The server-side route checks, in one place so that they can later delegate to the shared rule functions of
// provider/constraints/rules.ts. Only rules the real API enforces are here; program-level advice such as
// "route-outside-peer-vpc" is for the provider's checks, not for the server (the real API accepts such a route).

import { cidrsOverlap, parseIPv4Cidr, tryParseCidr } from "../provider/constraints/cidr";
import { ApiError, Errors, invalidInput } from "./errors";
import type { PeeringRow, RouteRow, VpcRow } from "./store";

/** {@link RouteCandidate} is what the route checks need to know about a route being created. */
export interface RouteCandidate {
    readonly vpc: VpcRow;
    readonly destination: string;
    readonly peering: PeeringRow;
    /** The existing route of the VPC with the same destination, if any. */
    readonly sameDestination: RouteRow | undefined;
    /** How many routes the VPC has now. */
    readonly routeCount: number;
    readonly maxRoutesPerVpc: number;
}

/**
 * {@link checkRouteCandidate} returns the refusal for a route, or `undefined` when it may be created:
 * destination syntax (`cidr-syntax`, `cidr-host-bits`), `route-peering-mismatch`, the peering must be ACTIVE,
 * `route-overlaps-own-vpc`, `route-destination-conflict` (same destination twice) and `route-quota`.
 */
export function checkRouteCandidate(c: RouteCandidate): ApiError | undefined {
    const parsed = parseIPv4Cidr(c.destination);
    if (!parsed.ok) {
        const rule = parsed.problem === "host-bits" ? "cidr-host-bits" : "cidr-syntax";
        return invalidInput("neutron", `[${rule}] route.destination ${parsed.reason}`);
    }
    const p = c.peering;
    if (p.request_vpc_id !== c.vpc.id && p.accept_vpc_id !== c.vpc.id) {
        return invalidInput(
            "neutron",
            `[route-peering-mismatch] peering ${p.id} joins VPCs ${p.request_vpc_id} and ${p.accept_vpc_id}, not VPC ${c.vpc.id}`,
        );
    }
    if (p.status !== "ACTIVE") return Errors.routePeeringNotActive(p.id, p.status);
    const own = tryParseCidr(c.vpc.cidr);
    if (own && cidrsOverlap(parsed.cidr, own)) {
        return invalidInput(
            "neutron",
            `[route-overlaps-own-vpc] route.destination ${parsed.cidr.text} overlaps the CIDR ${own.text} of VPC ${c.vpc.id}; route to the peer VPC's CIDR instead`,
        );
    }
    if (c.sameDestination) return Errors.routeDuplicate(parsed.cidr.text, c.vpc.id, c.sameDestination.id);
    if (c.routeCount >= c.maxRoutesPerVpc) return Errors.overQuota("route", c.maxRoutesPerVpc);
    return undefined;
}
