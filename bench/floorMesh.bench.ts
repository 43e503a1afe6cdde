// Benchmark (not a test): this project against the *floor* on the real engine. The floor is the same graph — same
// names, same dependency edges — made of no-op dynamic resources (bench/full-mesh/floor.ts: a provider whose only
// method is `create` returning its inputs), so `project ÷ floor` is what this project adds to Pulumi's own cost.
// A third program, *floor + inputs* (bench/full-mesh/floorInputs.ts), is the floor registering this project's
// properties (same keys, shapes and `__checks` text), which splits the ratio in two: floor + inputs ÷ floor is what
// Pulumi itself charges for the properties we carry, project ÷ floor + inputs what our code adds.
// One run, the programs alternating (reversed on odd repetitions), against one in-process API server whose
// request hook counts the API calls of each operation. Longer than ~400 lines: one script on purpose — the options,
// the two layouts, the alternating runs and the table are read top to bottom as one procedure.
//
//   npm run bench:floor                              # 10 VPCs (146 resources), 1 repetition: ~2 min
//   npm run bench:floor -- --sizes 10,20,30 --reps 3
//   npm run bench:floor -- --sizes 10 --cpu-prof .cache/prof   # + V8 CPU profiles of the program and the provider host
//
// Options: --sizes N,N (VPCs of the full mesh; N VPCs = N + N(N-1)/2 peerings + N(N-1) routes + the stack),
// --reps N, --ops preview,up,... (a subset, in lifecycle order), --programs project,inputs,floor (a subset,
// e.g. one for a profile), --vpc-ready-delay MS (how long the server keeps a
// new VPC CREATING; default the server's 300), --poll-interval DUR (VPCPEERING_POLL_INTERVAL; default the
// provider's own), --cpu-prof DIR (NODE_OPTIONS=--cpu-prof for every Node process the CLI starts, one folder per
// size/program/operation; summarise with `node dist/bench/cpuProfile.js DIR/...`), --json FILE (raw results),
// --env KEY=VALUE (repeatable; for both programs' CLI runs, e.g. PULUMI_SKIP_CHECKPOINTS=true or
// VPCPEERING_GRAPH_CHECKS=off to measure what one part costs), --layout installed|linked (installed, the default:
// the program runs from a temporary project with the `npm pack` of this repository installed in its node_modules,
// as a user has it — there `__provider` is a short require(); linked: from bench/full-mesh through the repository's
// self-link, where the provider is serialized by value), --engine-prof DIR (the engine's own Go CPU profile, through
// the CLI's `--profiling`: one `<op>.<pid>.cpu` per size/program/operation folder; summarise with
// `go tool pprof -top -cum <toolchain>/bin/pulumi DIR/.../preview.<pid>.cpu` — the engine is not a Node process, so
// --cpu-prof cannot see it).

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { loadToolchain } from "../orchestrator/environment";
import { E2eFixture, startE2e } from "../tests/helpers/e2e";

const OPS = ["preview", "up", "preview-unchanged", "refresh", "destroy"] as const;
type Op = (typeof OPS)[number];
/** `inputs`: the floor registering this project's properties (bench/full-mesh/floorInputs.ts). */
const PROGRAMS = ["project", "inputs", "floor"] as const;
type Program = (typeof PROGRAMS)[number];

interface Options {
    sizes: number[];
    reps: number;
    ops: Op[];
    programs: Program[];
    vpcReadyDelayMs: number;
    pollInterval?: string;
    cpuProfDir?: string;
    engineProfDir?: string;
    jsonFile?: string;
    env: Record<string, string>;
    layout: "installed" | "linked";
}

/** One operation of one program at one size: wall time, API calls by method, what the engine reported. */
interface Sample {
    size: number;
    rep: number;
    program: Program;
    op: Op;
    ms: number;
    calls: Record<string, number>;
    summary: Record<string, number>;
}

/** Bytes of the checkpoint after `up`, and of the inputs each resource carries (RPC payloads repeat them). */
interface StateSize {
    size: number;
    program: Program;
    stateBytes: number;
    resources: number;
    inputBytesPerResource: number;
    outputBytesPerResource: number;
    hiddenBytesPerResource: Record<string, number>;
    /** Per resource type, the key paths of the first resource's inputs and outputs (`__checks` parsed). */
    shapes: Record<string, string[]>;
}

