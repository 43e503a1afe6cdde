// Fails preview with rule `route-internet-via-peer`: a default route through a peering, to use the peer's EIPs or
// NAT gateway for Internet access. A peering carries traffic only to the peer VPC's CIDR.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const app = new Vpc("app", { cidr: "10.0.0.0/16", region, account: "alice" });
const egress = new Vpc("egress", { cidr: "10.1.0.0/16", region, account: "alice" });
const peering = new PeeringConnection("app-egress", { requesterVpc: app, accepterVpc: egress });
new Route("app-to-internet", { vpc: app, destination: "0.0.0.0/0", peeringConnection: peering });
