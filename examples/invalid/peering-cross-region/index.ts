// Fails preview with rule `peering-cross-region`: A peering between VPCs of two regions.
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const a = new Vpc("a", { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region: "ap-southeast-3", account: "alice" });
new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
