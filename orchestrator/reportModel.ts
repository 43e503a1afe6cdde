// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PR preview report's data, from a preview over a plan: per stack the planned creates / updates / replaces /
// deletes with the changed properties, every constraint failure and deferred check, notes on what the preview stood
// on, the pending acceptances with their expiry, and the topology (reportTopology.ts). Rendered as Markdown
// (reportMarkdown.ts, Mermaid diagram inside from reportMermaid.ts), JSON (`renderJson`, for machines) and a
// standalone SVG (topologySvg.ts). Pure: it reads recorded preview results.

import type { ChangeOp, Finding, ResourceChange, ResourceView } from "./events";
import { describeNotFinal, NotFinalRead } from "../core/plannedOutputs";
import type { PlaceholderUse, PreviewRun, StackPreviewResult } from "./runner";
import type { PlaceholderMapping } from "./planCheck";
import { buildTopology, known, obj, Topology, withProgramFacts } from "./reportTopology";

/** {@link StackSection} is one stack in the report. */
export interface StackSection {
    readonly name: string;
    readonly fqName: string;
    readonly program: string;
    readonly status: "ok" | "failed" | "skipped";
    readonly reason?: string;
    readonly durationMs: number;
    readonly counts: Readonly<Record<ChangeOp, number>>;
    readonly changes: readonly ResourceChange[];
    readonly failures: readonly Finding[];
    readonly deferred: readonly Finding[];
    readonly warnings: readonly Finding[];
    readonly errors: readonly Finding[];
    readonly notes: readonly string[];
    /** Outputs of upstream stacks not deployed yet that this preview used (from their previews, or placeholders). */
    readonly placeholders?: readonly PlaceholderUse[];
    /** Facts read through StackReferences from upstream outputs this change replaces (checked at `up`). */
    readonly notFinal?: readonly NotFinalRead[];
}

/** {@link PendingItem} is a peering request that waits (or will wait) for the peer's acceptance. */
export interface PendingItem {
    readonly stack: string;
    readonly resource: string;
    readonly peeringId?: string;
    /** `pending` (deployed, waiting), `expired` (deployed, past its expiry), `new` (created by this change). */
    readonly state: "pending" | "expired" | "new";
    readonly expiresAt?: string;
    readonly peerProjectId?: string;
    /** The accepter in this plan that accepts it (`stack/resource`), if any. */
    readonly acceptedBy?: string;
}

/** {@link PreviewReport} is the report's data; the JSON output is exactly this. */
export interface PreviewReport {
    readonly schema: "pulumi-vpc-peering/preview-report@1";
    readonly plan: string;
    readonly generatedAt: string;
    readonly ok: boolean;
    /** Counts; `pending` counts every waiting request, `unaccepted` those that nobody in this plan accepts. */
    readonly totals: Readonly<
        Record<ChangeOp | "failures" | "deferred" | "pending" | "unaccepted" | "failedStacks" | "skippedStacks", number>
    >;
    readonly stacks: readonly StackSection[];
    readonly pending: readonly PendingItem[];
    readonly topology: Topology;
    /** When the plan was checked as a whole: which declared VPC each placeholder id was taken as. */
    readonly placeholderMappings?: readonly PlaceholderMapping[];
}

/** {@link buildReport} turns a preview run into the report's data. `now` decides what has expired. */
export function buildReport(run: PreviewRun, now: Date = new Date(run.generatedAt)): PreviewReport {
    const changedStacks = new Set(
        run.stacks.filter((s) => s.status === "ok" && s.collected.changes.length > 0).map((s) => s.name),
    );
    const failedStacks = new Set(run.stacks.filter((s) => s.status === "failed").map((s) => s.name));
    const sections: StackSection[] = run.stacks.map((s) => section(s, run, changedStacks, failedStacks));
    const topology = buildTopology(run.stacks);
    const pending = pendingItems(run.stacks, topology, now);
    const sum = (f: (s: StackSection) => number): number => sections.reduce((n, s) => n + f(s), 0);
    return {
        schema: "pulumi-vpc-peering/preview-report@1",
        plan: run.plan,
        generatedAt: run.generatedAt,
        ok: run.ok,
        totals: {
            create: sum((s) => s.counts.create),
            update: sum((s) => s.counts.update),
            replace: sum((s) => s.counts.replace),
            delete: sum((s) => s.counts.delete),
            failures: sum((s) => s.failures.length),
            deferred: sum((s) => s.deferred.length),
            pending: pending.length,
            unaccepted: pending.filter((p) => !p.acceptedBy).length,
            failedStacks: failedStacks.size,
            skippedStacks: sections.filter((s) => s.status === "skipped").length,
        },
        stacks: sections,
        pending,
        topology,
        ...(run.placeholderMappings?.length ? { placeholderMappings: run.placeholderMappings } : {}),
    };
}

