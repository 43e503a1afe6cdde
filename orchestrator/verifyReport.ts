// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The `verify` report: the same topology picture as the PR report (its Mermaid and SVG renderers, fed with what is
// live), the state of every path, the findings with their fixes, the drift per stack and the commands that reconcile
// it — as Markdown (an issue body), JSON (for gating) and a one-line summary. Pure.

import type { LiveWorld } from "../core/reachability";
import { renderMermaid } from "./reportMermaid";
import type { Topology, TopoPeering, TopoRoute, TopoVpc } from "./reportTopology";
import { code, md, topologySection } from "./markdown";
import type { VerifyReport } from "./verify";
import type { DriftItem, Inventory } from "./verifyDrift";

/**
 * {@link liveTopology} draws what is live: VPCs (`same` when a stack manages them, `external` otherwise, `update`
 * when changed outside Pulumi), the checked peerings with their live status, and the routes of the VPCs
 * (`added` when no stack manages them, `deleted` for managed routes that are gone).
 */
export function liveTopology(
    world: LiveWorld,
    inv: Inventory,
    drift: readonly DriftItem[],
    checked: readonly string[],
): Topology {
    const managed = new Map(inv.objects.map((o) => [`${o.kind}:${o.id}`, o]));
    const changed = new Set(drift.filter((d) => d.kind === "changed").map((d) => d.id));
    const inScope = new Set(
        checked
            .flatMap((id) => world.peerings.filter((p) => p.id === id))
            .flatMap((p) => [p.requesterVpcId, p.accepterVpcId]),
    );
    const vpcs: TopoVpc[] = world.vpcs
        .filter((v) => inScope.has(v.id) || managed.has(`Vpc:${v.id}`))
        .map((v) => {
            const m = managed.get(`Vpc:${v.id}`);
            return {
                key: `id:${v.id}`,
                name: v.name,
                stack: m?.stack,
                account: v.account,
                cidr: v.cidr,
                id: v.id,
                op: changed.has(v.id) ? "update" : m ? "same" : "external",
            };
        });
    const shown = new Set(vpcs.map((v) => v.id));
    const peerings: TopoPeering[] = world.peerings
        .filter((p) => checked.includes(p.id) && shown.has(p.requesterVpcId) && shown.has(p.accepterVpcId))
        .map((p) => {
            const req = managed.get(`PeeringConnection:${p.id}`);
            const acc = managed.get(`PeeringAccepter:${p.id}`);
            return {
                key: `p:${p.id}`,
                name: p.name,
                stack: req?.stack ?? acc?.stack ?? "",
                from: `id:${p.requesterVpcId}`,
                to: `id:${p.accepterVpcId}`,
                id: p.id,
                status: p.status,
                op: req || acc ? "same" : "external",
                acceptedBy: acc ? `${acc.stack}/${acc.resource}` : undefined,
            };
        });
    const peeringOf = new Map(world.peerings.map((p) => [p.id, p]));
    const routes: TopoRoute[] = [];
    for (const r of world.routes) {
        if (!shown.has(r.vpcId)) continue;
        const m = managed.get(`Route:${r.id}`);
        const p = peeringOf.get(r.nexthop);
        const to = p ? (p.requesterVpcId === r.vpcId ? p.accepterVpcId : p.requesterVpcId) : undefined;
        routes.push({
            key: r.id,
            name: m?.resource ?? r.id,
            stack: m?.stack ?? "",
            vpc: `id:${r.vpcId}`,
            destination: r.destination,
            peering: peerings.some((x) => x.id === r.nexthop) ? `p:${r.nexthop}` : undefined,
            to: to && shown.has(to) ? `id:${to}` : undefined,
            op: m ? "same" : "added",
        });
    }
    for (const d of drift) {
        if (d.kind !== "deleted" || d.type !== "Route") continue;
        const o = managed.get(`Route:${d.id}`)!;
        const vpc = String(o.outputs.vpcId ?? "");
        if (!shown.has(vpc)) continue;
        routes.push({
            key: d.id,
            name: o.resource,
            stack: o.stack,
            vpc: `id:${vpc}`,
            destination: typeof o.outputs.destination === "string" ? o.outputs.destination : undefined,
            op: "deleted",
        });
    }
    return { vpcs, peerings, routes };
}

const STATE_ICON: Record<string, string> = {
    flows: "✅ flows",
    partial: "❌ partly",
    blocked: "❌ blocked",
    pending: "⏳ pending",
    unknown: "❔ unknown",
};

