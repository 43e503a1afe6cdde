#!/usr/bin/env node
// Regenerates tests/unit/orchestratorFixtures.ts: the engine events the PR report's unit tests render. It records
// them the way `peering-stacks preview --events DIR` does — the real Pulumi CLI (scripts/toolchain.js, through the
// orchestrator) against an in-process API server and a throwaway file backend (tests/helpers/e2e) — and trims them
// to what the report reads (below). Needs `npm run build` first; `npm run fixtures:orchestrator` does both.
// The ids, timestamps and expiry dates change on every run; what the tests assert does not.
//
//   node scripts/orchestratorFixtures.js [OUT]   (default tests/unit/orchestratorFixtures.ts)
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");
const DIST = path.join(REPO_ROOT, "dist");
const OUT = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, "tests", "unit", "orchestratorFixtures.ts"));

/**
 * The split-stack plan (examples/split-stacks/plan.yaml, built by tests/helpers/splitPlan) with the requester's CIDR,
 * both VPCs in `region`, optionally without the accepter's two stacks.
 */
function splitPlan(requesterCidr, withAccepter, region = "ap-southeast-1") {
    const { splitPlanText } = require(path.join(DIST, "tests", "helpers", "splitPlan.js"));
    return splitPlanText({ stackName: "dev", full: withAccepter, requesterCidr, region });
}

/** quickstart beside the invalid example peering-cidr-overlap, neither deployed. */
function invalidPlanText() {
    return [
        "stackName: dev",
        "stacks:",
        "    overlap:",
        `        program: ${path.join(REPO_ROOT, "examples", "invalid", "peering-cidr-overlap")}`,
        "    quickstart:",
        `        program: ${path.join(REPO_ROOT, "examples", "quickstart")}`,
    ].join("\n");
}

const pick = (o, keys) => (o ? Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) : null);
const STATE_KEYS = ["type", "urn", "id", "parent", "inputs", "outputs"];

/**
 * The trimming: resource steps (not the provider resources'), with each state's type, urn, id, parent, inputs and
 * outputs and no provider reference; diagnostics (the recorder already left out debug lines, and `__provider`);
 * the summary. Everything else (prelude, outputs events, stdout, policy) the report does not read.
 */
function trim(e) {
    const head = { sequence: e.sequence, timestamp: e.timestamp };
    if (e.resourcePreEvent) {
        const m = e.resourcePreEvent.metadata;
        if (m.type.startsWith("pulumi:providers:")) return undefined;
        const metadata = {
            op: m.op,
            urn: m.urn,
            type: m.type,
            old: pick(m.old, STATE_KEYS),
            new: pick(m.new, STATE_KEYS),
        };
        return { ...head, resourcePreEvent: { metadata: { ...metadata, provider: "" } } };
    }
    if (e.diagnosticEvent) {
        const d = e.diagnosticEvent;
        return { ...head, diagnosticEvent: pick(d, ["urn", "prefix", "message", "color", "severity"]) };
    }
    if (e.summaryEvent) return { ...head, summaryEvent: e.summaryEvent };
    return undefined;
}

/** Each stack's recorded events of one preview, trimmed, in the plan's order. */
function readEvents(dir, stacks) {
    const out = {};
    for (const name of stacks) {
        const file = path.join(dir, `${name}.jsonl`);
        const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
        out[name] = lines.map((l) => trim(JSON.parse(l))).filter((e) => e !== undefined);
    }
    return out;
}

