// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The topology of a PR report as a standalone SVG, laid out by dagre (a Sugiyama-style graph layout library):
// accounts are clusters, VPCs are boxes sized to their text (name, CIDR, stack, one line per route), peerings are
// edges whose labels dagre places in a rank of their own, so no label sits on a box or another label. The legend
// lists only the states that occur, in the colours the drawing uses.

import * as dagre from "@dagrejs/dagre";

import type { Topology, TopoPeering, TopoVpc } from "./reportTopology";

/** {@link Box} is an axis-aligned rectangle (top-left corner and size), in SVG user units. */
export interface Box {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}

/** {@link TopologyLayout} is where everything of the drawing goes; the tests check it for overlaps. */
export interface TopologyLayout {
    readonly width: number;
    readonly height: number;
    readonly title: Box;
    readonly accounts: ReadonlyArray<{ readonly account: string; readonly box: Box }>;
    readonly vpcs: ReadonlyArray<{ readonly vpc: TopoVpc; readonly box: Box; readonly lines: readonly string[] }>;
    readonly peerings: ReadonlyArray<{
        readonly peering: TopoPeering;
        readonly points: ReadonlyArray<{ x: number; y: number }>;
        readonly label: Box;
        readonly text: string;
    }>;
    readonly legend: ReadonlyArray<{ readonly key: string; readonly text: string; readonly box: Box }>;
}

const FONT_SIZE = 13;
const SMALL = 11;
// Generous per-character widths (DejaVu Sans / Helvetica at these sizes), so text never runs past its box.
const CHAR_W = 8;
const SMALL_CHAR_W = 7;
const LINE_H = 18;
const PAD = 12;
const TITLE_H = 50;

/** {@link VPC_STYLES} are the VPC fills by planned operation, with their legend text. */
export const VPC_STYLES: Readonly<Record<string, { fill: string; stroke: string; legend: string }>> = {
    create: { fill: "#dafbe1", stroke: "#1a7f37", legend: "VPC: new" },
    replace: { fill: "#fff8c5", stroke: "#9a6700", legend: "VPC: replaced" },
    update: { fill: "#ddf4ff", stroke: "#0969da", legend: "VPC: updated" },
    delete: { fill: "#ffebe9", stroke: "#cf222e", legend: "VPC: deleted" },
    external: { fill: "#f6f8fa", stroke: "#8c959f", legend: "VPC: outside the previewed stacks" },
    failing: { fill: "#ffebe9", stroke: "#cf222e", legend: "VPC: failing a constraint check (nothing is created)" },
    same: { fill: "#ffffff", stroke: "#57606a", legend: "VPC: unchanged" },
};

/** {@link PEERING_STYLES} are the peering line styles by state, with their legend text. */
export const PEERING_STYLES: Readonly<Record<string, { color: string; dash: string; legend: string }>> = {
    active: { color: "#1a7f37", dash: "", legend: "peering: ACTIVE" },
    pending: { color: "#9a6700", dash: "7 5", legend: "peering: waiting for acceptance" },
    new: { color: "#0969da", dash: "7 5", legend: "peering: new" },
    deleted: { color: "#cf222e", dash: "3 4", legend: "peering: deleted" },
    failing: { color: "#cf222e", dash: "", legend: "peering: failing a constraint check" },
    other: { color: "#57606a", dash: "3 4", legend: "peering: other status" },
};

/** {@link peeringStyleKey} classifies a peering for its line style and legend entry. */
export function peeringStyleKey(p: TopoPeering): keyof typeof PEERING_STYLES {
    if (p.op === "delete") return "deleted";
    if (p.op === "failing") return "failing";
    if (p.status === "ACTIVE") return "active";
    if (p.status === "PENDING_ACCEPTANCE") return "pending";
    if (p.status === "new" || p.op === "create" || p.op === "replace") return "new";
    return "other";
}

function textWidth(line: string, charW: number): number {
    return [...line].length * charW;
}

