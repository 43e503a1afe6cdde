// Fails preview with rule `peering-duplicate-pair`: Two peerings for one VPC pair (one each way).
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "alice" });
new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new PeeringConnection("b-a", { requesterVpc: b, accepterVpc: a });
