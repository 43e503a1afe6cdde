// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The fault soak: many `up`/`destroy` cycles of examples/cross-account and a small hub-and-spoke mesh
// (bench/mesh-program) on the real engine, against an API server that injects random faults into its own
// traffic (5xx, 429 with Retry-After, connection resets before and after the commit, latency; seeded).
// After every up and every destroy it asserts, from the server's database: no duplicate objects, no
// orphans (objects the stacks do not hold), the stacks' state equals what the API holds, destroy leaves 0.
//
//   npm run soak -- --cycles 20 [--rate 0.1] [--seed 7] [--spokes 4] [--max-minutes 30]
//
// A short run (2 cycles) is part of `npm test` (tests/e2e/soak.spec.ts).

import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { FaultProfile, ProfileFault, PROFILE_FAULTS } from "../../emulator/faults";
import { exampleDir, REPO_ROOT, startE2e } from "../helpers/e2e";

/** {@link SoakOptions} sizes a soak run. */
export interface SoakOptions {
    readonly cycles: number;
    /** The share of requests that get a fault. @default 0.1 */
    readonly rate?: number;
    readonly seed?: number;
    /** Spokes of the mesh (VPCs = spokes, one of them the hub). @default 4 */
    readonly spokes?: number;
    /** Stop starting cycles after this long. @default no limit */
    readonly maxMinutes?: number;
    /** Progress lines. @default console.log */
    readonly log?: (line: string) => void;
}

/** {@link SoakFigures} is what a soak run saw. */
export interface SoakFigures {
    cycles: number;
    /** Every request the server answered or dropped. */
    requests: number;
    faults: Record<ProfileFault, number>;
    /** Faulted requests (latency aside) that the client sent again (same method and path). */
    retried: number;
    /** `up`/`destroy` operations that failed (each is run once more to converge). */
    upFailures: number;
    destroyFailures: number;
    /** Invariant violations, summed over every check. */
    duplicates: number;
    orphans: number;
    missing: number;
    leftAfterDestroy: number;
    /** One line per failure or violation. */
    problems: string[];
    durationMs: number;
}

interface ApiObject {
    readonly id: string;
    readonly key: string;
}

/** The server's VPCs, peerings and routes, each with the key that must be unique. */
function apiObjects(snapshot: Record<string, unknown[]>): ApiObject[] {
    const rows = (t: string) => (snapshot[t] ?? []) as Array<Record<string, string>>;
    return [
        ...rows("vpcs").map((v) => ({ id: v.id!, key: `vpc ${v.project_id}/${v.name}` })),
        ...rows("peerings").map((p) => ({
            id: p.id!,
            key: `peering ${[p.request_vpc_id, p.accept_vpc_id].sort().join("+")}`,
        })),
        ...rows("routes").map((r) => ({ id: r.id!, key: `route ${r.vpc_id} ${r.destination}` })),
    ];
}

/** The API ids a stack's state holds (dynamic resources; an accepter holds its peering's id). */
async function stateIds(stack: Stack): Promise<string[]> {
    const deployment = await stack.exportStack();
    const resources = (deployment.deployment?.resources ?? []) as Array<{ type: string; id?: string }>;
    return resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic") && r.id).map((r) => r.id!);
}

