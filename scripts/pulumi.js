#!/usr/bin/env node
// `npm run pulumi -- <args>`: runs the project's pinned Pulumi CLI, offline, in the folder npm was started from.
//
//   cd examples/quickstart && npm run pulumi -- stack init dev
//   npm run pulumi -- preview          # same folder
//   npm run pulumi -- up --yes
//
// State goes to <that folder>/.pulumi-state unless PULUMI_BACKEND_URL is set; PULUMI_HOME defaults to
// <repo>/.cache/pulumi-home. The CLI is built on first use (see scripts/toolchain.js).
"use strict";

const { spawn } = require("node:child_process");
const os = require("node:os");
const path = require("node:path");
const { ensurePulumi, offlineEnv } = require("./toolchain");

function main() {
    // npm runs scripts in the package root; INIT_CWD is where the user actually was.
    const cwd = path.resolve(process.env.INIT_CWD || process.cwd());
    const tc = ensurePulumi();
    const env = {
        ...process.env,
        ...offlineEnv({
            backendDir: process.env.PULUMI_BACKEND_URL ? undefined : path.join(cwd, ".pulumi-state"),
            binDir: tc.binDir,
        }),
    };
    const child = spawn(path.join(tc.binDir, "pulumi"), process.argv.slice(2), { cwd, env, stdio: "inherit" });
    // Ctrl-C reaches the CLI directly (same process group); let it shut down cleanly instead of dying first.
    const forward = (sig) => () => child.kill(sig);
    process.on("SIGINT", () => {});
    process.on("SIGTERM", forward("SIGTERM"));
    child.on("error", (err) => {
        process.stderr.write(`[pulumi] cannot start ${tc.binDir}/pulumi: ${err.message}\n`);
        process.exit(1);
    });
    child.on("exit", (code, signal) => {
        process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1));
    });
}

try {
    main();
} catch (err) {
    process.stderr.write(`[pulumi] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
}
