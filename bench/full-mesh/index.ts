// Benchmark program (bench/floorMesh.bench.ts): a full mesh of N VPCs of one account — every pair peered, a route
// each way — so N VPCs make N + N(N-1)/2 peerings + N(N-1) routes (+ the stack): 146 / 591 / 1,336 resources at
// 10 / 20 / 30. With `program: floor` the same graph (same names, same dependency edges) is made of no-op dynamic
// resources (./floor.ts), which measures what the engine itself costs; with `program: inputs` of no-op resources
// that register this project's properties (./floorInputs.ts), which measures what Pulumi charges for those.
import * as pulumi from "@pulumi/pulumi";
import type * as floor from "./floor";

const config = new pulumi.Config();
const n = config.requireNumber("vpcs");
// The floors' constructors take the same arguments as the real ones (a subset of them), so one type fits all three.
const modules: Record<string, string> = { project: "pulumi-vpc-peering", floor: "./floor", inputs: "./floorInputs" };
const kinds: typeof floor = require(modules[config.require("program")]!);

const region = "ap-southeast-1";
const vpcs = Array.from(
    { length: n },
    (_, i) => new kinds.Vpc(`vpc-${i}`, { cidr: `10.${i}.0.0/16`, region, account: "alice" }),
);
for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
        const [a, b] = [vpcs[i]!, vpcs[j]!];
        const p = new kinds.PeeringConnection(`p-${i}-${j}`, { requesterVpc: a, accepterVpc: b });
        new kinds.Route(`r-${i}-${j}`, { vpc: a, destination: b.cidr, peeringConnection: p });
        new kinds.Route(`r-${j}-${i}`, { vpc: b, destination: a.cidr, peeringConnection: p });
    }
}
