// Fails preview with rule `cidr-host-bits`: A VPC CIDR with host bits set.
import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

new Vpc("bad", { cidr: "10.0.0.1/16", region, account: "alice" });
