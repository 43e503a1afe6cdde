// Passes preview, with a warning: the escape hatch. These VPCs overlap on purpose (a migration where only
// non-overlapping subnets are routed), so the rule is suppressed on this one peering with a reason that
// shows in the preview output.
import { PeeringConnection, Vpc } from "pulumi-vpc-peering";

const region = "ap-southeast-1";
const legacy = new Vpc("legacy", { cidr: "10.0.0.0/16", region, account: "alice" });
const next = new Vpc("next", { cidr: "10.0.128.0/17", region, account: "alice" });
new PeeringConnection("legacy-next", {
    requesterVpc: legacy,
    accepterVpc: next,
    suppressRules: [
        { rule: "peering-cidr-overlap", reason: "migration: only 10.0.0.0/17 subnets are routed (TICKET-42)" },
    ],
});