/** {@link renderVerifySummary} is the one-line result `verify` prints. */
export function renderVerifySummary(r: VerifyReport): string {
    const t = r.totals;
    return (
        `verify ${r.ok ? "passed" : "FAILED"}: ${t.peerings} peering${t.peerings === 1 ? "" : "s"}, ` +
        `${t.flowing} of ${t.paths} paths carry traffic` +
        (t.pending ? `, ${t.pending} pending` : "") +
        (t.broken ? `, ${t.broken} broken` : "") +
        (t.unknown ? `, ${t.unknown} unknown` : "") +
        `; ${t.errors} error${t.errors === 1 ? "" : "s"}, ${t.warnings} warning${t.warnings === 1 ? "" : "s"}, ` +
        `${t.drift} drifted object${t.drift === 1 ? "" : "s"} (${r.requests} read-only requests)`
    );
}

/** {@link renderVerifyMarkdown} renders the report (an issue body or a job summary). */
export function renderVerifyMarkdown(r: VerifyReport, opts: { svgPath?: string; title?: string } = {}): string {
    const L: string[] = [];
    L.push(`## ${opts.title ?? `VPC peering verify${r.plan ? `: ${md(r.plan)}` : ""}`}`);
    L.push("");
    L.push(`${r.ok ? "✅" : "❌"} **${renderVerifySummary(r).replace(/^verify /, "")}** · ${r.generatedAt}`);
    L.push("");
    if (r.paths.length) {
        L.push("| Peering | From → to | Traffic | Reaches | Why not |");
        L.push("|---|---|---|---|---|");
        for (const p of r.paths) {
            const from = `${md(p.fromName)}${p.fromAccount ? ` (${md(p.fromAccount)})` : ""}`;
            const to = `${md(p.toName)}${p.toAccount ? ` (${md(p.toAccount)})` : ""}`;
            L.push(
                `| ${code(p.peeringName)}${p.stack ? ` · ${code(p.stack)}` : ""} | ${from} → ${to} | ${STATE_ICON[p.state]} | ` +
                    `${p.reaching.length ? p.reaching.map(code).join(" ") : "—"} | ${p.reasons.map(code).join(" ") || "—"} |`,
            );
        }
        L.push("");
    }
    if (r.findings.length) {
        L.push("### Findings");
        L.push("");
        for (const f of r.findings) {
            L.push(`- ${f.severity === "error" ? "❌" : "⚠️"} ${code(f.rule)} ${md(f.message)}`);
            const who = [
                f.accounts.length ? `accounts ${f.accounts.map(code).join(", ")}` : "",
                f.stacks.length ? `stacks ${f.stacks.map(code).join(", ")}` : "",
                f.vpcs.length ? `VPCs ${f.vpcs.map(code).join(", ")}` : "",
                f.routes.length ? `routes ${f.routes.map(code).join(", ")}` : "",
            ].filter(Boolean);
            if (who.length) L.push(`  - ${who.join(" · ")}`);
            L.push(`  - Fix: ${md(f.fix)}${f.command ? ` — ${code(f.command)}` : ""}`);
        }
        L.push("");
    }
    if (r.drift.length) {
        L.push("### Drift (changed outside Pulumi)");
        L.push("");
        L.push("| Stack | Change | Object | What | Reconcile |");
        L.push("|---|---|---|---|---|");
        for (const d of r.drift) {
            const obj = `${d.type} ${d.resource ? code(d.resource) : ""} ${code(d.id)}`.replace(/ {2}/g, " ");
            const affects = d.affects.length ? ` (affects ${d.affects.map(code).join(", ")})` : "";
            L.push(`| ${code(d.stack)} | ${d.kind} | ${obj} | ${md(d.detail)}${affects} | ${md(d.fix)} |`);
        }
        L.push("");
    }
    if (r.commands.length) {
        L.push("### Reconcile");
        L.push("");
        L.push("```sh");
        for (const c of r.commands) L.push(c);
        L.push("```");
        L.push("");
    }
    if (r.topology.vpcs.length) {
        L.push(...topologySection("Topology (live)", renderMermaid(r.topology), opts.svgPath));
    }
    if (r.notes.length) {
        L.push("<details><summary>Notes</summary>");
        L.push("");
        for (const n of r.notes) L.push(`- ${md(n)}`);
        L.push("");
        L.push("</details>");
        L.push("");
    }
    L.push(
        "<sub>Read with each account's own credentials, GET requests only. A path carries traffic when the peering is " +
            "ACTIVE and, for every address of the peer's CIDR, the most specific route of the VPC goes through it.</sub>",
    );
    return L.join("\n") + "\n";
}

/** {@link renderVerifyJson} is the machine-readable report. */
export function renderVerifyJson(r: VerifyReport): string {
    return JSON.stringify(r, null, 2) + "\n";
}
