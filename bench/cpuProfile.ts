// Summarises V8 CPU profiles (`node --cpu-prof`, e.g. from `npm run bench:floor -- --cpu-prof DIR`): for each
// profile, wall time, busy (non-idle) time, and the self time by package (or by our own folder) and by function.
//
//   node dist/bench/cpuProfile.js DIR [--top 15] [--inclusive REGEX]
//
// every *.cpuprofile under DIR, the biggest first; inclusive (self + callees) time of the functions whose
// "name file:line [group]" matches REGEX (default: our own code, `[ours:`).

import * as fs from "node:fs";
import * as path from "node:path";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

/** Where a function lives: an npm package, a folder of this repository, Node's internals, or a V8 pseudo-frame. */
function groupOf(url: string, functionName: string): string {
    if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
    if (url.startsWith("node:")) return "node:internal";
    const nm = url.lastIndexOf("node_modules/");
    if (nm >= 0) {
        const rest = url.slice(nm + "node_modules/".length).split("/");
        const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
        // The package linked to itself (scripts/prepare.js) resolves into this repository's dist/.
        return pkg;
    }
    const dist = url.indexOf("/dist/");
    if (dist >= 0) return `ours:${url.slice(dist + 6).split("/")[0]}`;
    if (url.includes("/bench/")) return "ours:bench";
    return url.startsWith("file://") ? "(other file)" : url;
}

function summarise(file: string, top: number, inclusive: RegExp): void {
    const prof = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    for (let i = 0; i < prof.samples.length; i++) {
        const id = prof.samples[i]!;
        selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
    }
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const keyOf = (n: ProfileNode) => {
        const { functionName, url, lineNumber } = n.callFrame;
        const group = groupOf(url, functionName);
        return {
            group,
            fn: `${functionName || "(anonymous)"} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ""} [${group}]`,
        };
    };
    const groups = new Map<string, number>();
    const functions = new Map<string, number>();
    const inclusiveUs = new Map<string, number>();
    let busy = 0;
    for (const [id, us] of selfUs) {
        const { group, fn } = keyOf(byId.get(id)!);
        groups.set(group, (groups.get(group) ?? 0) + us);
        if (group !== "(idle)") busy += us;
        functions.set(fn, (functions.get(fn) ?? 0) + us);
        // Inclusive time: every distinct matching function on the sample's stack gets the sample once.
        const onStack = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
            const k = keyOf(byId.get(at)!).fn;
            if (inclusive.test(k)) onStack.add(k);
        }
        for (const k of onStack) inclusiveUs.set(k, (inclusiveUs.get(k) ?? 0) + us);
    }
    const wall = prof.endTime - prof.startTime;
    const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
    const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
    console.log(`\n${file}: wall ${ms(wall)}, busy ${ms(busy)} (${((100 * busy) / wall).toFixed(0)}%)`);
    const sorted = (m: Map<string, number>) => [...m].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]);
    console.log("  self time by package / folder:");
    for (const [g, us] of sorted(groups).slice(0, top))
        console.log(`    ${pct(us).padStart(6)} ${ms(us).padStart(9)}  ${g}`);
    console.log("  self time by function:");
    for (const [f, us] of sorted(functions).slice(0, top))
        console.log(`    ${pct(us).padStart(6)} ${ms(us).padStart(9)}  ${f}`);
    console.log(`  inclusive time of functions matching ${inclusive}:`);
    for (const [f, us] of sorted(inclusiveUs).slice(0, top))
        console.log(`    ${pct(us).padStart(6)} ${ms(us).padStart(9)}  ${f}`);
}

function profilesUnder(dir: string): string[] {
    const out: string[] = [];
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) out.push(...profilesUnder(p));
        else if (ent.name.endsWith(".cpuprofile")) out.push(p);
    }
    return out;
}

function main(): void {
    const args = process.argv.slice(2);
    const topAt = args.indexOf("--top");
    const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
    const incAt = args.indexOf("--inclusive");
    const inclusive = new RegExp(incAt >= 0 ? args.splice(incAt, 2)[1]! : "\\[ours:");
    if (args.length === 0) throw new Error("usage: node dist/bench/cpuProfile.js DIR|FILE... [--top N]");
    const files = args.flatMap((a) => (fs.statSync(a).isDirectory() ? profilesUnder(a) : [a]));
    files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
    for (const f of files) summarise(f, top, inclusive);
}

main();