async function main() {
    const { startE2e } = require(path.join(DIST, "tests", "helpers", "e2e.js"));
    const { loadPlan, Orchestrator } = require(path.join(DIST, "orchestrator", "index.js"));
    const fx = await startE2e({ vpcReadyDelayMs: 0 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orchestrator-fixtures-"));
    const log = (line) => process.stderr.write(line + "\n");
    const orchestrator = (name, text, eventsDir) => {
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, text);
        return new Orchestrator({
            plan: loadPlan(file),
            workDir: path.join(dir, "work"),
            backend: fx.backend.backendDir,
            pulumiHome: fx.backend.pulumiHome,
            accountsFile: fx.accountsFile,
            env: { VPCPEERING_ENDPOINT: fx.server.url, VPCPEERING_POLL_INTERVAL: "200ms", VPCPEERING_TIMEOUT: "2m" },
            eventsDir,
            log,
        });
    };
    const must = async (what, p) => {
        const r = await p;
        if (!r.ok) throw new Error(`${what} failed (see the lines above)`);
        return r;
    };
    const recorded = {};
    try {
        // 1. The split plan deployed, then previewed with the requester's CIDR changed (10.30 → 10.31).
        const split = orchestrator("split", splitPlan("10.30.0.0/16", true));
        await must("up of the split plan", split.up());
        const changedDir = path.join(dir, "events-changed");
        await must(
            "preview of the changed split plan",
            orchestrator("changed", splitPlan("10.31.0.0/16", true), changedDir).preview(),
        );
        recorded.changedSplit = readEvents(changedDir, ["accepter-vpc", "accepter", "requester-routes", "requester"]);
        const movedDir = path.join(dir, "events-moved");
        const moved = splitPlan("10.31.0.0/16", true, "ap-southeast-3");
        await must("preview of the moved split plan", orchestrator("moved", moved, movedDir).preview());
        recorded.movedSplit = readEvents(movedDir, ["accepter-vpc", "accepter", "requester-routes", "requester"]);
        await must("destroy of the split plan", split.destroy());

        // 2. quickstart + invalid/peering-cidr-overlap, previewed fresh (the overlap stack fails).
        const invalidDir = path.join(dir, "events-invalid");
        await orchestrator("invalid", invalidPlanText(), invalidDir).preview();
        recorded.invalidPlan = readEvents(invalidDir, ["overlap", "quickstart"]);

        // 3. The split plan without the accepter's stacks, deployed (the request waits), then previewed.
        const pendingText = splitPlan("10.30.0.0/16", false);
        const pending = orchestrator("pending", pendingText);
        await must("up of the pending plan", pending.up());
        const pendingDir = path.join(dir, "events-pending");
        await must("preview of the pending plan", orchestrator("pending-preview", pendingText, pendingDir).preview());
        recorded.pendingPlan = readEvents(pendingDir, ["accepter-vpc", "requester"]);
        await must("destroy of the pending plan", pending.destroy());
    } finally {
        await fx.cleanup();
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const version = require(path.join(REPO_ROOT, "scripts", "toolchain.js")).PULUMI_VERSION;
    const text = [
        "// Generated by scripts/orchestratorFixtures.js (`npm run fixtures:orchestrator`), do not edit.",
        `// Engine events recorded with the real Pulumi CLI (scripts/toolchain.js pins ${version}) against the local API server, as`,
        "// `peering-stacks preview --events DIR` saves them, trimmed to what the report reads (resource steps without the",
        "// serialized provider, non-debug diagnostics, summaries). The plans: the split-stack plan deployed and then",
        "// previewed with the requester's CIDR changed, and with both VPCs moved to another region; quickstart +",
        "// invalid/peering-cidr-overlap fresh; the split plan without the accepter stacks, deployed, then previewed.",
        'import type { EngineEvent } from "@pulumi/pulumi/automation";',
        "",
        "type Recorded = Record<string, EngineEvent[]>;",
        "",
        "/** The split-stack plan deployed, then previewed with the requester's CIDR changed (10.30 → 10.31, in place). */",
        `export const changedSplit: Recorded = ${JSON.stringify(recorded.changedSplit)} as unknown as Recorded;`,
        "",
        "/**",
        " * The split-stack plan deployed, then previewed with both VPCs moved to ap-southeast-3 and the requester's CIDR",
        " * changed: the VPCs and the request are replaced.",
        " */",
        `export const movedSplit: Recorded = ${JSON.stringify(recorded.movedSplit)} as unknown as Recorded;`,
        "",
        "/** A fresh plan: examples/quickstart and examples/invalid/peering-cidr-overlap. */",
        `export const invalidPlan: Recorded = ${JSON.stringify(recorded.invalidPlan)} as unknown as Recorded;`,
        "",
        "/** The split plan without the accepter stacks, deployed, then previewed: a pending cross-account request. */",
        `export const pendingPlan: Recorded = ${JSON.stringify(recorded.pendingPlan)} as unknown as Recorded;`,
        "",
    ].join("\n");
    const prettier = require("prettier");
    const options = (await prettier.resolveConfig(OUT)) ?? {};
    fs.writeFileSync(OUT, await prettier.format(text, { ...options, filepath: OUT }));
    process.stderr.write(`wrote ${path.relative(REPO_ROOT, OUT)}\n`);
}

main().catch((e) => {
    process.stderr.write(`scripts/orchestratorFixtures.js: ${e.stack ?? e}\n`);
    process.exitCode = 1;
});
