// The plan checked as a whole, in isolation: stacks' declarations (check report records) joined — a VPC declared in
// one stack and referenced by id or by a placeholder in another is one VPC — and the graph-wide rules run over the
// union. Only what no stack's own preview reported comes out, on the stack whose resource it is about.

import { expect } from "chai";

import { CheckRecord, placeholderFor } from "../../core/checkReport";
import { checkPeering, PeeringFacts, RouteFacts, VpcFacts } from "../../core/rules";
import { checkPlan, StackDeclarations } from "../../orchestrator/planCheck";

const REGION = "ap-southeast-1";

function record(
    kind: CheckRecord["kind"],
    name: string,
    facts: CheckRecord["facts"],
    extra: Partial<CheckRecord> = {},
): CheckRecord {
    return { version: 1, source: "program", kind, name, facts, violations: [], deferred: [], suppressed: [], ...extra };
}
const hubVpc = record("Vpc", "payments", {
    vpc: { name: "payments", cidr: "10.40.0.0/16", region: REGION, account: "bob" },
});
function spoke(stack: string, cidr: string, hubId: string, ids = new Map<string, string>()): StackDeclarations {
    const shop: VpcFacts = { name: "shop", cidr, region: REGION, account: "alice" };
    const hub: VpcFacts = {
        name: `vpc ${hubId}`,
        id: hubId,
        cidr: "10.40.0.0/16",
        region: REGION,
        account: "bob",
        ref: "accepterVpc",
    };
    const peering: PeeringFacts = { name: "shop-payments", requester: shop, accepter: hub };
    return {
        stack,
        ids,
        records: [record("Vpc", "shop", { vpc: shop }), record("PeeringConnection", "shop-payments", { peering })],
    };
}

