#!/usr/bin/env node
// The main job: `npm run demo`.
//
//   npm run demo                           # quickstart: preview, up, outputs, a second preview with no changes
//   npm run demo -- --example cross-account  # one program, two accounts (alice requests, bob accepts)
//   npm run demo -- destroy [--example …]  # destroy what the demo created
//
// It prepares the Pulumi toolchain (built from Go modules on first use), starts the embedded API server
// with two demo accounts (its SQLite database lives in .cache/demo/api, so state and API survive between
// runs), and drives the real `pulumi` CLI against it with a local file backend (.cache/demo/state).
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ensurePulumi, offlineEnv, REPO_ROOT } = require("./toolchain");

const DEMO_DIR = path.join(REPO_ROOT, ".cache", "demo");
const EXAMPLES = {
    quickstart: { dir: path.join(REPO_ROOT, "examples", "quickstart"), stack: "demo" },
    "cross-account": { dir: path.join(REPO_ROOT, "examples", "cross-account"), stack: "demo" },
};

// Colour only on a terminal, never when NO_COLOR is set (https://no-color.org): ours and the Pulumi CLI's.
const COLOR = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

function say(msg) {
    process.stdout.write(COLOR ? `\n\x1b[1m== ${msg}\x1b[0m\n` : `\n== ${msg}\n`);
}

function run(cmd, args, opts) {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit", ...opts });
        let out = "";
        if (opts.capture) child.stdout.on("data", (d) => (out += d));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ code: code ?? 1, out }));
    });
}

function parseArgs(argv) {
    const args = { command: "up", example: "quickstart" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "destroy" || a === "up") args.command = a;
        else if (a === "--example") args.example = argv[++i];
        else if (a === "--help" || a === "-h") args.command = "help";
        else throw new Error(`unknown argument ${a}; try --help`);
    }
    if (!EXAMPLES[args.example])
        throw new Error(`unknown example ${args.example}; one of ${Object.keys(EXAMPLES).join(", ")}`);
    return args;
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    if (args.command === "help") {
        process.stdout.write(
            fs
                .readFileSync(__filename, "utf8")
                .split("\n")
                .slice(1, 7)
                .join("\n")
                .replace(/^\/\/ ?/gm, "") + "\n",
        );
        return 0;
    }
    const example = EXAMPLES[args.example];
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "emulator", "index.js"))) {
        say("building the TypeScript sources (npm run build)");
        const b = await run(
            process.execPath,
            [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
            { cwd: REPO_ROOT },
        );
        if (b.code !== 0) return b.code;
    }
    say("preparing the Pulumi CLI (built from Go modules on first use, then cached)");
    const tc = ensurePulumi();
    process.stdout.write(`pulumi ${tc.version} at ${tc.binDir}\n`);

    say("starting the embedded API server (demo accounts alice and bob)");
    const { startServer } = require(path.join(REPO_ROOT, "dist", "emulator"));
    fs.mkdirSync(DEMO_DIR, { recursive: true });
    const server = await startServer({ dataDir: path.join(DEMO_DIR, "api") });
    const accountsFile = path.join(DEMO_DIR, "accounts.json");
    fs.writeFileSync(accountsFile, JSON.stringify({ regions: server.regions, accounts: server.accounts }, null, 2), {
        mode: 0o600,
    });
    process.stdout.write(
        `API server at ${server.url}; regions: ${server.regions.map((r) => `${server.url}/${r}`).join(", ")}\n`,
    );
    process.stdout.write(
        `accounts: ${server.accounts.map((a) => a.name).join(", ")} (credentials in ${path.relative(REPO_ROOT, accountsFile)}, never in Pulumi state)\n`,
    );

    const env = {
        ...process.env,
        ...offlineEnv({ backendDir: path.join(DEMO_DIR, "state"), binDir: tc.binDir }),
        VPCPEERING_ENDPOINT: server.url,
        VPCPEERING_ACCOUNTS_FILE: accountsFile,
        VPCPEERING_POLL_INTERVAL: process.env.VPCPEERING_POLL_INTERVAL ?? "200ms",
    };
    const color = COLOR ? [] : ["--color", "never"];
    const pulumi = (...a) => run(path.join(tc.binDir, "pulumi"), [...a, ...color], { cwd: example.dir, env });
    const pulumiCapture = (...a) =>
        run(path.join(tc.binDir, "pulumi"), [...a, ...color], { cwd: example.dir, env, capture: true });

    try {
        await pulumi("stack", "select", "--create", example.stack, "--non-interactive");
        if (args.command === "destroy") {
            say(`pulumi destroy (${args.example})`);
            const d = await pulumi("destroy", "--yes", "--non-interactive", "--skip-preview");
            if (d.code !== 0) return d.code;
            const left = server.snapshot();
            say("the API after destroy");
            for (const [table, rows] of Object.entries(left)) {
                if (["vpcs", "peerings", "routes"].includes(table)) process.stdout.write(`${table}: ${rows.length}\n`);
            }
            return 0;
        }
        say(`pulumi preview (${args.example}): the constraint checks run here, before anything is created`);
        const p = await pulumi("preview", "--non-interactive");
        if (p.code !== 0) return p.code;
        say("pulumi up");
        const u = await pulumi("up", "--yes", "--non-interactive", "--skip-preview");
        if (u.code !== 0) return u.code;
        say("stack outputs");
        const o = await pulumiCapture("stack", "output", "--json");
        process.stdout.write(o.out);
        say("a second preview: nothing to change");
        const again = await pulumi("preview", "--expect-no-changes", "--non-interactive");
        if (again.code !== 0) {
            process.stderr.write("the second preview reported changes; that is a bug\n");
            return again.code;
        }
        const snap = server.snapshot();
        say("what the API server holds now");
        for (const table of ["vpcs", "peerings", "routes"]) {
            const rows = snap[table] ?? [];
            process.stdout.write(`${table}: ${rows.length}\n`);
        }
        say("done");
        process.stdout.write(
            `Run it again: npm run demo   (the API server's database and the stack persist in .cache/demo)\n` +
                `Destroy with: npm run demo -- destroy${args.example === "quickstart" ? "" : ` --example ${args.example}`}\n` +
                `Drive Pulumi yourself: see "The demo" in README.md (npx peering-api serve, npm run pulumi -- preview)\n`,
        );
        return 0;
    } finally {
        await server.close();
    }
}

main().then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
