// Fails preview with rule `accepter-wrong-account`: A cross-account request accepted from the requester's own account.
import * as pulumi from "@pulumi/pulumi";
import { PeeringAccepter, PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = new pulumi.Config().get("region") ?? "ap-southeast-1";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "bob" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new PeeringAccepter("a-b", { peeringConnection: ab, account: "alice" });
