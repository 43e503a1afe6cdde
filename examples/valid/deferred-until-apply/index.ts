// Passes preview, with a warning: a route destination computed from a value that only exists after
// apply (here: derived from the new VPC's id) cannot be checked at preview. The preview says so out loud
// ("deferred until apply"), and the provider runs the check again when the value is known.
import { PeeringConnection, Route, Vpc } from "pulumi-vpc-peering";

const region = "ap-southeast-1";
const a = new Vpc("a", { cidr: "10.0.0.0/16", region, account: "alice" });
const b = new Vpc("b", { cidr: "10.1.0.0/16", region, account: "alice" });
const ab = new PeeringConnection("a-b", { requesterVpc: a, accepterVpc: b });
new Route("a-to-b", { vpc: a, destination: b.id.apply(() => "10.1.0.0/16"), peeringConnection: ab });
