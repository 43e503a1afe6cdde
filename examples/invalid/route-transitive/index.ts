// Fails preview with rule `route-transitive`: A route from a to c through the a-b peering: peering is not transitive.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "alice" });
const c = new Vpc("c", { cidr: "10.2.0.0/16", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new PeeringConnection("b-c", { requesterVpc: b, accepterVpc: c });
new Route("a-to-c", { vpc: a, destination: c.cidr, peeringConnection: ab });
