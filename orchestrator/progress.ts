// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What a run prints: a stack's engine events as prefixed progress lines (`[shop] creating Vpc shop …`), the counts
// and durations of its summary lines, the useful part of a failed CLI run, and the end-of-run summary. Secrets never
// reach these lines: outputs marked secret are shown as `[secret]`, and the runner's log redacts the rest.

import type { EngineEvent, OutputMap } from "@pulumi/pulumi/automation";

import { classifyDiagnostic, nameOfUrn, shortType } from "./events";
import { MissingOutputError } from "./plan";
import { redact } from "./redact";
import type { RunReport, StackRunResult } from "./runTypes";

/** {@link publicOutputs} are a stack's outputs as logs and reports may show them (secrets as `[secret]`). */
export function publicOutputs(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value]));
}

/** {@link failureText} is the useful part of a failed CLI run: its error diagnostics, else the `error:` lines of its output. */
export function failureText(e: unknown, errors: readonly string[]): string {
    if (errors.length) return errors.join("\n");
    if (e instanceof MissingOutputError) return e.message;
    const msg = e instanceof Error ? e.message : String(e); // the CLI's CommandError too
    const lines = msg.split("\n").filter((l) => /error:/i.test(l) && !/Command failed with exit code/.test(l));
    // The CLI's message carries its stdout and its stderr, which often repeat the same error line.
    const text = [...new Set((lines.length ? lines : msg.split("\n").slice(0, 6)).map((l) => l.trim()))].join("\n");
    return redact(text.replace(/^error: /gm, ""));
}

/** {@link plural} is `1 stack`, `2 stacks`. */
export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** {@link secs} is a duration for progress lines (`4.2s`). */
export function secs(ms: number): string {
    return `${(ms / 1000).toFixed(1)}s`;
}

/** `{ create: 2, same: 1 }` → `2 created, 1 unchanged` (for progress lines). */
export function describeChanges(changes: Record<string, number> | undefined, preview = false): string {
    if (!changes) return "no changes";
    const words: Record<string, [string, string]> = {
        create: ["created", "to create"],
        update: ["updated", "to update"],
        replace: ["replaced", "to replace"],
        delete: ["deleted", "to delete"],
        same: ["unchanged", "unchanged"],
    };
    const parts = Object.entries(changes)
        .filter(([k, n]) => n > 0 && words[k])
        .map(([k, n]) => `${n} ${words[k][preview ? 1 : 0]}`);
    return parts.length ? parts.join(", ") : "no changes";
}

/**
 * {@link progressPrinter} prints engine events as progress lines — what starts (`creating Vpc shop …`) as well as
 * what finished — and collects error diagnostics into `errors`. `counts` are the finished operations of the
 * program's own resources (not the stack and provider resources Pulumi adds), the same count `preview` and `status`
 * report.
 */
export function progressPrinter(
    log: (line: string) => void,
    name: string,
    verb: string,
    errors: string[],
    counts: Record<string, number> = {},
): (e: EngineEvent) => void {
    const done: Record<string, string> = {
        create: "created",
        update: "updated",
        delete: "deleted",
        replace: "replaced",
        refresh: "refreshed",
    };
    const doing: Record<string, string> = {
        create: "creating",
        update: "updating",
        delete: "deleting",
        replace: "replacing",
    };
    return (e: EngineEvent) => {
        if (e.resourcePreEvent && verb !== "preview") {
            const m = e.resourcePreEvent.metadata;
            if (doing[m.op] && !m.type.startsWith("pulumi:")) {
                log(`[${name}] ${doing[m.op]} ${shortType(m.type)} ${nameOfUrn(m.urn)} …`);
            }
        }
        if (e.resOutputsEvent) {
            const m = e.resOutputsEvent.metadata;
            if (!m.type.startsWith("pulumi:")) counts[m.op] = (counts[m.op] ?? 0) + 1;
            if (done[m.op] && !m.type.startsWith("pulumi:") && !(m.op === "refresh" && verb !== "refresh")) {
                log(`[${name}] ${done[m.op]} ${shortType(m.type)} ${nameOfUrn(m.urn)}`);
            }
        }
        if (e.resOpFailedEvent) {
            const m = e.resOpFailedEvent.metadata;
            log(`[${name}] failed to ${m.op} ${shortType(m.type)} ${nameOfUrn(m.urn)}`);
        }
        if (e.diagnosticEvent) {
            const d = e.diagnosticEvent;
            const res = d.urn ? `${shortType(d.urn.split("::")[2] ?? "")} ${nameOfUrn(d.urn)}` : undefined;
            const f = classifyDiagnostic(d.severity, d.message, res);
            if (!f) return;
            const line = `${f.resource ? `${f.resource}: ` : ""}${f.message}`;
            if (f.kind === "failure" || f.kind === "error") {
                if (!errors.includes(line)) errors.push(line);
                log(`[${name}] error: ${line}`);
            } else log(`[${name}] warning: ${line}`);
        }
    };
}

/** {@link renderRunSummary} is the end-of-run report: what ran, what failed, what did not start. */
export function renderRunSummary(r: RunReport): string {
    const lines: string[] = [];
    const by = (st: StackRunResult["status"]) => r.stacks.filter((s) => s.status === st);
    const verdict = r.cancelled ? `CANCELLED (${r.cancelled})` : r.ok ? "succeeded" : "FAILED";
    lines.push(
        `${r.command} ${verdict}: ${by("succeeded").length} succeeded, ${by("failed").length} failed, ` +
            `${r.cancelled ? `${by("cancelled").length} cancelled, ` : ""}${by("not-started").length} not started`,
    );
    for (const s of r.stacks) {
        if (s.status === "succeeded") {
            lines.push(`  ✔ ${s.name}: ${describeChanges(s.changes)}${s.durationMs ? ` (${secs(s.durationMs)})` : ""}`);
        } else if (s.status === "failed") {
            const [first, ...rest] = (s.reason ?? "failed").split("\n");
            lines.push(`  ✘ ${s.name}: FAILED: ${first}`);
            for (const l of rest) lines.push(`      ${l}`);
        } else if (s.status === "cancelled") lines.push(`  ⊘ ${s.name}: ${s.reason}`);
        else lines.push(`  · ${s.name}: not started (${s.reason})`);
    }
    return lines.join("\n");
}
