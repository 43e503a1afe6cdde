// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Explicit, documented exceptions: a suppression waives one rule (by id) on one resource, with its reason.

import type { CheckOutcome, Suppression, Violation } from "./facts";
import { RULE_TITLES } from "./registry";

/**
 * {@link applySuppressions} moves the violations waived by an explicit {@link Suppression} (matched by rule id)
 * out of `violations` into `suppressed`, keeping the reason so it can be shown in the preview.
 */
export function applySuppressions(
    outcome: CheckOutcome,
    suppressions: readonly Suppression[] | undefined,
): CheckOutcome {
    if (!suppressions || suppressions.length === 0) return { ...outcome, suppressed: outcome.suppressed ?? [] };
    const byRule = new Map(suppressions.map((s) => [s.rule, s.reason] as const));
    const kept: Violation[] = [];
    const suppressed: Array<Violation & { reason: string }> = [...(outcome.suppressed ?? [])];
    for (const v of outcome.violations) {
        const reason = byRule.get(v.rule);
        if (reason !== undefined) suppressed.push({ ...v, reason });
        else kept.push(v);
    }
    return { violations: kept, deferred: outcome.deferred, suppressed };
}

/** {@link validateSuppressions} returns a reason for each malformed suppression (unknown rule id, empty reason). */
export function validateSuppressions(suppressions: readonly Suppression[] | undefined): string[] {
    const problems: string[] = [];
    for (const s of suppressions ?? []) {
        if (!(s.rule in RULE_TITLES))
            problems.push(`unknown rule id "${s.rule}"; known: ${Object.keys(RULE_TITLES).join(", ")}`);
        if (typeof s.reason !== "string" || s.reason.trim() === "")
            problems.push(`suppression of "${s.rule}" needs a reason`);
    }
    return problems;
}
