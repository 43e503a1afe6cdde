// Benchmark (not a test): the API server's speed and memory as the data grows, measured in one run.
// For N VPCs in one project (N = 500, 2 000, 8 000 by default) it reports the time per create, the time to
// page through the whole list (limit 100), and the heap per stored VPC. The per-item figures must stay flat
// (the list endpoint pages in SQL, not by scanning everything per page).
//
//   npm run bench:api        (BENCH_API_SIZES=500,2000 to change the sizes)

import { startServer } from "../emulator";
import { createApiClient } from "../provider/client/client";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function measure(n: number): Promise<string> {
    const server = await startServer({ vpcReadyDelayMs: 0, quotas: { vpcsPerProject: n + 10 } });
    try {
        const alice = server.accounts.find((a) => a.name === "alice")!;
        const region = server.regions[0]!;
        const client = createApiClient({
            endpoint: server.endpoint(region),
            projectId: alice.projects[region]!,
            auth: { type: "aksk", accessKey: alice.accessKey, secretKey: alice.secretKey },
            deadline: Date.now() + 30 * 60_000,
        });
        gc();
        const heap0 = process.memoryUsage().heapUsed;
        const rss0 = process.memoryUsage().rss;
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i++) {
            await client.createVpc({ name: `v${i}`, cidr: `10.${(i >> 8) & 255}.${i & 255}.0/24` });
        }
        const createMs = Number(process.hrtime.bigint() - t0) / 1e6;
        server.clearRequests();
        gc();
        const heapStored = process.memoryUsage().heapUsed - heap0;
        const rssStored = process.memoryUsage().rss - rss0;
        const t1 = process.hrtime.bigint();
        let marker: string | undefined;
        let seen = 0;
        for (;;) {
            const res = await client.request<{ vpcs: Array<{ id: string }> }>("GET", `/v1/${client.projectId}/vpcs`, {
                query: { limit: 100, marker },
            });
            seen += res.data.vpcs.length;
            if (res.data.vpcs.length < 100) break;
            marker = res.data.vpcs[res.data.vpcs.length - 1]!.id;
        }
        const listMs = Number(process.hrtime.bigint() - t1) / 1e6;
        if (seen !== n) throw new Error(`listed ${seen} of ${n}`);
        return [
            String(n).padStart(6),
            ((createMs * 1000) / n).toFixed(0).padStart(9),
            listMs.toFixed(0).padStart(8),
            ((listMs * 1000) / n).toFixed(1).padStart(11),
            (Math.max(0, heapStored) / n).toFixed(0).padStart(11),
            (Math.max(0, rssStored) / n).toFixed(0).padStart(10),
        ].join(" | ");
    } finally {
        await server.close();
    }
}

async function main(): Promise<void> {
    const sizes = (process.env.BENCH_API_SIZES ?? "500,2000,8000").split(",").map(Number);
    console.log(
        "  VPCs | µs/create | list ms | µs/listed | heap B/VPC | RSS B/VPC (SQLite in memory lives outside the heap)",
    );
    for (const n of sizes) console.log(await measure(n));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
