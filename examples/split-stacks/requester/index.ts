// Split stacks 2/4 — alice's team: her VPC and the peering request to bob's VPC, which lives in another account
// and another stack. Bob's VPC id, project id and CIDR come in as config (the orchestrator passes them from the
// accepter-vpc stack's outputs: `${accepter-vpc.vpcId}`), and the peering gets bob's VPC as a VpcRef with its
// facts: alice's keys cannot read bob's VPC, so without its CIDR the overlap check could only run at apply. The
// request stays PENDING_ACCEPTANCE until bob accepts.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-southeast-1";
const account = config.get("account") ?? "alice";

const shop = new Vpc("shop", { cidr: config.get("cidr") ?? "10.30.0.0/16", region, account });
const request = new PeeringConnection("shop-payments", {
    requesterVpc: shop,
    accepterVpc: {
        id: config.require("accepterVpcId"),
        cidr: config.require("accepterCidr"),
        account: config.get("accepterAccount") ?? "bob",
    },
    peerProjectId: config.require("peerProjectId"),
});

export const vpcId = shop.id;
export const cidr = shop.cidr;
export const peeringId = request.id;
export const peeringStatus = request.status;
export const expiresAt = request.expiresAt;
export const accepterCidr = config.require("accepterCidr");
export const accepterVpcId = config.require("accepterVpcId");
export { region, account };
