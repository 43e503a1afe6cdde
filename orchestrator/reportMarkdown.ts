// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PR preview report as Markdown, for a PR comment: the summary and per-stack table, the pending acceptances,
// the topology (a Mermaid diagram, reportMermaid.ts) and per stack its notes, findings and property changes.

import type { ChangeOp, Finding, PropertyChange, ResourceChange } from "./events";
import { PENDING_ACCEPTANCE_DAYS } from "../core/rules";
import { code, md, topologySection } from "./markdown";
import type { PreviewReport, StackSection } from "./reportModel";
import { renderMermaid } from "./reportMermaid";

/** Past this many properties per resource the report says "… n more". */
const MAX_PROPERTIES = 14;
/** A stack's change table longer than this is collapsed in `<details>`. */
const MAX_OPEN_ROWS = 8;

const OP_SIGN: Record<ChangeOp, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const STATUS_ICON: Record<StackSection["status"], string> = { ok: "✅", failed: "❌", skipped: "⏸️" };

function propertyText(p: PropertyChange): string {
    if (p.kind === "add") return `${code(p.path)} = ${code(p.new ?? "")}`;
    if (p.kind === "delete") return `${code(p.path)} ~~${code(p.old ?? "")}~~`;
    return `${code(p.path)}: ${code(p.old ?? "")} → ${code(p.new ?? "")}`;
}

function changeRow(c: ResourceChange): string {
    let props: string;
    if (c.internalOnly) props = "_only the serialized provider code changed (no input differs)_";
    else {
        const shown = c.properties.slice(0, MAX_PROPERTIES).map(propertyText);
        if (c.properties.length > MAX_PROPERTIES) shown.push(`… ${c.properties.length - MAX_PROPERTIES} more`);
        props = shown.join("<br>") || "—";
    }
    return `| ${OP_SIGN[c.op]} ${c.op} | ${code(`${c.type} ${c.name}`)} | ${props} |`;
}

/** A heading and one line per finding, each followed by a blank line; nothing when there are none. */
function findingsBlock(heading: string, findings: readonly Finding[]): string[] {
    return findings.length ? [heading, "", ...findings.map(findingLine), ""] : [];
}

function findingLine(f: Finding): string {
    const who = f.resource ? `**${md(f.resource)}**: ` : "";
    const rule = f.rule ? `${code(f.rule)} ` : "";
    let msg = f.message;
    if (f.rule) msg = msg.replace(`[${f.rule}] `, "");
    return `- ${rule}${who}${md(msg)}`;
}

function fmtDate(iso?: string): string {
    if (!iso) return "—";
    const d = new Date(iso);
    return Number.isNaN(d.getTime())
        ? iso
        : d
              .toISOString()
              .replace(/\.\d{3}Z$/, "Z")
              .replace("T", " ");
}

