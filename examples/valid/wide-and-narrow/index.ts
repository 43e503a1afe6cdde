// Passes preview: Valid: a /8 peered with a /24 of another private block.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const wide = new Vpc("wide", { cidr: "10.0.0.0/8", region, account: "alice" });
const narrow = new Vpc("narrow", { cidr: "192.168.1.0/24", region, account: "alice" });
const p = new PeeringConnection("wide-narrow", { requesterVpc: wide, accepterVpc: narrow });
new Route("wide-to-narrow", { vpc: wide, destination: narrow.cidr, peeringConnection: p });
new Route("narrow-to-wide", { vpc: narrow, destination: wide.cidr, peeringConnection: p });
