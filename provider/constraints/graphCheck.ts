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

/**
 * {@link parseGraphCheck} decodes a `__graphCheck` input value into check failures (`{property, reason}`).
 * `"ok"`, `"off"`, an unknown value or anything malformed yields none.
 */
export function parseGraphCheck(value: unknown): Array<{ property: string; reason: string }> {
    if (typeof value !== "string" || value === "ok" || value === "off" || value === UNKNOWN_SENTINEL) return [];
    try {
        const parsed = JSON.parse(value) as GraphCheckPayload;
        if (!Array.isArray(parsed.violations)) return [];
        return parsed.violations.map((v) => ({ property: v.property ?? "", reason: v.message }));
    } catch {
        return [];
    }
}

/** {@link parseGraphSuppressed} returns the messages of violations the program reported as suppressed. */
export function parseGraphSuppressed(value: unknown): string[] {
    if (typeof value !== "string" || !value.startsWith("{")) return [];
    try {
        const parsed = JSON.parse(value) as GraphCheckPayload;
        return Array.isArray(parsed.suppressed) ? parsed.suppressed.filter((m) => typeof m === "string") : [];
    } catch {
        return [];
    }
}

/** {@link parseGraphAcceptedBy} returns the name of the PeeringAccepter that the same program declares for a peering. */
export function parseGraphAcceptedBy(value: unknown): string | undefined {
    if (typeof value !== "string" || !value.startsWith("{")) return undefined;
    try {
        const parsed = JSON.parse(value) as GraphCheckPayload;
        return typeof parsed.acceptedBy === "string" ? parsed.acceptedBy : undefined;
    } catch {
        return undefined;
    }
}