/** {@link renderMarkdown} renders the report as a PR comment. */
export function renderMarkdown(r: PreviewReport, opts: { svgPath?: string; title?: string } = {}): string {
    const L: string[] = [];
    const t = r.totals;
    const previewed = r.stacks.filter((s) => s.status !== "skipped").length;
    L.push(`## ${opts.title ?? `VPC peering preview: ${md(r.plan)}`}`);
    L.push("");
    L.push(
        `${r.ok ? "✅" : "❌"} **${previewed} of ${r.stacks.length} stacks previewed**` +
            (t.failedStacks ? `, **${t.failedStacks} failed**` : "") +
            (t.skippedStacks ? `, ${t.skippedStacks} waiting for upstream` : "") +
            ` · ${t.create} to create · ${t.update} to update · ${t.replace} to replace · ${t.delete} to delete` +
            ` · ${t.failures} constraint failure${t.failures === 1 ? "" : "s"}` +
            ` · ${t.deferred} deferred check${t.deferred === 1 ? "" : "s"}` +
            ` · ${t.pending} pending acceptance${t.pending === 1 ? "" : "s"}` +
            (t.pending ? ` (${t.pending - t.unaccepted} accepted by this plan)` : ""),
    );
    L.push("");
    L.push("| Stack | Result | + | ~ | +- | - | Failures | Deferred |");
    L.push("|---|---|---:|---:|---:|---:|---:|---:|");
    for (const s of r.stacks) {
        const result =
            s.status === "skipped" ? `${STATUS_ICON.skipped} not previewed` : `${STATUS_ICON[s.status]} ${s.status}`;
        L.push(
            `| ${code(s.name)} | ${result} | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ` +
                `${s.counts.delete} | ${s.failures.length} | ${s.deferred.length} |`,
        );
    }
    L.push("");

    if (r.pending.length) {
        L.push("### Pending acceptances");
        L.push("");
        L.push("| Peering | Stack | State | Expires | Accepted by |");
        L.push("|---|---|---|---|---|");
        for (const p of r.pending) {
            const state =
                p.state === "new"
                    ? `new cross-account request: PENDING_ACCEPTANCE once created`
                    : p.state === "expired"
                      ? "⚠️ EXPIRED (the next `up` requests again)"
                      : "⏳ PENDING_ACCEPTANCE";
            const expires =
                p.state === "new" ? `${PENDING_ACCEPTANCE_DAYS} days after it is created` : fmtDate(p.expiresAt);
            const by = p.acceptedBy
                ? `${code(p.acceptedBy)} in this plan`
                : `nobody in this plan: the owner of project ${code(p.peerProjectId ?? "?")} must accept it`;
            L.push(
                `| ${code(p.resource)}${p.peeringId ? ` (${code(p.peeringId)})` : ""} | ${code(p.stack)} | ${state} | ${expires} | ${by} |`,
            );
        }
        L.push("");
    }

    if (r.topology.vpcs.length) L.push(...topologySection("Topology", renderMermaid(r.topology), opts.svgPath));

    for (const s of r.stacks) {
        L.push(`### ${STATUS_ICON[s.status]} ${code(s.name)}`);
        L.push("");
        L.push(
            `${code(s.fqName)} · program ${code(s.program)}${s.durationMs ? ` · ${(s.durationMs / 1000).toFixed(1)}s` : ""}`,
        );
        L.push("");
        if (s.status === "skipped") {
            L.push(`> ${md(s.reason ?? "not previewed")}`);
            L.push("");
            continue;
        }
        for (const n of s.notes) L.push(`> ${n}`, "");
        L.push(...findingsBlock("**Constraint failures** (the preview fails; nothing would be created)", s.failures));
        L.push(...findingsBlock("**Errors**", s.errors));
        L.push(
            ...findingsBlock(
                "**Checks deferred until apply** (a value is unknown until then; the provider checks again)",
                s.deferred,
            ),
        );
        const warnings = findingsBlock("<details><summary>Warnings</summary>", s.warnings);
        if (warnings.length) L.push(...warnings, "</details>", "");
        if (s.changes.length) {
            // A long table is collapsed, so the summary, failures and other stacks stay in view.
            const collapse = s.changes.length > MAX_OPEN_ROWS;
            if (collapse) L.push(`<details><summary>${s.changes.length} resource changes</summary>`, "");
            L.push("| Operation | Resource | Properties |");
            L.push("|---|---|---|");
            for (const c of s.changes) L.push(changeRow(c));
            L.push("");
            if (collapse) L.push("</details>", "");
        } else if (s.status === "ok") {
            L.push("No changes.");
            L.push("");
        }
    }
    L.push(
        "<sub>Property diffs are computed by pulumi-vpc-peering from the engine's old and new inputs (the CLI shows " +
            "none for dynamic resources); internal inputs are hidden. Stacks read their upstream's last deployed " +
            "outputs.</sub>",
    );
    return L.join("\n") + "\n";
}
