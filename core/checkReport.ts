// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The check report: the structured results of a preview's checks, for machines (the `peering-stacks` orchestrator,
// a CI job). When VPCPEERING_CHECK_REPORT names a file, the program (sdk/graph.ts) appends one record per declared
// resource — its facts, violations, deferred and suppressed rules — and each provider's `check` appends one record
// per resource it checked — every failure it returns, structured. JSON lines, one versioned record per line;
// `readCheckReport` is the only reader. Nothing in it is a credential: facts are names, ids, CIDRs, regions,
// account profile names and project ids.

import * as fs from "node:fs";

import { DeclaredFacts, SuppressedViolation } from "./checksPayload";
import { NotFinalRead } from "./plannedOutputs";
import { Deferred, SubjectKind, Suppression, Violation } from "./rules";

/** {@link CHECK_REPORT_ENV} names the environment variable holding the report file's path. */
export const CHECK_REPORT_ENV = "VPCPEERING_CHECK_REPORT";

/** {@link CHECK_REPORT_VERSION} is the record version this package writes and reads. */
export const CHECK_REPORT_VERSION = 1;

/** {@link InputFailure} is a check failure that is not a rule: an invalid input (`region`, `account`, …). */
export interface InputFailure {
    readonly property: string;
    readonly reason: string;
}

/** {@link CheckRecord} is one line of the report. */
export interface CheckRecord {
    readonly version: typeof CHECK_REPORT_VERSION;
    /** `program`: what the program declared and found; `provider`: what the provider's `check` returned. */
    readonly source: "program" | "provider";
    readonly kind: SubjectKind;
    /** The Pulumi resource name. */
    readonly name: string;
    /** The resource's facts (program records; provider records hold them after the lookups). */
    readonly facts?: DeclaredFacts;
    /** Rule violations: for a provider record, every rule failure its `check` returned. */
    readonly violations: readonly Violation[];
    readonly deferred: readonly Deferred[];
    readonly suppressed: readonly SuppressedViolation[];
    /** Program records: the resource's `suppressRules`, so checks over the whole plan honour them too. */
    readonly suppressions?: readonly Suppression[];
    /** Program records: facts read from upstream outputs this plan changes (unknown in `facts`). */
    readonly notFinal?: readonly NotFinalRead[];
    /** Provider records: failures of input validation (not rules). */
    readonly inputFailures?: readonly InputFailure[];
}

/** {@link writeCheckRecord} appends a record when VPCPEERING_CHECK_REPORT is set; otherwise does nothing. */
export function writeCheckRecord(r: Omit<CheckRecord, "version">, env: NodeJS.ProcessEnv = process.env): void {
    const file = env[CHECK_REPORT_ENV];
    if (!file) return;
    // One write per line: appends of one small line do not interleave between the program and the provider.
    fs.appendFileSync(file, JSON.stringify({ version: CHECK_REPORT_VERSION, ...r }) + "\n");
}

/** {@link readCheckReport} reads a report file; records of another version and malformed lines are skipped. */
export function readCheckReport(file: string): CheckRecord[] {
    if (!fs.existsSync(file)) return [];
    const out: CheckRecord[] = [];
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        try {
            const r = JSON.parse(line) as CheckRecord;
            if (r.version === CHECK_REPORT_VERSION && typeof r.name === "string" && typeof r.kind === "string") {
                out.push({
                    ...r,
                    violations: r.violations ?? [],
                    deferred: r.deferred ?? [],
                    suppressed: r.suppressed ?? [],
                });
            }
        } catch {
            // a torn last line of a cancelled run
        }
    }
    return out;
}

/**
 * {@link UNKNOWN} is the value Pulumi sends for a value not known during preview: `pulumi.runtime.unknownValue`
 * (a unit test holds the two equal). One constant here, so the provider and the orchestrator recognise it without
 * loading the Pulumi runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * {@link PLACEHOLDER_PREFIX} starts the value the orchestrator passes for an output of an upstream stack that is not
 * deployed yet (`vpcpeering-placeholder:<stack>.<output>`), so a brand-new plan can be previewed end to end. The
 * checks treat it as unknown (no lookup, no validation), except that two references to the same placeholder are the
 * same object.
 */
export const PLACEHOLDER_PREFIX = "vpcpeering-placeholder:";

/** {@link placeholderFor} is the placeholder for output `output` of stack `stack`. */
export function placeholderFor(stack: string, output: string): string {
    return `${PLACEHOLDER_PREFIX}${stack}.${output}`;
}

/** {@link isPlaceholder} tells whether a value is an orchestrator placeholder. */
export function isPlaceholder(v: unknown): v is string {
    return typeof v === "string" && v.startsWith(PLACEHOLDER_PREFIX);
}

/** {@link parsePlaceholder} returns the stack and output a placeholder stands for. */
export function parsePlaceholder(v: string): { stack: string; output: string } | undefined {
    if (!isPlaceholder(v)) return undefined;
    const rest = v.slice(PLACEHOLDER_PREFIX.length);
    const dot = rest.lastIndexOf(".");
    return dot > 0 ? { stack: rest.slice(0, dot), output: rest.slice(dot + 1) } : undefined;
}
