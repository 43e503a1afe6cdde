// Fails preview with rule `vpc-cidr-range`: A VPC CIDR outside the private blocks a VPC may use.
import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

new Vpc("bad", { cidr: "100.64.0.0/16", region, account: "alice" });
