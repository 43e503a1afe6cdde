#!/usr/bin/env node
// The test tiers, one place: which spec files each tier runs and its one mocha timeout.
//
//   node scripts/test.js unit            one tier      (npm run test:unit / test:api / test:provider / test:e2e)
//   node scripts/test.js fast            every tier but e2e (npm run test:fast)
//   node scripts/test.js all             every tier    (npm test)
//   node scripts/test.js unit --grep x   what follows the tier names goes to mocha; spec files given there
//                                        (dist/tests/…/x.spec.js) replace the tier's own list
//
// It builds the TypeScript once, ensures the Pulumi CLI (scripts/toolchain.js) only when e2e is among the tiers, then
// runs one mocha process per tier (so each keeps its own timeout) and exits 1 when any tier failed.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");

/** Each tier: its spec globs (under dist/, after the build) and its one timeout per test, in ms. */
const TIERS = {
    unit: { specs: ["dist/tests/unit/**/*.spec.js"], timeout: 10_000 },
    api: { specs: ["dist/tests/emulator/**/*.spec.js"], timeout: 60_000 },
    provider: { specs: ["dist/tests/provider/**/*.spec.js", "dist/tests/sdk/**/*.spec.js"], timeout: 30_000 },
    e2e: { specs: ["dist/tests/e2e/**/*.spec.js"], timeout: 15 * 60_000 },
};
const GROUPS = { fast: ["unit", "api", "provider"], all: ["unit", "api", "provider", "e2e"] };

function run(cmd, args) {
    const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: "inherit" });
    if (r.error) throw r.error;
    return r.status ?? 1;
}

function main(argv) {
    if (Number(process.versions.node.split(".")[0]) < 22) {
        process.stderr.write(
            `scripts/test.js: Node ${process.version} is too old (the API server needs node:sqlite): run it through npm (npm test, npm run test:unit, …), which uses the pinned Node 22\n`,
        );
        return 2;
    }
    // Leading tier names, then mocha's arguments (npm drops the `--` of `npm run test:unit -- --grep x`).
    const split = argv.findIndex((a) => !TIERS[a] && !GROUPS[a]);
    const names = split < 0 ? argv : argv.slice(0, split);
    const extra = (split < 0 ? [] : argv.slice(split)).filter((a, i) => i > 0 || a !== "--");
    const tiers = names.flatMap((n) => GROUPS[n] ?? [n]);
    if (tiers.length === 0) {
        const known = [...Object.keys(TIERS), ...Object.keys(GROUPS)].join(", ");
        process.stderr.write(`usage: node scripts/test.js TIER... [MOCHA-ARGS] (tiers: ${known})\n`);
        return 2;
    }
    const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    if (run(process.execPath, [tsc, "-p", "tsconfig.json"]) !== 0) return 1;
    if (tiers.includes("e2e")) {
        // Builds the CLI on a cold cache (minutes), reuses it afterwards; prints its bin dir, which we do not need.
        const r = spawnSync(process.execPath, [path.join(__dirname, "toolchain.js")], {
            cwd: REPO_ROOT,
            stdio: ["ignore", "ignore", "inherit"],
        });
        if (r.status !== 0) return 1;
    }
    const mocha = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
    const failed = [];
    for (const tier of tiers) {
        const { specs, timeout } = TIERS[tier];
        const files = extra.some((a) => a.endsWith(".spec.js")) ? [] : specs;
        process.stdout.write(`\n== ${tier} (timeout ${timeout} ms per test)\n`);
        if (run(process.execPath, [mocha, "--timeout", String(timeout), ...files, ...extra]) !== 0) failed.push(tier);
    }
    if (tiers.length > 1) {
        process.stdout.write(
            `\n== tiers: ${tiers.map((t) => `${t} ${failed.includes(t) ? "FAILED" : "ok"}`).join(", ")}\n`,
        );
    }
    return failed.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
