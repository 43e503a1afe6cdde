// Unit: verify's drift (orchestrator/verifyDrift.ts) — deleted only when the API proved it, changed CIDRs name the
// stacks built on them, added objects, and the reconcile set (drifted stacks plus everything downstream).

import { expect } from "chai";
import { buildInventory, findDrift, LiveEvidence, reconcileStacks, StackState } from "../../orchestrator/verifyDrift";

const T = (kind: string) => `pulumi-nodejs:dynamic/pulumi-vpc-peering:${kind}`;
const urn = (stack: string, name: string, kind: string) => `urn:pulumi:dev::${stack}::${T(kind)}::${name}`;

const states: StackState[] = [
    {
        stack: "net",
        resources: [
            {
                urn: urn("net", "pay", "Vpc"),
                type: T("Vpc"),
                id: "v-pay",
                outputs: { cidr: "10.40.0.0/16", name: "pay", account: "bob" },
            },
        ],
    },
    {
        stack: "req",
        resources: [
            {
                urn: urn("req", "shop", "Vpc"),
                type: T("Vpc"),
                id: "v-shop",
                outputs: { cidr: "10.30.0.0/16", name: "shop", account: "alice" },
            },
            {
                urn: urn("req", "p", "PeeringConnection"),
                type: T("PeeringConnection"),
                id: "p1",
                outputs: { requesterVpcId: "v-shop", accepterVpcId: "v-pay", account: "alice", name: "p" },
            },
        ],
    },
    {
        stack: "routes",
        resources: [
            {
                urn: urn("routes", "r", "Route"),
                type: T("Route"),
                id: "r1",
                outputs: { vpcId: "v-shop", destination: "10.40.0.0/16", peeringConnectionId: "p1", account: "alice" },
            },
        ],
    },
];
const downstream = (s: string) => ({ net: ["req", "routes"], req: ["routes"], routes: [] })[s] ?? [];
const healthy: LiveEvidence = {
    vpcs: [
        { id: "v-shop", name: "shop", cidr: "10.30.0.0/16", account: "alice" },
        { id: "v-pay", name: "pay", cidr: "10.40.0.0/16", account: "bob" },
    ],
    peerings: [{ id: "p1", name: "p", status: "ACTIVE", requesterVpcId: "v-shop", accepterVpcId: "v-pay" }],
    routes: [{ id: "r1", vpcId: "v-shop", destination: "10.40.0.0/16", nexthop: "p1" }],
    notFound: [],
    routesListed: ["v-shop", "v-pay"],
};
const inv = buildInventory(states);
const drift = (live: LiveEvidence) =>
    findDrift(inv, live, { downstream }).map((d) => `${d.stack} ${d.kind} ${d.type} ${d.id}`);

describe("verify: drift against the stacks' states", () => {
    it("the inventory knows every VPC in scope and who owns it", () => {
        expect([...inv.vpcOwners]).to.deep.equal([
            ["v-pay", "bob"],
            ["v-shop", "alice"],
        ]);
        expect(inv.peeringIds).to.deep.equal(["p1"]);
        expect(drift(healthy)).to.deep.equal([]);
    });

    it("deleted only when the API proved it: 404, a terminal status, or missing from a listed route table", () => {
        const unread: LiveEvidence = { ...healthy, vpcs: [], peerings: [], routes: [], routesListed: [] };
        expect(drift(unread), "nothing could be read: nothing is called deleted").to.deep.equal([]);
        const gone: LiveEvidence = { ...healthy, vpcs: [healthy.vpcs[0]], routes: [], notFound: ["v-pay"] };
        expect(drift(gone)).to.deep.equal(["net deleted Vpc v-pay", "routes deleted Route r1"]);
        const rejected: LiveEvidence = { ...healthy, peerings: [{ ...healthy.peerings[0], status: "REJECTED" }] };
        expect(drift(rejected)).to.deep.equal(["req deleted PeeringConnection p1"]);
    });

    it("a changed CIDR names the stacks built on it; reconcile covers the drifted stacks and their dependents", () => {
        const moved: LiveEvidence = {
            ...healthy,
            vpcs: [healthy.vpcs[0], { ...healthy.vpcs[1], cidr: "10.41.0.0/16" }],
        };
        const d = findDrift(inv, moved, { downstream });
        expect(d).to.have.length(1);
        expect(d[0]).to.include({
            stack: "net",
            kind: "changed",
            detail: "cidr 10.40.0.0/16 → 10.41.0.0/16 (changed outside Pulumi)",
        });
        expect(d[0].affects).to.have.members(["req", "routes"]);
        expect(reconcileStacks(d, { downstream }, ["net", "req", "routes"])).to.deep.equal(["net", "req", "routes"]);
    });

    it("added outside Pulumi: a route and a peering on a managed VPC (terminal requests are history, not drift)", () => {
        const added: LiveEvidence = {
            ...healthy,
            peerings: [
                ...healthy.peerings,
                { id: "p2", name: "x", status: "ACTIVE", requesterVpcId: "v-shop", accepterVpcId: "v-other" },
                { id: "p3", name: "old", status: "EXPIRED", requesterVpcId: "v-shop", accepterVpcId: "v-pay" },
            ],
            routes: [...healthy.routes, { id: "r9", vpcId: "v-shop", destination: "10.40.1.0/24", nexthop: "p2" }],
        };
        expect(drift(added)).to.deep.equal(["req added Route r9", "req added PeeringConnection p2"]);
        expect(
            reconcileStacks(findDrift(inv, added, { downstream }), { downstream }, ["net", "req", "routes"]),
        ).to.deep.equal([]);
    });
});