function parseArgs(argv: string[]): Options {
    const o: Options = {
        sizes: [10],
        reps: 1,
        ops: [...OPS],
        programs: [...PROGRAMS],
        vpcReadyDelayMs: 300,
        env: {},
        layout: "installed",
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
        const value = () => inline ?? argv[++i] ?? "";
        if (flag === "--sizes") o.sizes = value().split(",").map(Number);
        else if (flag === "--reps") o.reps = Number(value());
        else if (flag === "--ops") o.ops = subset(OPS, value());
        else if (flag === "--programs") o.programs = subset(PROGRAMS, value());
        else if (flag === "--vpc-ready-delay") o.vpcReadyDelayMs = Number(value());
        else if (flag === "--poll-interval") o.pollInterval = value();
        else if (flag === "--cpu-prof") o.cpuProfDir = path.resolve(value());
        else if (flag === "--engine-prof") o.engineProfDir = path.resolve(value());
        else if (flag === "--json") o.jsonFile = path.resolve(value());
        else if (flag === "--layout") {
            const layout = value();
            if (layout !== "installed" && layout !== "linked") throw new Error("--layout: installed or linked");
            o.layout = layout;
        } else if (flag === "--env") {
            const [k, ...v] = value().split("=");
            o.env[k!] = v.join("=");
        } else throw new Error(`unknown option ${flag} (see the header of bench/floorMesh.bench.ts)`);
    }
    if (o.sizes.some((n) => !Number.isInteger(n) || n < 2 || n > 99)) throw new Error("--sizes: integers 2..99");
    if (!Number.isInteger(o.reps) || o.reps < 1) throw new Error("--reps: a positive integer");
    return o;
}

/** The members of `all` named in a comma-separated list, in the order of `all`. */
function subset<T extends string>(all: readonly T[], list: string): T[] {
    const names = list.split(",");
    return all.filter((x) => names.includes(x));
}

/** Resources of the full mesh of n VPCs, the stack included. */
function resourceCount(n: number): number {
    const peerings = (n * (n - 1)) / 2;
    return 1 + n + peerings + 2 * peerings;
}

/** The median; of an even count, the mean of the middle two. */
function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function runOp(stack: Stack, op: Op): Promise<Record<string, number>> {
    switch (op) {
        case "preview":
        case "preview-unchanged":
            return (await stack.preview({ color: "never" })).changeSummary as Record<string, number>;
        case "up":
            return ((await stack.up({ color: "never" })).summary.resourceChanges ?? {}) as Record<string, number>;
        case "refresh":
            return ((await stack.refresh({ color: "never" })).summary.resourceChanges ?? {}) as Record<string, number>;
        case "destroy":
            return ((await stack.destroy({ color: "never" })).summary.resourceChanges ?? {}) as Record<string, number>;
    }
}

/** What an operation must report, so that a benchmark of a broken run fails instead of printing fast numbers. */
function expectSummary(op: Op, summary: Record<string, number>, resources: number): void {
    const want: Record<Op, [string, number]> = {
        preview: ["create", resources],
        up: ["create", resources],
        "preview-unchanged": ["same", resources],
        refresh: ["same", resources],
        destroy: ["delete", resources],
    };
    const [key, n] = want[op];
    if ((summary[key] ?? 0) !== n) {
        throw new Error(`${op}: expected ${key}=${n}, the engine reported ${JSON.stringify(summary)}`);
    }
}

function stateSize(fx: E2eFixture, stackName: string, size: number, program: Program): StateSize | undefined {
    const file = findFile(fx.backend.backendDir, `${stackName}.json`);
    if (!file) return undefined;
    const text = fs.readFileSync(file, "utf8");
    const resources = (JSON.parse(text).checkpoint?.latest?.resources ?? []) as Array<{
        type: string;
        inputs?: Record<string, unknown>;
        outputs?: Record<string, unknown>;
    }>;
    const shapes: Record<string, string[]> = {};
    for (const r of resources) {
        const type = r.type.split(":").pop()!;
        shapes[type] ??= [...keyPaths(r.inputs, "inputs"), ...keyPaths(r.outputs, "outputs")];
    }
    let inputBytes = 0;
    let outputBytes = 0;
    const hidden: Record<string, number> = {};
    for (const r of resources) {
        inputBytes += JSON.stringify(r.inputs ?? {}).length;
        outputBytes += JSON.stringify(r.outputs ?? {}).length;
        for (const [k, v] of Object.entries(r.inputs ?? {})) {
            if (k.startsWith("__")) hidden[k] = (hidden[k] ?? 0) + JSON.stringify(v).length;
        }
    }
    const per = (b: number) => Math.round(b / Math.max(1, resources.length));
    return {
        size,
        program,
        stateBytes: text.length,
        resources: resources.length,
        inputBytesPerResource: per(inputBytes),
        outputBytesPerResource: per(outputBytes),
        hiddenBytesPerResource: Object.fromEntries(Object.entries(hidden).map(([k, b]) => [k, per(b)])),
        shapes,
    };
}

