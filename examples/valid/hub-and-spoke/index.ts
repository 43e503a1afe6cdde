// Passes preview: Valid: a hub peered with three spokes, routes both ways, no spoke-to-spoke routes.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const hub = new Vpc("hub", { cidr: "172.16.0.0/16", region, account: "alice" });
for (const [i, cidr] of ["172.17.0.0/16", "172.18.0.0/16", "192.168.0.0/16"].entries()) {
    const spoke = new Vpc(`spoke-${i}`, { cidr, region, account: "alice" });
    const p = new PeeringConnection(`hub-spoke-${i}`, { requesterVpc: hub, accepterVpc: spoke });
    new Route(`hub-to-spoke-${i}`, { vpc: hub, destination: spoke.cidr, peeringConnection: p });
    new Route(`spoke-${i}-to-hub`, { vpc: spoke, destination: hub.cidr, peeringConnection: p });
}