function section(
    s: StackPreviewResult,
    run: PreviewRun,
    changedStacks: ReadonlySet<string>,
    failedStacks: ReadonlySet<string>,
): StackSection {
    const counts: Record<ChangeOp, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const c of s.collected.changes) counts[c.op]++;
    const f = (k: Finding["kind"]) => s.collected.findings.filter((x) => x.kind === k);
    const notes: string[] = [];
    if (s.status !== "skipped") {
        const direct = run.dependsOn[s.name] ?? [];
        const list = (xs: string[]) => xs.map((d) => `\`${d}\``).join(", ");
        // An upstream stood in for by its preview (not deployed yet, or its changed outputs) is not "the deployed
        // outputs"; nor is one whose changed outputs the program was told about (read at apply).
        const stoodIn = new Set([
            ...(s.placeholders ?? []).map((p) => p.stack),
            ...(s.notFinal ?? []).map((r) => run.stacks.find((x) => x.fqName === r.stack)?.name ?? r.stack),
        ]);
        const changing = direct.filter((d) => changedStacks.has(d) && !stoodIn.has(d));
        const failing = direct.filter((d) => failedStacks.has(d) && !stoodIn.has(d));
        if (changing.length) {
            notes.push(
                `Previewed against the **deployed** outputs of ${list(changing)}, which this change also modifies: ` +
                    `preview again after ${changing.length === 1 ? "it is" : "they are"} applied.`,
            );
        }
        if (failing.length) {
            notes.push(
                `Previewed against the **deployed** outputs of ${list(failing)}, whose preview failed: ` +
                    `fix ${failing.length === 1 ? "it" : "them"} first.`,
            );
        }
    }
    const planned = (s.placeholders ?? []).filter((p) => p.deployed !== undefined);
    if (planned.length) {
        notes.push(
            `Previewed with the outputs this change gives its upstream: ` +
                planned
                    .map((p) =>
                        p.from === "preview"
                            ? `\`${p.stack}.${p.output}\` = ${p.value} (deployed: ${p.deployed})`
                            : `\`${p.stack}.${p.output}\` = ${p.value} as deployed (its planned value is known once applied; not decided on)`,
                    )
                    .join(", ") +
                ".",
        );
    }
    if (s.notFinal?.length) {
        notes.push(
            `Reads through StackReferences ${describeNotFinal(s.notFinal)} — outputs this change replaces: the ` +
                `checks that use them are not decided by this preview; \`peering-stacks up\` runs them when it reaches ` +
                `this stack, after its upstream is applied.`,
        );
    }
    const missing = (s.placeholders ?? []).filter((p) => p.deployed === undefined);
    if (missing.length) {
        const ups = [...new Set(missing.map((p) => p.stack))];
        notes.push(
            `Previewed before ${ups.map((u) => `\`${u}\``).join(", ")} ${ups.length === 1 ? "is" : "are"} deployed: ` +
                missing
                    .map((p) =>
                        p.from === "preview"
                            ? `\`${p.stack}.${p.output}\` = ${p.value} (from its preview)`
                            : `\`${p.stack}.${p.output}\` is a placeholder (known once it is deployed)`,
                    )
                    .join(", ") +
                ".",
        );
    }
    for (const x of f("failure").filter((y) => y.stacks && y.stacks.length > 1)) {
        notes.push(
            `\`${x.rule}\` on ${x.resource} was found by checking the stacks ${x.stacks!.map((n) => `\`${n}\``).join(", ")} together.`,
        );
    }
    const errors = f("error");
    // A failed preview with no diagnostic still says why.
    if (s.status === "failed" && f("failure").length === 0 && errors.length === 0 && s.reason) {
        errors.push({ kind: "error", message: s.reason });
    }
    return {
        name: s.name,
        fqName: s.fqName,
        program: s.program,
        status: s.status,
        reason: s.reason,
        durationMs: s.durationMs,
        counts,
        changes: s.collected.changes,
        failures: f("failure"),
        deferred: f("deferred"),
        warnings: f("warning"),
        errors,
        notes,
        ...(s.placeholders?.length ? { placeholders: s.placeholders } : {}),
        ...(s.notFinal?.length ? { notFinal: s.notFinal } : {}),
    };
}

function isCrossAccount(r: ResourceView): boolean {
    const req = obj(r.inputs.requester);
    const acc = obj(r.inputs.accepter);
    const a = known(req.account) ?? known(r.inputs.account);
    const b = known(acc.account);
    if (a && b) return a !== b;
    const peer = r.inputs.peerProjectId;
    if (peer === undefined || peer === null || peer === "") return false;
    const own = known(req.projectId);
    return !(own && known(peer) === own);
}

function pendingItems(stacks: readonly StackPreviewResult[], topo: Topology, now: Date): PendingItem[] {
    const out: PendingItem[] = [];
    for (const s of stacks) {
        for (const r of withProgramFacts(s)) {
            if (r.type !== "PeeringConnection" || r.op === "delete") continue;
            const id = known(r.id);
            const p = topo.peerings.find((x) => (id ? x.id === id : x.key === `${s.name}/${r.name}`));
            const base = {
                stack: s.name,
                resource: r.name,
                peeringId: id,
                peerProjectId: known(r.inputs.peerProjectId),
                acceptedBy: p?.acceptedBy,
            };
            if (r.op === "create" || r.op === "replace") {
                if (isCrossAccount(r)) out.push({ ...base, state: "new" });
            } else if (r.outputs.status === "PENDING_ACCEPTANCE" && p?.status !== "ACTIVE") {
                const expiresAt = known(r.outputs.expiresAt);
                const expired = expiresAt !== undefined && Date.parse(expiresAt) < now.getTime();
                out.push({ ...base, state: expired ? "expired" : "pending", expiresAt });
            }
        }
    }
    return out;
}

/** {@link renderJson} is the machine-readable report. */
export function renderJson(r: PreviewReport): string {
    return JSON.stringify(r, null, 2) + "\n";
}