/** The sorted key paths of a property map, `__checks` parsed (`inputs.peering.requester.id`, `inputs.__checks>…`). */
function keyPaths(value: unknown, prefix: string): string[] {
    if (typeof value === "string" && prefix.endsWith(".__checks")) return keyPaths(JSON.parse(value), `${prefix}>`);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
    return Object.entries(value)
        .flatMap(([k, v]) => keyPaths(v, `${prefix}${prefix.endsWith(">") ? "" : "."}${k}`))
        .sort();
}

/** Where the `inputs` floor's resources differ in shape from this project's, per type; empty when they match. */
function shapeDifferences(project: StateSize, inputs: StateSize): string[] {
    const out: string[] = [];
    for (const [type, paths] of Object.entries(project.shapes)) {
        const other = new Set(inputs.shapes[type] ?? []);
        const mine = new Set(paths);
        const missing = paths.filter((k) => !other.has(k));
        const extra = [...other].filter((k) => !mine.has(k));
        if (missing.length || extra.length) {
            out.push(`${type}: only in project ${missing.join(" ") || "-"}; only in inputs ${extra.join(" ") || "-"}`);
        }
    }
    return out;
}

/**
 * A copy of the benchmark program in a fresh temporary project with the `npm pack` of this repository installed
 * (with the repository's own versions of @pulumi/pulumi, TypeScript and ts-node, from npm's cache when it has them):
 * the layout of a user's program. Returns the program's folder.
 */
function installedProgram(programDir: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-floor-"));
    const repo = path.join(__dirname, "..", "..");
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    const npm = (args: string[], cwd: string) => {
        const cli = process.env["npm_execpath"];
        const [cmd, argv] = cli && /npm-cli\.js$/.test(cli) ? [process.execPath, [cli, ...args]] : ["npm", args];
        return execFileSync(cmd, argv, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    };
    // dist/ is fresh (bench:floor builds first), so pack skips the prepare build.
    const [packed] = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], repo));
    const project = path.join(dir, "full-mesh");
    fs.mkdirSync(project);
    for (const f of fs.readdirSync(programDir)) {
        if (/^(Pulumi\.yaml|.*\.ts)$/.test(f)) fs.copyFileSync(path.join(programDir, f), path.join(project, f));
    }
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "bench-full-mesh", private: true }));
    // The repository's compiler options (ts-node type-checks the program in both layouts).
    const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(repo, "tsconfig.json"), "utf8"));
    fs.writeFileSync(
        path.join(project, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { ...compilerOptions, types: ["node"], outDir: undefined } }),
    );
    const dev = (name: string) => `${name}@${pkg.devDependencies[name]}`;
    npm(
        [
            "install",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            path.join(dir, packed.filename),
            // The floor + inputs' providers, copied (not linked) so that they are under node_modules like ours.
            "--install-links",
            path.join(programDir, "floor-inputs-providers"),
            ...["@pulumi/pulumi", "typescript", "ts-node", "@types/node"].map(dev),
        ],
        project,
    );
    console.log(`program installed from ${packed.filename} in ${project}`);
    return project;
}

function findFile(dir: string, name: string): string | undefined {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) {
            const found = findFile(p, name);
            if (found) return found;
        } else if (ent.name === name) return p;
    }
    return undefined;
}

/** What a request did, without ids: `vpc`, `vpc list`, `peering`, `peering accept`, `route list`, ... */
function callKind(path: string, query: string): string {
    const m = /\/(vpcs|peerings|routes)(?:\/([^/]+)(?:\/(accept|reject))?)?$/.exec(path);
    if (!m) return path.includes("/auth/") ? "token" : "other";
    const kind = { vpcs: "vpc", peerings: "peering", routes: "route" }[m[1] as "vpcs"];
    if (m[3]) return `${kind} ${m[3]}`;
    return m[2] === undefined ? (query === "" ? kind : `${kind} list`) : kind;
}

