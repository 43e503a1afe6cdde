// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The `__graphCheck` input: how graph-wide violations found by the program (sdk/graph.ts) reach each
// provider's `check`, where they become ordinary check failures on the resource.

import { RuleId } from "./rules";

/** {@link GraphCheckPayload} is the JSON carried by a resource's `__graphCheck` input. */
export interface GraphCheckPayload {
    readonly violations: ReadonlyArray<{ readonly rule: RuleId; readonly property?: string; readonly message: string }>;
    /** Messages of violations the program already reported as suppressed (so the provider does not repeat them). */
    readonly suppressed?: readonly string[];
    /** For a peering: the PeeringAccepter of the same program that accepts it, if any. */
    readonly acceptedBy?: string;
}

const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** {@link GraphCheck} is a decoded `__graphCheck` input. */
export interface GraphCheck {
    /** Whether the program-wide check ran (it prints deferred checks itself then). */
    readonly ran: boolean;
    /** Program-wide violations, as check failures (`{property, reason}`). */
    readonly failures: Array<{ property: string; reason: string }>;
    /** Messages of violations the program already reported as suppressed. */
    readonly suppressed: readonly string[];
    /** For a peering: the PeeringAccepter of the same program that accepts it. */
    readonly acceptedBy?: string;
}

/**
 * {@link readGraphCheck} decodes a `__graphCheck` input value once. Any string but `"off"` means the check ran;
 * `"ok"`, an unknown value or anything malformed carries nothing to report.
 */
export function readGraphCheck(value: unknown): GraphCheck {
    const ran = typeof value === "string" && value !== "off";
    const none: GraphCheck = { ran, failures: [], suppressed: [] };
    if (!ran || value === UNKNOWN_SENTINEL || !value.startsWith("{")) return none;
    let parsed: Partial<GraphCheckPayload>;
    try {
        parsed = JSON.parse(value) as Partial<GraphCheckPayload>;
    } catch {
        return none;
    }
    return {
        ran,
        failures: Array.isArray(parsed.violations)
            ? parsed.violations.map((v) => ({ property: v.property ?? "", reason: v.message }))
            : [],
        suppressed: Array.isArray(parsed.suppressed) ? parsed.suppressed.filter((m) => typeof m === "string") : [],
        acceptedBy: typeof parsed.acceptedBy === "string" ? parsed.acceptedBy : undefined,
    };
}
