// Fails preview with rule `cidr-syntax`: A VPC CIDR that is not an IPv4 block.
import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

new Vpc("bad", { cidr: "10.0.0/16", region, account: "alice" });
