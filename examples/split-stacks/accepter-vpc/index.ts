// Split stacks 1/4 — bob's team: the accepter VPC. It exists before anyone can request a peering to it, so it is
// its own stack; its outputs are what bob hands to alice's team (VPC id, project id, CIDR).
import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "pulumi-vpc-peering";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-southeast-1";
const account = config.get("account") ?? "bob";

const payments = new Vpc("payments", { cidr: config.get("cidr") ?? "10.40.0.0/16", region, account });

export const vpcId = payments.id;
export const cidr = payments.cidr;
export const projectId = payments.projectId;
export { region, account };
