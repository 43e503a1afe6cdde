// Passes preview: Valid: adjacent blocks (10.0.0.0/17 and 10.0.128.0/17) and routes to sub-blocks of the peer.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/17", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.0.128.0/17", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new Route("a-to-b-low", { vpc: a, destination: "10.0.128.0/18", peeringConnection: ab });
new Route("a-to-b-high", { vpc: a, destination: "10.0.192.0/18", peeringConnection: ab });
new Route("b-to-a", { vpc: b, destination: a.cidr, peeringConnection: ab });