/** Calls by method (`12 GET, 4 POST`); with `detail`, by method and object kind. */
function formatCalls(calls: Record<string, number>, detail = false): string {
    const byKey: Record<string, number> = {};
    for (const [k, n] of Object.entries(calls)) {
        const key = detail ? k : k.split(" ")[0]!;
        byKey[key] = (byKey[key] ?? 0) + n;
    }
    if (Object.keys(byKey).length === 0) return "0";
    return Object.entries(byKey)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([m, n]) => `${n} ${m}`)
        .join(", ");
}

/** The variable the profiling wrapper reads: the profile prefix of the current operation. */
const ENGINE_PROF_ENV = "BENCH_ENGINE_PROF";

/**
 * Puts a `pulumi` wrapper first on PATH (the toolchain prefers a `pulumi` on PATH) that adds the CLI's own
 * `--profiling <prefix>` to preview/up/refresh/destroy when {@link ENGINE_PROF_ENV} is set, so the engine writes a
 * Go CPU profile. Must run before the first CLI lookup. Returns the folder to remove afterwards.
 */
function installEngineProfiler(): string {
    const real = loadToolchain().ensurePulumi().binDir;
    // `<dir>/bin/pulumi`: the CLI's root is the folder above its bin/ (PulumiCommand.get({ root })).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-engine-prof-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const f of fs.readdirSync(real)) if (f !== "pulumi") fs.symlinkSync(path.join(real, f), path.join(bin, f));
    const wrapper = [
        "#!/bin/sh",
        `if [ -n "$${ENGINE_PROF_ENV}" ]; then`,
        `  case "$1" in preview|up|refresh|destroy) exec "${path.join(real, "pulumi")}" --profiling "$${ENGINE_PROF_ENV}/$1" "$@";; esac`,
        "fi",
        `exec "${path.join(real, "pulumi")}" "$@"`,
    ];
    fs.writeFileSync(path.join(bin, "pulumi"), wrapper.join("\n") + "\n", { mode: 0o755 });
    process.env.PATH = [bin, process.env.PATH ?? ""].join(path.delimiter);
    return dir;
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    const profilerBin = o.engineProfDir ? installEngineProfiler() : undefined;
    let calls: Record<string, number> = {};
    const fx = await startE2e({
        vpcReadyDelayMs: o.vpcReadyDelayMs,
        // A full mesh of 30 VPCs is 435 peerings in one project; the default quota (50) is the API's, not ours.
        quotas: { peeringsPerProject: 100_000, vpcsPerProject: 1_000 },
        requestLogLimit: 1,
        onRequest: (e) => {
            const key = `${e.method} ${callKind(e.path, e.query)}`;
            calls[key] = (calls[key] ?? 0) + 1;
        },
    });
    const env = fx.envVars as Record<string, string>;
    if (o.pollInterval !== undefined) env.VPCPEERING_POLL_INTERVAL = o.pollInterval;
    else delete env.VPCPEERING_POLL_INTERVAL;
    delete env.VPCPEERING_TIMEOUT; // the provider's default timeouts, as a user has them
    Object.assign(env, o.env);
    const programDir = path.join(__dirname, "..", "..", "bench", "full-mesh");
    const workDir = o.layout === "installed" ? installedProgram(programDir) : programDir;
    const samples: Sample[] = [];
    const states: StateSize[] = [];
    console.log(
        `bench:floor — sizes ${o.sizes.join(", ")} VPCs, ${o.reps} repetition(s), VPC CREATING ${o.vpcReadyDelayMs} ms, ` +
            `poll interval ${o.pollInterval ?? "provider default"}, layout ${o.layout}` +
            (Object.keys(o.env).length ? `, env ${JSON.stringify(o.env)}` : ""),
    );
    try {
        for (const size of o.sizes) {
            const resources = resourceCount(size);
            for (let rep = 0; rep < o.reps; rep++) {
                const order = rep % 2 === 0 ? o.programs : [...o.programs].reverse();
                for (const program of order) {
                    const stackName = `${program}-${size}-${rep}`;
                    const stack = await fx.stack(workDir, stackName, {
                        vpcs: String(size),
                        program,
                    });
                    try {
                        for (const op of o.ops) {
                            if (o.cpuProfDir) {
                                const dir = path.join(o.cpuProfDir, `${size}-${program}-${op}`);
                                // The workspace copied its environment when the stack was opened: set it there.
                                const hook = path.join(__dirname, "exitOnSignal.js");
                                stack.workspace.envVars.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${dir} --require ${hook}`;
                            }
                            if (o.engineProfDir) {
                                const dir = path.join(o.engineProfDir, `${size}-${program}-${op}`);
                                fs.mkdirSync(dir, { recursive: true });
                                stack.workspace.envVars[ENGINE_PROF_ENV] = dir;
                            }
                            calls = {};
                            const t0 = Date.now();
                            const summary = await runOp(stack, op);
                            const ms = Date.now() - t0;
                            expectSummary(op, summary, resources);
                            samples.push({ size, rep, program, op, ms, calls: { ...calls }, summary });
                            console.log(
                                `  ${size} VPCs rep ${rep + 1} ${program.padEnd(7)} ${op.padEnd(17)} ${String(ms).padStart(7)} ms  API: ${formatCalls(calls, true)}`,
                            );
                            if (op === "up" && rep === 0) {
                                const s = stateSize(fx, stackName, size, program);
                                if (s) states.push(s);
                            }
                        }
                    } finally {
                        await stack.workspace.removeStack(stackName, { force: true });
                        fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
                    }
                }
            }
        }
    } finally {
        await fx.cleanup();
        if (profilerBin) fs.rmSync(profilerBin, { recursive: true, force: true });
        if (workDir !== programDir) fs.rmSync(path.dirname(workDir), { recursive: true, force: true });
    }
    report(o, samples, states);
    if (o.jsonFile) fs.writeFileSync(o.jsonFile, JSON.stringify({ options: o, samples, states }, null, 2) + "\n");
}

function report(o: Options, samples: Sample[], states: StateSize[]): void {
    const ms = (size: number, program: Program, op: Op) => {
        const xs = samples.filter((s) => s.size === size && s.program === program && s.op === op).map((s) => s.ms);
        return xs.length ? median(xs) : undefined;
    };
    const secs = (x: number | undefined) => (x === undefined ? "-" : `${(x / 1000).toFixed(1)} s`);
    const ratio = (a: number | undefined, b: number | undefined) =>
        a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}×`;
    const ratios: Record<string, Record<number, string>> = {};
    for (const size of o.sizes) {
        console.log(`\n${size} VPCs (${resourceCount(size)} resources), medians of ${o.reps}:`);
        console.log(
            "| Operation | this project | floor + inputs | floor | project ÷ floor | inputs ÷ floor | project ÷ inputs | API calls (this project) |",
        );
        console.log("|---|---:|---:|---:|---:|---:|---:|---|");
        for (const op of o.ops) {
            const [p, i, f] = [ms(size, "project", op), ms(size, "inputs", op), ms(size, "floor", op)];
            const calls = samples.find((s) => s.size === size && s.program === "project" && s.op === op)?.calls;
            (ratios[op] ??= {})[size] = `${ratio(p, f)} (${ratio(i, f)} · ${ratio(p, i)})`;
            console.log(
                `| ${op} | ${secs(p)} | ${secs(i)} | ${secs(f)} | ${ratio(p, f)} | ${ratio(i, f)} | ${ratio(p, i)} | ${calls ? formatCalls(calls) : "-"} |`,
            );
        }
        const sized = states.filter((x) => x.size === size);
        for (const s of sized) {
            const hidden = Object.entries(s.hiddenBytesPerResource)
                .map(([k, b]) => `${k} ${b} B`)
                .join(", ");
            console.log(
                `state after up (${s.program}): ${(s.stateBytes / 1024).toFixed(0)} KiB, ${s.resources} resources, ` +
                    `inputs ${s.inputBytesPerResource} B per resource${hidden ? ` (of which ${hidden})` : ""}, ` +
                    `outputs ${s.outputBytesPerResource} B`,
            );
        }
        const [project, inputs] = [
            sized.find((s) => s.program === "project"),
            sized.find((s) => s.program === "inputs"),
        ];
        if (project && inputs) {
            const diffs = shapeDifferences(project, inputs);
            console.log(
                diffs.length === 0
                    ? "floor + inputs: the same key paths as this project's resources (inputs, outputs, __checks)"
                    : `WARNING: floor + inputs differs from this project — its ratios do not isolate Pulumi's cost:\n  ${diffs.join("\n  ")}`,
            );
        }
    }
    if (o.sizes.length > 1) {
        console.log(
            `\nratio this project ÷ floor (floor + inputs ÷ floor · project ÷ floor + inputs) by size (${o.sizes.map(resourceCount).join(" / ")} resources):`,
        );
        for (const [op, bySize] of Object.entries(ratios)) {
            console.log(`  ${op.padEnd(17)} ${o.sizes.map((n) => bySize[n] ?? "-").join(" / ")}`);
        }
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
