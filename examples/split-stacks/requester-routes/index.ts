// Split stacks 4/4 — alice's team: her route to bob's VPC. A peering route needs an ACTIVE peering, so this runs
// after bob's accepter stack (the Route also waits for ACTIVE by itself, within its create timeout).
import * as pulumi from "@pulumi/pulumi";
import { Route } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const requester = new pulumi.StackReference(
    config.get("requesterStack") ?? `organization/vpc-peering-split-requester/${pulumi.getStack()}`,
);

new Route("shop-to-payments", {
    // Both ends' facts, so the destination is checked against bob's CIDR at preview.
    vpc: {
        id: requester.requireOutput("vpcId") as pulumi.Output<string>,
        cidr: requester.requireOutput("cidr") as pulumi.Output<string>,
    },
    peerVpc: {
        id: requester.requireOutput("accepterVpcId") as pulumi.Output<string>,
        cidr: requester.requireOutput("accepterCidr") as pulumi.Output<string>,
    },
    destination: requester.requireOutput("accepterCidr") as pulumi.Output<string>,
    peeringConnectionId: requester.requireOutput("peeringId") as pulumi.Output<string>,
    region: requester.requireOutput("region") as pulumi.Output<string>,
    account: requester.requireOutput("account") as pulumi.Output<string>,
});