function vpcLines(t: Topology, v: TopoVpc): string[] {
    const head = v.op === "same" ? v.name : `${v.name} (${v.op})`;
    const lines = [head, v.cidr ?? "CIDR known after apply", v.stack ? `stack ${v.stack}` : "outside the plan"];
    for (const r of t.routes.filter((x) => x.vpc === v.key)) {
        const via = t.peerings.find((p) => p.key === r.peering)?.name ?? "a peering";
        lines.push(`→ ${r.destination ?? "?"} via ${via}${r.op !== "same" ? ` (${r.op})` : ""}`);
    }
    return lines;
}

function accountLabel(account: string): string {
    return account === "?" ? "account unknown" : `account ${account}`;
}

/** {@link layoutTopology} computes the drawing's geometry with dagre. */
export function layoutTopology(t: Topology, title: string): TopologyLayout {
    const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
    g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 50, edgesep: 20, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    const accounts = [...new Set(t.vpcs.map((v) => v.account ?? "?"))].sort();
    accounts.forEach((a, i) => g.setNode(`account:${i}`, { label: accountLabel(a), paddingTop: 34 }));
    const nodeId = new Map<string, string>();
    t.vpcs.forEach((v, i) => {
        const lines = vpcLines(t, v);
        const width = Math.max(...lines.map((l, j) => textWidth(l, j < 2 ? CHAR_W : SMALL_CHAR_W))) + 2 * PAD;
        const height = lines.length * LINE_H + 2 * PAD - 4;
        nodeId.set(v.key, `vpc:${i}`);
        g.setNode(`vpc:${i}`, { width, height, lines });
        g.setParent(`vpc:${i}`, `account:${accounts.indexOf(v.account ?? "?")}`);
    });
    const labelText = (p: TopoPeering) =>
        `${p.name}: ${p.status}${p.acceptedBy && p.status !== "ACTIVE" ? " (accepted in plan)" : ""}`;
    t.peerings.forEach((p, i) => {
        const from = nodeId.get(p.from);
        const to = nodeId.get(p.to);
        if (!from || !to) return;
        const text = labelText(p);
        g.setEdge(
            from,
            to,
            { width: textWidth(text, SMALL_CHAR_W) + 16, height: 20, labelpos: "c", index: i },
            `p${i}`,
        );
    });
    dagre.layout(g);

    const top = TITLE_H;
    const centred = (n: { x: number; y: number; width: number; height: number }): Box => ({
        x: n.x - n.width / 2,
        y: n.y - n.height / 2 + top,
        width: n.width,
        height: n.height,
    });
    const accountBoxes = accounts.map((account, i) => {
        const n = g.node(`account:${i}`) as unknown as { x: number; y: number; width: number; height: number };
        // dagre's cluster box includes paddingTop only as layout space; draw the heading inside it.
        return { account, box: centred(n) };
    });
    const vpcs = t.vpcs.map((vpc) => {
        const n = g.node(nodeId.get(vpc.key)!) as unknown as {
            x: number;
            y: number;
            width: number;
            height: number;
            lines: string[];
        };
        return { vpc, box: centred(n), lines: n.lines };
    });
    const peerings = g.edges().map((e) => {
        const edge = g.edge(e) as unknown as {
            points: Array<{ x: number; y: number }>;
            x: number;
            y: number;
            width: number;
            height: number;
            index: number;
        };
        const peering = t.peerings[edge.index]!;
        return {
            peering,
            points: edge.points.map((p) => ({ x: p.x, y: p.y + top })),
            label: centred(edge),
            text: labelText(peering),
        };
    });
    const graph = g.graph() as { width?: number; height?: number };
    const drawnWidth = Math.max(graph.width ?? 0, textWidth(title, 10) + 40);
    // Legend: one row per state that occurs, below the drawing.
    const present: Array<[string, string]> = [];
    for (const op of Object.keys(VPC_STYLES)) {
        if (t.vpcs.some((v) => (VPC_STYLES[v.op] ? v.op : "same") === op))
            present.push([`vpc:${op}`, VPC_STYLES[op]!.legend]);
    }
    for (const key of Object.keys(PEERING_STYLES)) {
        if (t.peerings.some((p) => peeringStyleKey(p) === key))
            present.push([`peering:${key}`, PEERING_STYLES[key]!.legend]);
    }
    let ly = top + (graph.height ?? 0) + 10;
    const legend = present.map(([key, text]) => {
        const box = { x: 20, y: ly, width: 36 + textWidth(text, SMALL_CHAR_W), height: 16 };
        ly += 22;
        return { key, text, box };
    });
    const width = Math.ceil(Math.max(drawnWidth, ...legend.map((l) => l.box.x + l.box.width + 20)));
    return {
        width,
        height: Math.ceil(ly + 14),
        title: { x: 20, y: 14, width: textWidth(title, 10), height: 26 },
        accounts: accountBoxes,
        vpcs,
        peerings,
        legend,
    };
}

