// One program, two accounts: alice owns the requester VPC and the peering request, bob owns the accepter
// VPC and accepts. Routes on both sides wait for the peering to be ACTIVE. One `pulumi up`, no second run:
// the accepter waits until the request is visible to bob, and the routes depend on the accepter.
import * as pulumi from "@pulumi/pulumi";
import { PeeringAccepter, PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-southeast-1";
const requesterAccount = config.get("requesterAccount") ?? "alice";
const accepterAccount = config.get("accepterAccount") ?? "bob";

const shop = new Vpc("shop", { cidr: config.get("shopCidr") ?? "10.30.0.0/16", region, account: requesterAccount });
const payments = new Vpc("payments", {
    cidr: config.get("paymentsCidr") ?? "10.40.0.0/16",
    region,
    account: accepterAccount,
});

// Cross-account: the peer project id is resolved from bob's account profile for the region.
const request = new PeeringConnection("shop-payments", { requesterVpc: shop, accepterVpc: payments });
const accepted = new PeeringAccepter("shop-payments", { peeringConnection: request, account: accepterAccount });

new Route(
    "shop-to-payments",
    { vpc: shop, destination: payments.cidr, peeringConnection: request },
    { dependsOn: accepted },
);
new Route(
    "payments-to-shop",
    { vpc: payments, destination: shop.cidr, peeringConnection: request },
    { dependsOn: accepted },
);

export const peeringId = request.id;
export const requestStatusAtCreate = request.status;
export const acceptedStatus = accepted.status;
