// Benchmark (not a test): `pulumi preview` of a mesh with the constraint checks on vs. the same graph with
// them off (VPCPEERING_CHECKS=off), on the real engine. Reports each mode's median wall time and the ratio,
// measured in one run, alternating modes to share the machine's noise.
//
//   npm run bench:preview                 # default 60 VPCs (~57 peerings, ~114 routes), 3 rounds
//   BENCH_SPOKES=200 BENCH_ROUNDS=5 npm run bench:preview

import * as path from "node:path";
import { startE2e } from "../tests/helpers/e2e";

async function main(): Promise<void> {
    const spokes = Number(process.env.BENCH_SPOKES ?? 60);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const fx = await startE2e();
    const workDir = path.join(__dirname, "..", "..", "bench", "mesh-program");
    const times: Record<"on" | "off", number[]> = { on: [], off: [] };
    try {
        for (let r = 0; r < rounds; r++) {
            for (const mode of ["on", "off"] as const) {
                process.env.VPCPEERING_CHECKS = mode;
                fx.envVars.VPCPEERING_CHECKS = mode;
                const stackName = `bench-${mode}-${r}`;
                const stack = await fx.stack(workDir, stackName, { spokes: String(spokes) });
                const t0 = Date.now();
                const res = await stack.preview({ color: "never" });
                const ms = Date.now() - t0;
                times[mode].push(ms);
                console.log(
                    `round ${r + 1} checks ${mode.padEnd(3)}: ${ms} ms, ${res.changeSummary.create ?? 0} creates planned`,
                );
                await stack.workspace.removeStack(stackName, { force: true });
                require("node:fs").rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
            }
        }
    } finally {
        await fx.cleanup();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const on = median(times.on);
    const off = median(times.off);
    console.log(
        `\npreview of ${spokes} VPCs: checks on ${on} ms, off ${off} ms (medians of ${rounds}); ratio on/off = ${(on / off).toFixed(2)}`,
    );
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
