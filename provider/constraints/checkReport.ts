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
import { Deferred, SubjectKind, Violation } from "./rules";

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