describe("plan check: the stacks of a plan checked together", () => {
    it("two spokes in two stacks with overlapping CIDRs, peered to one hub by placeholder: mesh conflict on the hub", () => {
        const id = placeholderFor("hub", "vpcId");
        const r = checkPlan([
            { stack: "hub", ids: new Map(), records: [hubVpc] },
            spoke("spoke-a", "10.30.0.0/16", id),
            spoke("spoke-b", "10.30.128.0/17", id),
        ]);
        expect(r.violations).to.have.length(1);
        const v = r.violations[0]!;
        expect(v).to.deep.include({ stack: "hub", resource: "Vpc payments" });
        expect(v.violation.rule).to.equal("mesh-peer-cidr-conflict");
        expect(v.stacks).to.have.members(["hub", "spoke-a", "spoke-b"]);
        expect(v.violation.message).to.contain('"spoke-b/shop-payments"');
        expect(r.placeholders).to.deep.equal([
            { stack: "hub", output: "vpcId", vpc: "hub/payments", why: "the VPC of hub with CIDR 10.40.0.0/16" },
        ]);
    });
    it("the same with a deployed hub: joined by its id", () => {
        const r = checkPlan([
            { stack: "hub", ids: new Map([["Vpc/payments", "vpc-hub"]]), records: [hubVpc] },
            spoke("spoke-a", "10.30.0.0/16", "vpc-hub"),
            spoke("spoke-b", "10.30.0.0/24", "vpc-hub"),
        ]);
        expect(r.violations.map((x) => `${x.stack} ${x.violation.rule}`)).to.deep.equal([
            "hub mesh-peer-cidr-conflict",
        ]);
    });
    it("disjoint spokes pass", () => {
        const id = placeholderFor("hub", "vpcId");
        const r = checkPlan([
            { stack: "hub", ids: new Map(), records: [hubVpc] },
            spoke("spoke-a", "10.30.0.0/16", id),
            spoke("spoke-b", "10.31.0.0/16", id),
        ]);
        expect(r.violations).to.deep.equal([]);
    });
    it("a violation a stack already reported itself is not reported again", () => {
        const id = placeholderFor("hub", "vpcId");
        const a = spoke("spoke-a", "10.40.128.0/17", id);
        const own = checkPeering(a.records[1]!.facts!.peering!).violations;
        expect(own.map((v) => v.rule)).to.deep.equal(["peering-cidr-overlap"]);
        const withOwn = { ...a, records: [a.records[0]!, { ...a.records[1]!, violations: own }] };
        expect(checkPlan([{ stack: "hub", ids: new Map(), records: [hubVpc] }, withOwn]).violations).to.deep.equal([]);
    });
    it("a deferred check of one stack decided by another's facts: the hub's CIDR fills the spoke's reference", () => {
        const a = spoke("spoke-a", "10.40.0.0/24", "vpc-hub");
        const p = a.records[1]!.facts!.peering!;
        const noCidr = { ...p, accepter: { ...p.accepter, cidr: undefined } };
        const r = checkPlan([
            { stack: "hub", ids: new Map([["Vpc/payments", "vpc-hub"]]), records: [hubVpc] },
            { ...a, records: [a.records[0]!, record("PeeringConnection", "shop-payments", { peering: noCidr })] },
        ]);
        expect(r.violations.map((x) => `${x.stack} ${x.resource} ${x.violation.rule}`)).to.deep.equal([
            "spoke-a PeeringConnection shop-payments peering-cidr-overlap",
        ]);
        expect(r.violations[0]!.violation.message).to.contain('"hub/payments" (10.40.0.0/16)');
    });
    it("suppressions of the subject hold across stacks too", () => {
        const id = placeholderFor("hub", "vpcId");
        const hub = { ...hubVpc, suppressions: [{ rule: "mesh-peer-cidr-conflict", reason: "TICKET-7" }] };
        const r = checkPlan([
            { stack: "hub", ids: new Map(), records: [hub] },
            spoke("spoke-a", "10.30.0.0/16", id),
            spoke("spoke-b", "10.30.128.0/17", id),
        ]);
        expect(r.violations).to.deep.equal([]);
    });

    // Two stacks of one team: `net` declares the VPCs and a peering, `extra` names them by id.
    const shopV: VpcFacts = { name: "shop", cidr: "10.30.0.0/16", region: REGION, account: "alice" };
    const payV: VpcFacts = { name: "payments", cidr: "10.40.0.0/16", region: REGION, account: "alice" };
    const byId = (id: string, ref: string, cidr?: string): VpcFacts => ({
        name: `vpc ${id}`,
        id,
        region: REGION,
        account: "alice",
        ref,
        ...(cidr ? { cidr } : {}),
    });
    const net: StackDeclarations = {
        stack: "net",
        ids: new Map([
            ["Vpc/shop", "vpc-s"],
            ["Vpc/payments", "vpc-p"],
            ["PeeringConnection/shop-payments", "peer-1"],
        ]),
        records: [
            record("Vpc", "shop", { vpc: shopV }),
            record("Vpc", "payments", { vpc: payV }),
            record("PeeringConnection", "shop-payments", {
                peering: { name: "shop-payments", requester: shopV, accepter: payV },
            }),
        ],
    };
    const byIdPeering = (name: string): PeeringFacts => ({
        name,
        requester: byId("vpc-s", "requesterVpc"),
        accepter: byId("vpc-p", "accepterVpc"),
    });
    it("two peerings of one pair declared in two stacks: a duplicate pair, on the second stack", () => {
        const r = checkPlan([
            net,
            {
                stack: "extra",
                ids: new Map(),
                records: [record("PeeringConnection", "again", { peering: byIdPeering("again") })],
            },
        ]);
        expect(r.violations.map((x) => `${x.stack} ${x.resource} ${x.violation.rule}`)).to.deep.equal([
            "extra PeeringConnection again peering-duplicate-pair",
        ]);
        expect(r.violations[0]!.stacks).to.have.members(["extra", "net"]);
    });
    const route = (name: string, destination: string | undefined): RouteFacts => ({
        name,
        vpc: byId("vpc-s", "vpc"),
        ...(destination ? { destination } : {}),
        peering: {
            name: "peering peer-1",
            id: "peer-1",
            requester: byId("vpc-s", "vpc"),
            accepter: byId("vpc-p", "peerVpc"),
        },
    });
    it("routes of one VPC declared in two stacks with overlapping destinations: a destination conflict", () => {
        const r = checkPlan([
            {
                ...net,
                records: [
                    ...net.records,
                    record("Route", "to-payments", { route: route("to-payments", "10.40.0.0/16") }),
                ],
            },
            {
                stack: "extra",
                ids: new Map(),
                records: [record("Route", "to-db", { route: route("to-db", "10.40.1.0/24") })],
            },
        ]);
        expect(r.violations.map((x) => x.violation.rule)).to.include("route-destination-conflict");
        const v = r.violations.find((x) => x.violation.rule === "route-destination-conflict")!;
        expect(v.stacks).to.have.members(["extra", "net"]);
        expect(v.violation.message).to.contain("10.40.1.0/24");
    });
    it("a fact that is not final (read from an output the plan changes) decides nothing: no false failure", () => {
        // `extra` read the route destination through a StackReference from an output this plan changes: the
        // program left it unknown. The peer VPC declared in `net` has its new CIDR; nothing is reported.
        const moved = {
            ...net,
            records: [
                net.records[0]!,
                record("Vpc", "payments", { vpc: { ...payV, cidr: "10.41.0.0/16" } }),
                net.records[2]!,
            ],
        };
        const stale = record(
            "Route",
            "to-payments",
            { route: route("to-payments", undefined) },
            {
                notFinal: [
                    {
                        stack: "organization/net/dev",
                        output: "paymentsCidr",
                        deployed: "10.40.0.0/16",
                        planned: "10.41.0.0/16",
                    },
                ],
            },
        );
        expect(checkPlan([moved, { stack: "extra", ids: new Map(), records: [stale] }]).violations).to.deep.equal([]);
        // Had the old value been taken as final, the union would fail the route.
        const taken = record("Route", "to-payments", { route: route("to-payments", "10.40.0.0/16") });
        expect(
            checkPlan([moved, { stack: "extra", ids: new Map(), records: [taken] }]).violations.map(
                (x) => x.violation.rule,
            ),
        ).to.deep.equal(["route-outside-peer-vpc"]);
    });

    describe("an accepter of another stack's peering", () => {
        const shopA: VpcFacts = { name: "shop", cidr: "10.30.0.0/16", region: REGION, account: "alice" };
        const bobs = byId("vpc-b", "accepterVpc", "10.40.0.0/16");
        const requester = (ids: Map<string, string>): StackDeclarations => ({
            stack: "requester",
            ids,
            records: [
                record("Vpc", "shop", { vpc: shopA }),
                record("PeeringConnection", "shop-payments", {
                    peering: { name: "shop-payments", requester: shopA, accepter: { ...bobs, account: "bob" } },
                }),
            ],
        });
        const accepter = (account: string, peeringId: string): StackDeclarations => ({
            stack: "accepter",
            ids: new Map(),
            records: [
                record("PeeringAccepter", "shop-payments", {
                    accepter: {
                        name: "shop-payments",
                        account,
                        peering: {
                            name: `peering ${peeringId}`,
                            id: peeringId,
                            requester: { name: "requester VPC" },
                            accepter: { name: "accepter VPC" },
                        },
                    },
                }),
            ],
        });
        it("by id, run in the wrong account: accepter-wrong-account on the accepter's stack", () => {
            const r = checkPlan([
                requester(new Map([["PeeringConnection/shop-payments", "peer-9"]])),
                accepter("carol", "peer-9"),
            ]);
            expect(r.violations.map((x) => `${x.stack} ${x.resource} ${x.violation.rule}`)).to.deep.equal([
                "accepter PeeringAccepter shop-payments accepter-wrong-account",
            ]);
            expect(r.violations[0]!.stacks).to.have.members(["accepter", "requester"]);
            expect(r.violations[0]!.violation.message).to.contain('account "bob"');
        });
        it("by the placeholder of a not-yet-deployed requester: joined to its only peering", () => {
            const r = checkPlan([requester(new Map()), accepter("carol", placeholderFor("requester", "peeringId"))]);
            expect(r.violations.map((x) => x.violation.rule)).to.deep.equal(["accepter-wrong-account"]);
        });
        it("run in the right account: passes", () => {
            const r = checkPlan([
                requester(new Map([["PeeringConnection/shop-payments", "peer-9"]])),
                accepter("bob", "peer-9"),
            ]);
            expect(r.violations).to.deep.equal([]);
        });
    });
});
