// `pulumi import` cannot work for dynamic resources (the engine's import step never sends the serialized
// provider). Two documented alternatives instead:
//  - `Vpc.get(name, id, {region, account})`: read-only; Pulumi never changes or deletes it.
//  - `adoptId` (or `adopt: true` to find it by name): the existing VPC is managed from now on — updated in
//    place, and deleted on destroy — without creating a second one.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-southeast-1";

const shared = Vpc.get("shared", config.require("sharedVpcId"), { region, account: "alice" });
const legacy = new Vpc("legacy", {
    name: "legacy",
    cidr: "10.81.0.0/16",
    region,
    account: "alice",
    adoptId: config.require("legacyVpcId"),
});
const link = new PeeringConnection("legacy-shared", { requesterVpc: legacy, accepterVpc: shared });

export const sharedCidr = shared.cidr;
export const legacyId = legacy.id;
export const peeringStatus = link.status;
