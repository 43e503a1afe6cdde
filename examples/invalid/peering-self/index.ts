// Fails preview with rule `peering-self`: A VPC peered with itself.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
new PeeringConnection("a-a", { requesterVpc: a, accepterVpc: a });
