// Fails preview with rule `mesh-peer-cidr-conflict`: A hub peered with two VPCs whose CIDRs overlap each other.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const hub = new Vpc("hub", { cidr: "10.0.0.0/16", region, account: "alice" });
const blue = new Vpc("blue", { cidr: "10.1.0.0/16", region, account: "alice" });
const green = new Vpc("green", { cidr: "10.1.0.0/16", region, account: "alice" });
new PeeringConnection("hub-blue", { requesterVpc: hub, accepterVpc: blue });
new PeeringConnection("hub-green", { requesterVpc: hub, accepterVpc: green });
