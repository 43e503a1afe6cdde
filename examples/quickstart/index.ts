// Two VPCs in one account and region, peered, with a route each way. A same-account peering is ACTIVE
// at once: no accepter needed.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-southeast-1";
const account = config.get("account") ?? "alice";

const app = new Vpc("app", {
    name: config.get("appName"), // unset: auto-named, e.g. app-3f9a1c2
    cidr: config.get("appCidr") ?? "10.10.0.0/16",
    region,
    account,
    tags: { example: "quickstart", team: config.get("team") ?? "platform" },
});
const data = new Vpc("data", {
    name: config.get("dataName"), // unset: auto-named, e.g. data-3f9a1c2
    cidr: config.get("dataCidr") ?? "10.20.0.0/16",
    region,
    account,
});

const peering = new PeeringConnection("app-data", {
    name: config.get("peeringName"), // unset: auto-named, e.g. app-data-3f9a1c2
    requesterVpc: app,
    accepterVpc: data,
});

new Route("app-to-data", { vpc: app, destination: data.cidr, peeringConnection: peering });
new Route("data-to-app", { vpc: data, destination: app.cidr, peeringConnection: peering });

export const appVpcId = app.id;
export const appTags = app.tags;
export const dataVpcId = data.id;
export const peeringId = peering.id;
export const peeringStatus = peering.status;