function xml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const n = (v: number) => Math.round(v * 10) / 10;

/** {@link renderSvg} draws the topology as a standalone SVG image headed by `title`. */
export function renderSvg(t: Topology, title = "VPC peering topology"): string {
    const L = layoutTopology(t, title);
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
        `<title>${xml(title)}</title>`,
        `<rect width="100%" height="100%" fill="#ffffff"/>`,
        `<text x="20" y="34" font-size="18" font-weight="bold" fill="#24292f">${xml(title)}</text>`,
    ];
    for (const a of L.accounts) {
        const b = a.box;
        out.push(
            `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="10" fill="#f6f8fa" stroke="#d0d7de"/>`,
            `<text x="${n(b.x + 12)}" y="${n(b.y + 20)}" font-weight="bold" fill="#24292f">${xml(accountLabel(a.account))}</text>`,
        );
    }
    for (const p of L.peerings) {
        const s = PEERING_STYLES[peeringStyleKey(p.peering)]!;
        const d = p.points.map((pt, i) => `${i ? "L" : "M"} ${n(pt.x)} ${n(pt.y)}`).join(" ");
        out.push(
            `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
        );
    }
    for (const v of L.vpcs) {
        const s = VPC_STYLES[v.vpc.op] ?? VPC_STYLES.same!;
        const b = v.box;
        out.push(
            `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="8" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"${v.vpc.op === "external" ? ` stroke-dasharray="5 4"` : ""}/>`,
        );
        v.lines.forEach((line, i) => {
            const style =
                i === 0
                    ? ` font-weight="bold"`
                    : i === 1
                      ? ` font-family="DejaVu Sans Mono, monospace"`
                      : ` font-size="${SMALL}" fill="#57606a"`;
            out.push(`<text x="${n(b.x + PAD)}" y="${n(b.y + PAD + 10 + i * LINE_H)}"${style}>${xml(line)}</text>`);
        });
    }
    for (const p of L.peerings) {
        const s = PEERING_STYLES[peeringStyleKey(p.peering)]!;
        const b = p.label;
        out.push(
            `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="4" fill="#ffffff" stroke="${s.color}"/>`,
            `<text x="${n(b.x + b.width / 2)}" y="${n(b.y + 14)}" text-anchor="middle" font-size="${SMALL}" fill="${s.color}">${xml(p.text)}</text>`,
        );
    }
    for (const l of L.legend) {
        const b = l.box;
        const [kind, key] = l.key.split(":") as [string, string];
        if (kind === "vpc") {
            const s = VPC_STYLES[key]!;
            out.push(
                `<rect x="${b.x}" y="${b.y}" width="24" height="14" rx="3" fill="${s.fill}" stroke="${s.stroke}"/>`,
            );
        } else {
            const s = PEERING_STYLES[key]!;
            out.push(
                `<line x1="${b.x}" y1="${b.y + 7}" x2="${b.x + 24}" y2="${b.y + 7}" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
            );
        }
        out.push(`<text x="${b.x + 32}" y="${b.y + 12}" font-size="${SMALL}" fill="#57606a">${xml(l.text)}</text>`);
    }
    out.push("</svg>", "");
    return out.join("\n");
}
