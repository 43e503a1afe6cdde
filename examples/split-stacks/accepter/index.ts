// Split stacks 3/4 — bob's team: accept alice's request and route bob's VPC to hers. Alice's outputs (peering id,
// her CIDR) and bob's own VPC come through StackReferences on the shared backend: a StackReference reads the
// *last deployed* outputs, so this stack runs after the requester stack is up.
import * as pulumi from "@pulumi/pulumi";
import { PeeringAccepter, Route } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const account = config.get("account") ?? "bob";
const requester = new pulumi.StackReference(
    config.get("requesterStack") ?? `organization/vpc-peering-split-requester/${stack}`,
);
const vpc = new pulumi.StackReference(
    config.get("accepterVpcStack") ?? `organization/vpc-peering-split-accepter-vpc/${stack}`,
);
const region = requester.requireOutput("region") as pulumi.Output<string>;

const accepted = new PeeringAccepter("shop-payments", {
    peeringConnectionId: requester.requireOutput("peeringId") as pulumi.Output<string>,
    region,
    account,
});
new Route("payments-to-shop", {
    // Both ends' facts (bob's VPC, alice's VPC), so the destination is checked at preview.
    vpc: {
        id: vpc.requireOutput("vpcId") as pulumi.Output<string>,
        cidr: vpc.requireOutput("cidr") as pulumi.Output<string>,
    },
    peerVpc: {
        id: requester.requireOutput("vpcId") as pulumi.Output<string>,
        cidr: requester.requireOutput("cidr") as pulumi.Output<string>,
    },
    destination: requester.requireOutput("cidr") as pulumi.Output<string>,
    peeringConnection: accepted,
    region,
    account,
});

export const peeringId = accepted.peeringConnectionId;
export const status = accepted.status;
