// Fails preview with rule `route-peering-mismatch`: A route in VPC c through a peering that joins a and b.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "alice" });
const c = new Vpc("c", { cidr: "10.2.0.0/16", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new Route("c-to-b", { vpc: c, destination: "10.1.0.0/16", peeringConnection: ab });
