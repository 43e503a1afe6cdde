// Fails preview with rule `route-quota`: 201 routes in one VPC; the limit is 200.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const hub = new Vpc("hub", { cidr: "10.0.0.0/16", region, account: "alice" });
const big = new Vpc("big", { cidr: "10.128.0.0/9", region, account: "alice" });
const p = new PeeringConnection("hub-big", { requesterVpc: hub, accepterVpc: big });
for (let i = 0; i < 201; i++) {
    new Route(`hub-to-big-${i}`, {
        vpc: hub,
        destination: `10.${128 + (i >> 8)}.${i & 255}.0/24`,
        peeringConnection: p,
    });
}
