// Fails preview with rule `peering-missing-peer-project`: A peering to another account's VPC, given by id, without the peer project id.
// The end-to-end test creates bob's VPC through the API and passes its id as config `peerVpcId`.
import * as pulumi from "@pulumi/pulumi";
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
new PeeringConnection("a-foreign", { requesterVpc: a, accepterVpcId: new pulumi.Config().require("peerVpcId") });
