// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The topology as a Mermaid flowchart, for the Markdown reports (the PR report and the verify report).

import type { Topology } from "./reportTopology";

function mermaidLabel(text: string): string {
    return text.replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"));
}

function accountsOf(t: Topology): string[] {
    return [...new Set(t.vpcs.map((v) => v.account ?? "?"))].sort((a, b) =>
        a === "?" ? 1 : b === "?" ? -1 : a.localeCompare(b),
    );
}

/** {@link renderMermaid} draws the topology as a Mermaid flowchart: accounts as boxes, peerings and routes as edges. */
export function renderMermaid(t: Topology): string {
    const L: string[] = ["flowchart LR"];
    const ids = new Map(t.vpcs.map((v, i) => [v.key, `v${i}`]));
    accountsOf(t).forEach((acct, i) => {
        L.push(`    subgraph a${i}["${acct === "?" ? "account unknown" : `account ${mermaidLabel(acct)}`}"]`);
        for (const v of t.vpcs.filter((x) => (x.account ?? "?") === acct)) {
            const lines = [v.name, v.cidr ?? "CIDR known after apply"];
            if (v.stack) lines.push(`stack ${v.stack}`);
            else lines.push("outside the previewed stacks");
            L.push(`        ${ids.get(v.key)}["${lines.map(mermaidLabel).join("<br/>")}"]`);
        }
        L.push("    end");
    });
    for (const p of t.peerings) {
        const label = `${p.name}: ${p.status === "new" ? "new" : p.status}${p.acceptedBy && p.status !== "ACTIVE" ? ", accepted in plan" : ""}`;
        const arrow =
            p.status === "ACTIVE"
                ? "<==>"
                : p.status === "PENDING_ACCEPTANCE"
                  ? "<-.->"
                  : p.status === "failing"
                    ? "x--x"
                    : "<-->";
        L.push(`    ${ids.get(p.from)} ${arrow}|"${mermaidLabel(label)}"| ${ids.get(p.to)}`);
    }
    for (const r of t.routes) {
        if (!r.to) continue;
        const fails = r.op === "failing" ? " (failing)" : "";
        L.push(`    ${ids.get(r.vpc)} -.->|"route ${mermaidLabel(r.destination ?? "?")}${fails}"| ${ids.get(r.to)}`);
    }
    const classes: Record<string, string> = {
        create: "fill:#dafbe1,stroke:#1a7f37",
        replace: "fill:#fff8c5,stroke:#9a6700",
        update: "fill:#ddf4ff,stroke:#0969da",
        delete: "fill:#ffebe9,stroke:#cf222e",
        external: "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3",
        failing: "fill:#ffebe9,stroke:#cf222e,stroke-width:3px",
    };
    for (const [cls, style] of Object.entries(classes)) {
        const members = t.vpcs.filter((v) => v.op === cls).map((v) => ids.get(v.key));
        if (members.length) {
            L.push(`    classDef ${cls} ${style}`);
            L.push(`    class ${members.join(",")} ${cls}`);
        }
    }
    return L.join("\n");
}
