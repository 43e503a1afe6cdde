// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What the rules know (facts, `undefined` = unknown until apply) and what they answer (violations, deferred
// rules): the shapes every rule family shares.

import type { RuleId } from "./registry";

/** {@link VpcFacts} represents what is known about a VPC; `undefined` fields are unknown until apply. */
export interface VpcFacts {
    /** The Pulumi resource name (or a label such as `vpc 5f2c…` for a VPC outside the program). */
    readonly name: string;
    readonly id?: string;
    readonly cidr?: string;
    readonly region?: string;
    /** The account profile the VPC belongs to. */
    readonly account?: string;
    /** The project id that owns the VPC (known from an account profile, an input, or the API). */
    readonly projectId?: string;
    /**
     * True when a read-only lookup found that the VPC id is not in the requester's project: it belongs to
     * another account (or does not exist).
     */
    readonly foreign?: boolean;
    /**
     * The argument a VPC given by id came through (e.g. `accepterVpc`), so a deferred check can say where to pass
     * the missing fact.
     */
    readonly ref?: string;
}

/** {@link PeeringFacts} represents what is known about a peering connection. */
export interface PeeringFacts {
    readonly name: string;
    readonly id?: string;
    readonly requester: VpcFacts;
    readonly accepter: VpcFacts;
    /** The accepter's project id, required when the peering crosses accounts. */
    readonly peerProjectId?: string;
}

/** {@link RouteFacts} represents what is known about a route through a peering. */
export interface RouteFacts {
    readonly name: string;
    readonly vpc: VpcFacts;
    readonly destination?: string;
    readonly peering: PeeringFacts;
}

/** {@link AccepterFacts} represents what is known about a peering accepter. */
export interface AccepterFacts {
    readonly name: string;
    /** The account profile the accepter runs in. */
    readonly account?: string;
    readonly peering: PeeringFacts;
}

/**
 * {@link Violation} represents one broken rule as data: the rule, the resources it is about (the first is its
 * subject), the values that break it and the fix. `message` renders all of it for people; machines read the fields
 * (violations are merged on {@link violationKey}, never on the message).
 */
export interface Violation {
    readonly rule: RuleId;
    readonly resources: readonly string[];
    /** The input property the violation is best attached to. */
    readonly property?: string;
    /** What to change. */
    readonly fix: string;
    /** The values that break the rule (CIDRs, regions, accounts), by what they are. */
    readonly values?: Readonly<Record<string, string>>;
    readonly message: string;
}

/** {@link Deferred} represents a rule that cannot be decided until apply, and why. */
export interface Deferred {
    readonly rule: RuleId;
    readonly resources: readonly string[];
    readonly reason: string;
}

/** {@link violationKey} identifies a violation by rule and resources: the key results are merged on. */
export function violationKey(v: { readonly rule: string; readonly resources: readonly string[] }): string {
    return `${v.rule}\u0000${v.resources.join("\u0000")}`;
}

/** {@link Suppression} is an explicit, documented exception to one rule on one resource. */
export interface Suppression {
    readonly rule: string;
    readonly reason: string;
}

/** {@link CheckOutcome} is the result of running rules: what is broken and what is deferred. */
export interface CheckOutcome {
    readonly violations: Violation[];
    readonly deferred: Deferred[];
    /** Violations waived by a {@link Suppression}, each with its reason (reported as warnings). */
    readonly suppressed?: Array<Violation & { readonly reason: string }>;
}
