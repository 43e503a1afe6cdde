// Benchmark (not a test): how the program-wide constraint checks scale with the number of CIDRs.
// Run: npm run bench:graph   — prints time per size and the ratio to n·log2(n), which must stay flat, and the
// heap growth of one check (bytes per CIDR, which must stay bounded too). Node runs with --expose-gc.
//
// The graph is a hub-and-spoke mesh: one hub VPC per 100 spokes, each spoke peered with its hub and
// routed both ways, so the checked CIDR count is vpcs + 2·routes.

import { checkProgram, PeeringFacts, RouteFacts, VpcFacts } from "../core/rules";

function ip(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function buildGraph(spokes: number) {
    const vpcs: VpcFacts[] = [];
    const peerings: PeeringFacts[] = [];
    const routes: RouteFacts[] = [];
    const base = 10 << 24;
    let hub: VpcFacts | undefined;
    for (let i = 0; i < spokes; i++) {
        if (i % 100 === 0) {
            hub = { name: `hub-${i}`, cidr: `${ip(base + i * 256)}/24`, region: "r1", account: "a" };
            vpcs.push(hub);
            continue;
        }
        const spoke: VpcFacts = { name: `spoke-${i}`, cidr: `${ip(base + i * 256)}/24`, region: "r1", account: "a" };
        vpcs.push(spoke);
        const p: PeeringFacts = { name: `p-${i}`, requester: hub!, accepter: spoke };
        peerings.push(p);
        routes.push({ name: `to-spoke-${i}`, vpc: hub!, destination: spoke.cidr, peering: p });
        routes.push({ name: `to-hub-${i}`, vpc: spoke, destination: hub!.cidr, peering: p });
    }
    return { vpcs, peerings, routes, accepters: [] };
}

function time(fn: () => unknown): number {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

const sizes = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Heap growth across one run of `fn` (after a full GC), with its result kept alive: allocation per call, an upper bound of what it retains. */
function heapGrowth(fn: () => unknown): { bytes: number; keep: unknown } {
    gc();
    const before = process.memoryUsage().heapUsed;
    const keep = fn();
    const after = process.memoryUsage().heapUsed;
    return { bytes: Math.max(0, after - before), keep };
}

console.log(
    "graph checks: cidrs | ms (best of 3) | µs per cidr | ratio to n·log2(n) (normalised) | heap growth during one check, bytes per cidr",
);
let first: number | undefined;
for (const n of sizes) {
    // n CIDRs ≈ vpcs + 2 * routes ≈ 3 * spokes
    const g = buildGraph(Math.max(2, Math.round(n / 3)));
    const cidrs = g.vpcs.length + g.routes.length;
    time(() => checkProgram(g)); // warm-up
    const ms = Math.min(
        time(() => checkProgram(g)),
        time(() => checkProgram(g)),
        time(() => checkProgram(g)),
    );
    const norm = ms / (cidrs * Math.log2(cidrs));
    first ??= norm;
    const violations = checkProgram(g).violations.length;
    const mem = heapGrowth(() => checkProgram(g));
    console.log(
        `${String(cidrs).padStart(7)} | ${ms.toFixed(1).padStart(8)} | ${((ms * 1000) / cidrs).toFixed(2).padStart(6)} | ${(norm / first).toFixed(2).padStart(5)} | ${(mem.bytes / cidrs).toFixed(0).padStart(6)}${violations ? `  (unexpected violations: ${violations})` : ""}`,
    );
}