/** {@link runSoak} runs the soak and returns its figures; it throws only when it cannot start. */
export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
    const log = options.log ?? ((line: string) => console.log(line));
    const profile: FaultProfile = { rate: options.rate ?? 0.1, seed: options.seed ?? 7, retryAfterSeconds: 1 };
    const started = Date.now();
    const fx = await startE2e({ requestLogLimit: 1_000_000 });
    const figures: SoakFigures = {
        cycles: 0,
        requests: 0,
        faults: Object.fromEntries(PROFILE_FAULTS.map((k) => [k, 0])) as Record<ProfileFault, number>,
        retried: 0,
        upFailures: 0,
        destroyFailures: 0,
        duplicates: 0,
        orphans: 0,
        missing: 0,
        leftAfterDestroy: 0,
        problems: [],
        durationMs: 0,
    };
    const programs = [
        { name: "cross-account", dir: exampleDir("cross-account"), config: {} as Record<string, string> },
        {
            name: "mesh",
            dir: path.join(REPO_ROOT, "bench", "mesh-program"),
            config: { spokes: String(options.spokes ?? 4) },
        },
    ];
    const stackName = `soak-${process.pid}`;
    const stacks: Stack[] = [];
    try {
        for (const p of programs) stacks.push(await fx.stack(p.dir, stackName, p.config));
        /** Runs an operation; on failure counts it and runs it once more (a real user re-runs). */
        const attempt = async (
            what: string,
            op: () => Promise<unknown>,
            failures: "upFailures" | "destroyFailures",
        ) => {
            try {
                await op();
            } catch (e) {
                figures[failures]++;
                figures.problems.push(`cycle ${figures.cycles + 1}: ${what} failed: ${firstLine(e)}`);
                await op().catch((again) => figures.problems.push(`  … and again: ${firstLine(again)}`));
            }
        };
        const check = async (when: string, expectEmpty: boolean) => {
            const objects = apiObjects(fx.server.snapshot());
            const seen = new Map<string, number>();
            for (const o of objects) seen.set(o.key, (seen.get(o.key) ?? 0) + 1);
            for (const [key, n] of seen) {
                if (n > 1) {
                    figures.duplicates += n - 1;
                    figures.problems.push(`${when}: ${n} objects for ${key}`);
                }
            }
            const held = new Set((await Promise.all(stacks.map(stateIds))).flat());
            for (const o of objects) {
                if (!held.has(o.id)) {
                    figures.orphans++;
                    figures.problems.push(`${when}: orphan ${o.key} (${o.id})`);
                }
            }
            const ids = new Set(objects.map((o) => o.id));
            for (const id of held) {
                if (!ids.has(id)) {
                    figures.missing++;
                    figures.problems.push(`${when}: the state holds ${id}, the API does not`);
                }
            }
            if (expectEmpty && (objects.length > 0 || held.size > 0)) {
                figures.leftAfterDestroy += objects.length;
                figures.problems.push(`${when}: ${objects.length} objects left in the API, ${held.size} in state`);
            }
        };
        const deadline = options.maxMinutes !== undefined ? started + options.maxMinutes * 60_000 : Infinity;
        for (let cycle = 1; cycle <= options.cycles && Date.now() < deadline; cycle++) {
            const t0 = Date.now();
            fx.server.clearRequests();
            fx.server.faults.useProfile({ ...profile, seed: profile.seed + cycle });
            // The two programs run at once, as two teams' pipelines would.
            await Promise.all(
                stacks.map((stack, i) =>
                    attempt(`up ${programs[i]!.name}`, () => stack.up({ color: "never" }), "upFailures"),
                ),
            );
            await check(`cycle ${cycle} after up`, false);
            await Promise.all(
                stacks.map((stack, i) =>
                    attempt(`destroy ${programs[i]!.name}`, () => stack.destroy({ color: "never" }), "destroyFailures"),
                ),
            );
            await check(`cycle ${cycle} after destroy`, true);
            const counts = fx.server.faults.profileCounts();
            fx.server.faults.useProfile(undefined);
            const log_ = fx.server.requests();
            figures.requests += log_.length;
            figures.retried += countRetried(log_);
            for (const k of PROFILE_FAULTS) figures.faults[k] += counts[k];
            figures.cycles = cycle;
            const injected = PROFILE_FAULTS.reduce((n, k) => n + counts[k], 0);
            log(
                `cycle ${cycle}: ${log_.length} requests, ${injected} faults (${PROFILE_FAULTS.map((k) => `${k} ${counts[k]}`).join(", ")}), ` +
                    `${Math.round((Date.now() - t0) / 1000)} s, problems so far ${figures.problems.length}`,
            );
        }
    } finally {
        fx.server.faults.useProfile(undefined);
        for (const stack of stacks) {
            await stack.destroy({ color: "never" }).catch(() => undefined);
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
        }
        for (const p of programs) fs.rmSync(path.join(p.dir, `Pulumi.${stackName}.yaml`), { force: true });
        await fx.cleanup();
    }
    figures.durationMs = Date.now() - started;
    return figures;
}

/**
 * Faulted requests (not mere latency) followed later by the same method and path (a fault fires before
 * authentication, so the account is not known for it).
 */
function countRetried(entries: ReadonlyArray<{ method: string; path: string; fault?: string }>): number {
    let retried = 0;
    entries.forEach((e, i) => {
        if (!e.fault || e.fault === "delay") return;
        if (entries.slice(i + 1).some((l) => l.method === e.method && l.path === e.path)) retried++;
    });
    return retried;
}

function firstLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    const lines = text.split("\n").filter((l) => /error|fail/i.test(l));
    return (lines[0] ?? text.split("\n")[0] ?? "").trim().slice(0, 300);
}

/** {@link formatFigures} renders the figures as the lines the CLI prints (and the README quotes). */
export function formatFigures(f: SoakFigures, rate: number): string {
    const injected = PROFILE_FAULTS.reduce((n, k) => n + f.faults[k], 0);
    return [
        `soak: ${f.cycles} cycles (cross-account + mesh, up and destroy each) in ${Math.round(f.durationMs / 1000)} s`,
        `requests: ${f.requests}; faults injected: ${injected} (${((100 * injected) / Math.max(1, f.requests)).toFixed(1)} %, rate ${rate}): ` +
            PROFILE_FAULTS.map((k) => `${k} ${f.faults[k]}`).join(", "),
        `retried by the client: ${f.retried} faulted requests sent again`,
        `failures: up ${f.upFailures}, destroy ${f.destroyFailures}`,
        `invariants: duplicates ${f.duplicates}, orphans ${f.orphans}, in state but not in the API ${f.missing}, left after destroy ${f.leftAfterDestroy}`,
        ...f.problems.map((p) => `  ${p}`),
    ].join("\n");
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            cycles: { type: "string", default: "5" },
            rate: { type: "string", default: "0.1" },
            seed: { type: "string", default: "7" },
            spokes: { type: "string", default: "4" },
            "max-minutes": { type: "string" },
        },
    });
    const rate = Number(values.rate);
    const figures = await runSoak({
        cycles: Number(values.cycles),
        rate,
        seed: Number(values.seed),
        spokes: Number(values.spokes),
        maxMinutes: values["max-minutes"] !== undefined ? Number(values["max-minutes"]) : undefined,
    });
    console.log(formatFigures(figures, rate));
    const bad = figures.duplicates + figures.orphans + figures.missing + figures.leftAfterDestroy;
    return bad > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => (process.exitCode = code),
        (e) => {
            console.error(e);
            process.exitCode = 2;
        },
    );
}
