// Benchmark program (bench/previewMesh.bench.ts): hubs with 20 spokes each, every spoke peered with its
// hub and routed both ways. Valid by construction.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const spokes = new pulumi.Config().getNumber("spokes") ?? 20;
const region = "ap-southeast-1";
let hub: Vpc | undefined;
for (let i = 0; i < spokes; i++) {
    const cidr = `10.${i >> 8}.${i & 255}.0/24`;
    if (i % 20 === 0) {
        hub = new Vpc(`hub-${i}`, { cidr, region, account: "alice" });
        continue;
    }
    const spoke = new Vpc(`spoke-${i}`, { cidr, region, account: "alice" });
    const p = new PeeringConnection(`p-${i}`, { requesterVpc: hub!, accepterVpc: spoke });
    new Route(`hub-to-${i}`, { vpc: hub!, destination: spoke.cidr, peeringConnection: p });
    new Route(`spoke-${i}-to-hub`, { vpc: spoke, destination: hub!.cidr, peeringConnection: p });
}
