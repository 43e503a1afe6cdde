// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The registry of the platform rules: each rule's stable id, one-line title, the kind of resource it is about and
// the pure function that decides it (in the file of its family). Docs, reports and the suppression check read it.

import { checkAccepter } from "./accepterRules";
import { checkCidrValue, checkVpc } from "./cidrRules";
import type { CheckOutcome } from "./facts";
import { checkMesh } from "./meshRules";
import { checkDuplicatePairs, checkPeering } from "./peeringRules";
import { checkProgram } from "./program";
import { checkRoute, checkRouteTable, MAX_ROUTES_PER_VPC } from "./routeRules";

/** {@link RuleId} is the stable identifier of one platform rule; it appears in every message. */
export type RuleId =
    | "cidr-syntax"
    | "cidr-host-bits"
    | "vpc-cidr-range"
    | "peering-cross-region"
    | "peering-cidr-overlap"
    | "peering-self"
    | "peering-duplicate-pair"
    | "peering-missing-peer-project"
    | "route-overlaps-own-vpc"
    | "route-outside-peer-vpc"
    | "route-transitive"
    | "route-destination-conflict"
    | "route-peering-mismatch"
    | "route-internet-via-peer"
    | "route-quota"
    | "mesh-peer-cidr-conflict"
    | "accepter-wrong-account";

/** {@link SubjectKind} is the kind of resource a rule's first named resource (its subject) is. */
export type SubjectKind = "Vpc" | "PeeringConnection" | "PeeringAccepter" | "Route";

/** {@link RuleSpec} is one rule of the registry. */
export interface RuleSpec {
    readonly id: RuleId;
    /** One line, for docs and reports. */
    readonly title: string;
    /** The kind of resource its violations are about (a CIDR rule's: the Route when it is about a destination). */
    readonly subject: SubjectKind;
    /** The pure function that decides it (graph-wide rules are decided over the whole program). */
    readonly check: (...facts: never[]) => CheckOutcome;
}

/** {@link RULES} lists every rule, in the order of the docs. */
export const RULES: readonly RuleSpec[] = [
    { id: "cidr-syntax", subject: "Vpc", check: checkCidrValue, title: "A CIDR must be an IPv4 block a.b.c.d/n" },
    { id: "cidr-host-bits", subject: "Vpc", check: checkCidrValue, title: "A CIDR must not have host bits set" },
    {
        id: "vpc-cidr-range",
        subject: "Vpc",
        check: checkVpc,
        title: "A VPC CIDR must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 with a prefix up to /24",
    },
    {
        id: "peering-cross-region",
        subject: "PeeringConnection",
        check: checkPeering,
        title: "A peering joins two VPCs of the same region only",
    },
    {
        id: "peering-cidr-overlap",
        subject: "PeeringConnection",
        check: checkPeering,
        title: "The two VPCs of a peering must not have overlapping CIDRs",
    },
    {
        id: "peering-self",
        subject: "PeeringConnection",
        check: checkPeering,
        title: "A VPC cannot be peered with itself",
    },
    {
        id: "peering-duplicate-pair",
        subject: "PeeringConnection",
        check: checkDuplicatePairs,
        title: "Only one peering may exist between two VPCs",
    },
    {
        id: "peering-missing-peer-project",
        subject: "PeeringConnection",
        check: checkPeering,
        title: "A cross-account peering needs the peer's project id",
    },
    {
        id: "route-overlaps-own-vpc",
        subject: "Route",
        check: checkRoute,
        title: "A route's destination must not overlap its own VPC's CIDR",
    },
    {
        id: "route-outside-peer-vpc",
        subject: "Route",
        check: checkRoute,
        title: "A route's destination must lie inside the peer VPC's CIDR (else it is a blackhole)",
    },
    {
        id: "route-transitive",
        subject: "Route",
        check: checkProgram,
        title: "Peering is not transitive: a route cannot reach a VPC through another VPC's peering",
    },
    {
        id: "route-destination-conflict",
        subject: "Route",
        check: checkRouteTable,
        title: "Two routes of one VPC must not have overlapping destinations",
    },
    {
        id: "route-peering-mismatch",
        subject: "Route",
        check: checkRoute,
        title: "A route's peering must include the route's VPC",
    },
    {
        id: "route-internet-via-peer",
        subject: "Route",
        check: checkRoute,
        title: "A peering carries no Internet traffic: a VPC cannot use its peer's EIPs or NAT for 0.0.0.0/0 or public ranges",
    },
    {
        id: "route-quota",
        subject: "Vpc",
        check: checkRouteTable,
        title: `A VPC holds at most ${MAX_ROUTES_PER_VPC} routes`,
    },
    {
        id: "mesh-peer-cidr-conflict",
        subject: "Vpc",
        check: checkMesh,
        title: "A VPC must not be peered with two VPCs whose CIDRs overlap",
    },
    {
        id: "accepter-wrong-account",
        subject: "PeeringAccepter",
        check: checkAccepter,
        title: "Only the accepter side's account can accept a peering",
    },
];

/** {@link RULE_TITLES} gives each rule a one-line title (used in docs and reports). */
export const RULE_TITLES: Readonly<Record<RuleId, string>> = Object.fromEntries(
    RULES.map((r) => [r.id, r.title]),
) as Record<RuleId, string>;

const BY_ID: ReadonlyMap<string, RuleSpec> = new Map(RULES.map((r) => [r.id, r]));

/** {@link subjectKindOf} tells which kind of resource a rule's violations are about (their first resource). */
export function subjectKindOf(rule: RuleId | string, property?: string): SubjectKind {
    const spec = BY_ID.get(rule);
    if (spec && !rule.startsWith("cidr-")) return spec.subject;
    return property === "destination" ? "Route" : "Vpc";
}
