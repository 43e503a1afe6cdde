// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The builders every rule family uses to answer: a violation (as data plus a rendered message), a deferred
// rule, an empty outcome, and the identity of a VPC in the facts. Internal to the rules (not re-exported).

import type { RuleId } from "./registry";
import type { CheckOutcome, Deferred, Violation, VpcFacts } from "./facts";

/** {@link violation} builds one {@link Violation}; its message is `[rule] what. Fix: fix.` */
export function violation(
    rule: RuleId,
    resources: string[],
    property: string | undefined,
    what: string,
    fix: string,
    values?: Record<string, string>,
): Violation {
    return {
        rule,
        resources,
        property,
        fix,
        ...(values ? { values } : {}),
        message: `[${rule}] ${what}. Fix: ${fix}.`,
    };
}

/** {@link howToPass} says how to pass a fact of a VPC given only by id, for the deferred message. */
export function howToPass(v: VpcFacts, fact: "cidr" | "region"): string {
    if (v.id === undefined || v.ref === undefined) return "";
    return (
        `; ${q(v.name)} is given by id only: pass its ${fact} as ${v.ref}: { id, ${fact} } ` +
        `(e.g. from a StackReference output of the stack that owns it)`
    );
}

/** {@link deferred} builds one {@link Deferred}: the rule and why it waits for apply. */
export function deferred(rule: RuleId, resources: string[], reason: string): Deferred {
    return { rule, resources, reason: `[${rule}] deferred until apply: ${reason}` };
}

/** {@link empty} is an outcome with nothing broken and nothing deferred. */
export function empty(): CheckOutcome {
    return { violations: [], deferred: [] };
}

/** {@link q} quotes a resource name in a message. */
export const q = (s: string) => `"${s}"`;

/** {@link mergeAll} concatenates outcomes (violations and deferred rules, in order). */
export function mergeAll(parts: readonly CheckOutcome[]): CheckOutcome {
    const out = empty();
    for (const o of parts) {
        for (const v of o.violations) out.violations.push(v);
        for (const d of o.deferred) out.deferred.push(d);
    }
    return out;
}

/**
 * {@link sameVpc} tells whether two VPC facts are the same VPC: by id when both ids are known, by name when
 * neither is; `undefined` when it cannot tell until apply.
 */
export function sameVpc(a: VpcFacts, b: VpcFacts): boolean | undefined {
    if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
    if (a.name === b.name && a.id === b.id) return true;
    return a.id === undefined && b.id === undefined ? a.name === b.name : undefined;
}

/** {@link vpcKey} identifies a VPC in the facts: by id when known, else by resource name. */
export function vpcKey(v: VpcFacts): string {
    return v.id !== undefined ? `id:${v.id}` : `name:${v.name}`;
}
