// Fails preview with rule `peering-cidr-overlap`: A peering between VPCs whose CIDRs overlap (10.0.0.0/16 contains 10.0.128.0/17).
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.0.128.0/17", region, account: "alice" });
new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
