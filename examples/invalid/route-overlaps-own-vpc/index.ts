// Fails preview with rule `route-overlaps-own-vpc`: A route whose destination is inside its own VPC.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new Route("a-to-self", { vpc: a, destination: "10.0.4.0/24", peeringConnection: ab });
