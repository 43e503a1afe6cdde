// Passes preview: Valid: CIDRs of different digit widths that a string comparison gets wrong.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/20", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.0.128.0/20", region, account: "alice" });
const c = new Vpc("c", { cidr: "10.10.0.0/16", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
const ac = new PeeringConnection("a-c", { requesterVpc: a, accepterVpc: c });
new Route("a-to-b", { vpc: a, destination: b.cidr, peeringConnection: ab });
new Route("a-to-c", { vpc: a, destination: c.cidr, peeringConnection: ac });
