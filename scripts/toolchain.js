#!/usr/bin/env node
// The project's single entry point to a Pulumi CLI that works offline.
//
//   const { ensurePulumi, offlineEnv } = require("./scripts/toolchain");
//   const { root, binDir, version } = ensurePulumi();   // builds once, then reuses the cache
//   const env = offlineEnv({ backendDir, pulumiHome });  // every env var the CLI needs, in one place
//
// CLI:  node scripts/toolchain.js [--json]   ensure the build, print the bin dir (or JSON) on stdout
//       node scripts/toolchain.js env         print the offline environment as KEY=value lines
//
// ensurePulumi() uses a `pulumi` already on PATH when it is >= 3.270 (unless PULUMI_VPC_PEERING_FORCE_BUILD=1);
// otherwise it builds CLI v3.274.1 from the Go module proxy with the wrapper module in scripts/toolchain/ into
//   ${XDG_CACHE_HOME:-~/.cache}/pulumi-vpc-peering/toolchain/<version>-<hash>/bin/
//     pulumi                          the CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
//     pulumi-language-nodejs          our own minimal language host (scripts/toolchain/cmd/pulumi-language-nodejs)
//     pulumi-resource-pulumi-nodejs   /bin/sh launcher for @pulumi/pulumi/cmd/dynamic-provider
// The hash covers everything that goes into the build, so editing the wrapper module triggers a rebuild.
// Plain CommonJS, no dependencies, so it runs before `npm run build`.
"use strict";

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const PULUMI_VERSION = "v3.274.1";
const MIN_PATH_VERSION = [3, 270, 0];
const DEFAULT_PASSPHRASE = "pulumi-vpc-peering-local";

const REPO_ROOT = path.resolve(__dirname, "..");
const MODULE_DIR = path.join(__dirname, "toolchain");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const HOST_PACKAGE = "./cmd/pulumi-language-nodejs";
const BUILD_TAGS = "osusergo,grpcnotrace";
const LDFLAGS = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`;

// The engine starts this for every `pulumi.dynamic.Resource`, in the program directory. It must print nothing on
// stdout before the port that @pulumi/pulumi/cmd/dynamic-provider prints, and it must run Node 22:
// $PULUMI_VPC_PEERING_NODE when set (offlineEnv sets it), otherwise the first `node` on PATH.
const LAUNCHER = `#!/bin/sh
# pulumi-resource-pulumi-nodejs (pulumi-vpc-peering toolchain): runs @pulumi/pulumi's dynamic provider host,
# resolved from the current directory (the Pulumi program directory) with Node.js 22.
node="\${PULUMI_VPC_PEERING_NODE:-node}"
entry=$("$node" -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider', { paths: [process.cwd()] }))") || {
    echo "pulumi-resource-pulumi-nodejs: cannot resolve @pulumi/pulumi/cmd/dynamic-provider from $(pwd) with $node" >&2
    exit 1
}
exec "$node" "$entry" "$@"
`;

function log(msg) {
    process.stderr.write(`[toolchain] ${msg}\n`);
}

function cacheBase() {
    const xdg = process.env.XDG_CACHE_HOME;
    const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache");
    return path.join(base, "pulumi-vpc-peering", "toolchain");
}

/** Every file under dir (recursively) whose name ends with ext, sorted, as paths relative to MODULE_DIR. */
function listFiles(dir, ext) {
    const out = [];
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) out.push(...listFiles(p, ext));
        else if (ent.name.endsWith(ext)) out.push(path.relative(MODULE_DIR, p));
    }
    return out.sort();
}

/** Cache key: the version plus a short hash of the wrapper go.mod/go.sum, our Go sources, the launcher and flags. */
function toolchainKey() {
    const h = crypto.createHash("sha256");
    h.update(`${PULUMI_VERSION}\0${BUILD_TAGS}\0${LDFLAGS}\0${LAUNCHER}\0`);
    for (const rel of ["go.mod", "go.sum", ...listFiles(path.join(MODULE_DIR, "cmd"), ".go")]) {
        h.update(`${rel}\0`);
        h.update(fs.readFileSync(path.join(MODULE_DIR, rel)));
        h.update("\0");
    }
    return `${PULUMI_VERSION}-${h.digest("hex").slice(0, 12)}`;
}

/** Where the built toolchain for the current sources lives (whether or not it has been built yet). */
function toolchainPaths() {
    const key = toolchainKey();
    const root = path.join(cacheBase(), key);
    return { key, root, binDir: path.join(root, "bin") };
}

function parseVersion(text) {
    const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text || "");
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function versionAtLeast(v, min) {
    for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
    return true;
}

function which(cmd, envPath = process.env.PATH || "") {
    for (const dir of envPath.split(path.delimiter)) {
        if (!dir) continue;
        const p = path.join(dir, cmd);
        try {
            fs.accessSync(p, fs.constants.X_OK);
            if (fs.statSync(p).isFile()) return p;
        } catch {
            /* keep looking */
        }
    }
    return null;
}

/** A `pulumi` on PATH that is recent enough, or null. */
function pulumiFromPath() {
    const bin = which("pulumi");
    if (!bin) return null;
    const r = spawnSync(bin, ["version"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        timeout: 30_000,
    });
    const v = r.status === 0 ? parseVersion(r.stdout) : null;
    if (!v || !versionAtLeast(v, MIN_PATH_VERSION)) {
        log(
            `ignoring ${bin} (version ${r.stdout ? r.stdout.trim() : "unknown"}; need >= ${MIN_PATH_VERSION.join(".")})`,
        );
        return null;
    }
    const real = fs.realpathSync(bin);
    const binDir = path.dirname(real);
    return { root: path.dirname(binDir), binDir, version: `v${v.join(".")}`, source: "path" };
}

function findGo() {
    if (process.env.GO) return process.env.GO;
    return which("go") || (fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : null);
}

function isComplete(binDir) {
    return ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"].every((f) =>
        fs.existsSync(path.join(binDir, f)),
    );
}

/** Build the toolchain into a temp dir next to the final one, then rename it into place atomically. */
function build(paths) {
    const go = findGo();
    if (!go)
        throw new Error("Go is required to build the Pulumi CLI (looked for $GO, `go` on PATH, /usr/local/go/bin/go)");
    fs.mkdirSync(path.dirname(paths.root), { recursive: true });
    const tmp = fs.mkdtempSync(path.join(path.dirname(paths.root), `.build-${paths.key}-`));
    fs.chmodSync(tmp, 0o755);
    const tmpBin = path.join(tmp, "bin");
    fs.mkdirSync(tmpBin);
    const started = Date.now();
    log(
        `building Pulumi CLI ${PULUMI_VERSION} + language host with ${go} (cold: ~5 min on 2 cores; cached afterwards)`,
    );
    log(`  into ${paths.root}`);
    try {
        const args = [
            "build",
            "-trimpath",
            "-tags",
            BUILD_TAGS,
            "-ldflags",
            LDFLAGS,
            "-o",
            tmpBin + path.sep,
            CLI_PACKAGE,
            HOST_PACKAGE,
        ];
        const r = spawnSync(go, args, {
            cwd: MODULE_DIR,
            stdio: ["ignore", 2, 2],
            env: { ...process.env, GOFLAGS: [process.env.GOFLAGS, "-mod=readonly"].filter(Boolean).join(" ") },
        });
        if (r.error) throw r.error;
        if (r.status !== 0) throw new Error(`go build failed with exit code ${r.status}`);
        fs.writeFileSync(path.join(tmpBin, "pulumi-resource-pulumi-nodejs"), LAUNCHER, { mode: 0o755 });
        const goVersion = spawnSync(go, ["version"], { encoding: "utf8" }).stdout.trim();
        const seconds = Math.round((Date.now() - started) / 100) / 10;
        fs.writeFileSync(
            path.join(tmp, "toolchain.json"),
            JSON.stringify(
                {
                    version: PULUMI_VERSION,
                    key: paths.key,
                    goVersion,
                    builtAt: new Date().toISOString(),
                    buildSeconds: seconds,
                },
                null,
                2,
            ) + "\n",
        );
        try {
            fs.renameSync(tmp, paths.root);
        } catch (err) {
            // Somebody else finished the same build first; theirs is as good as ours.
            if (!isComplete(paths.binDir)) throw err;
            fs.rmSync(tmp, { recursive: true, force: true });
        }
        log(`built in ${seconds}s`);
    } catch (err) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw err;
    }
}

/**
 * Make sure a usable Pulumi CLI exists and return where it is.
 * @returns {{ root: string, binDir: string, version: string, source: "path" | "cache" | "built" }}
 *   `root` is what `PulumiCommand.get({ root })` wants (`<root>/bin/pulumi`).
 */
function ensurePulumi() {
    if (process.env.PULUMI_VPC_PEERING_FORCE_BUILD !== "1") {
        const fromPath = pulumiFromPath();
        if (fromPath) return fromPath;
    }
    const paths = toolchainPaths();
    if (isComplete(paths.binDir))
        return { root: paths.root, binDir: paths.binDir, version: PULUMI_VERSION, source: "cache" };
    build(paths);
    return { root: paths.root, binDir: paths.binDir, version: PULUMI_VERSION, source: "built" };
}

/** Absolute path of the project's Node 22 (the `node` devDependency), or null. */
function projectNode() {
    const p = path.join(REPO_ROOT, "node_modules", ".bin", "node");
    try {
        return fs.realpathSync(p);
    } catch {
        return null;
    }
}

/**
 * The environment for running the CLI fully offline against a file backend. Returns only the variables to set;
 * merge them over process.env (the Automation API's `envVars` does that itself).
 * @param {{ backendDir?: string, pulumiHome?: string, passphrase?: string, binDir?: string, create?: boolean }} [opts]
 *   backendDir: state folder (created; becomes PULUMI_BACKEND_URL=file://<abs>). When omitted, an existing
 *               $PULUMI_BACKEND_URL is kept, otherwise this throws.
 *   pulumiHome: PULUMI_HOME (created). Default: $PULUMI_HOME, else <repo>/.cache/pulumi-home.
 *   passphrase: default $PULUMI_CONFIG_PASSPHRASE, else "pulumi-vpc-peering-local" (unless a passphrase file is set).
 *   binDir:     the toolchain bin dir; default ensurePulumi().binDir.
 *   create:     create backendDir and pulumiHome (default true).
 * @returns {Record<string, string>}
 */
function offlineEnv(opts = {}) {
    const env = {};
    if (opts.backendDir) {
        const abs = path.resolve(opts.backendDir);
        if (opts.create !== false) fs.mkdirSync(abs, { recursive: true });
        env.PULUMI_BACKEND_URL = `file://${abs}`;
    } else if (process.env.PULUMI_BACKEND_URL) {
        env.PULUMI_BACKEND_URL = process.env.PULUMI_BACKEND_URL;
    } else {
        throw new Error("offlineEnv: pass backendDir (or set PULUMI_BACKEND_URL)");
    }

    if (opts.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = opts.passphrase;
    else if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined)
        env.PULUMI_CONFIG_PASSPHRASE = process.env.PULUMI_CONFIG_PASSPHRASE;
    else if (!process.env.PULUMI_CONFIG_PASSPHRASE_FILE) env.PULUMI_CONFIG_PASSPHRASE = DEFAULT_PASSPHRASE;

    const home = path.resolve(
        opts.pulumiHome || process.env.PULUMI_HOME || path.join(REPO_ROOT, ".cache", "pulumi-home"),
    );
    if (opts.create !== false) fs.mkdirSync(home, { recursive: true });
    env.PULUMI_HOME = home;

    env.PULUMI_SKIP_UPDATE_CHECK = "true";
    env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
    env.PULUMI_SKIP_CONFIRMATIONS = "true";
    // Read by @pulumi/pulumi/cmd/run: ts-node transpiles without type checking (tsc does that in `npm run build`).
    env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";

    const node = projectNode();
    if (node) env.PULUMI_VPC_PEERING_NODE = node; // used by our language host and the dynamic-provider launcher

    const binDir = opts.binDir || ensurePulumi().binDir;
    const nodeBin = path.join(REPO_ROOT, "node_modules", ".bin");
    env.PATH = [binDir, nodeBin, process.env.PATH || ""].join(path.delimiter);
    return env;
}

module.exports = {
    ensurePulumi,
    offlineEnv,
    toolchainPaths,
    toolchainKey,
    PULUMI_VERSION,
    REPO_ROOT,
    DEFAULT_PASSPHRASE,
};

if (require.main === module) {
    try {
        const arg = process.argv[2];
        const tc = ensurePulumi();
        if (arg === "--json") {
            process.stdout.write(JSON.stringify(tc, null, 2) + "\n");
        } else if (arg === "env") {
            const backendDir = process.env.PULUMI_BACKEND_URL
                ? undefined
                : path.join(process.env.INIT_CWD || process.cwd(), ".pulumi-state");
            const env = offlineEnv({ backendDir, binDir: tc.binDir, create: false });
            for (const [k, v] of Object.entries(env)) process.stdout.write(`${k}=${v}\n`);
        } else if (arg === undefined) {
            log(`pulumi ${tc.version} (${tc.source})`);
            process.stdout.write(tc.binDir + "\n");
        } else {
            process.stderr.write("usage: node scripts/toolchain.js [--json | env]\n");
            process.exit(2);
        }
    } catch (err) {
        log(`error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    }
}
