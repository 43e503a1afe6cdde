import { expect } from "chai";
import {
    applySuppressions,
    checkAccepter,
    checkPeering,
    checkProgram,
    checkRoute,
    checkRouteTable,
    checkVpc,
    CheckOutcome,
    PeeringFacts,
    RouteFacts,
    validateSuppressions,
    VpcFacts,
} from "../../core/rules";
import { parseIPv4Cidr } from "../../core/cidr";

const vpc = (name: string, cidr?: string, extra: Partial<VpcFacts> = {}): VpcFacts => ({
    name,
    cidr,
    region: "ap-southeast-1",
    account: "alice",
    ...extra,
});
const peering = (
    name: string,
    requester: VpcFacts,
    accepter: VpcFacts,
    extra: Partial<PeeringFacts> = {},
): PeeringFacts => ({
    name,
    requester,
    accepter,
    ...extra,
});
const rules = (o: CheckOutcome) => o.violations.map((v) => v.rule);
const messages = (o: CheckOutcome) => o.violations.map((v) => v.message);

describe("constraints: CIDR parsing", () => {
    const cases: Array<[string, string]> = [
        ["10.0.0.0/16", "ok"],
        ["10.0.0.1/16", "host-bits"],
        ["10.0.0.0/33", "syntax"],
        ["1.2.3/8", "syntax"],
        ["010.0.0.0/8", "syntax"],
        ["256.0.0.0/8", "syntax"],
        ["fd00::/8", "syntax"],
        [" 10.0.0.0/16", "syntax"],
        ["0.0.0.0/0", "ok"],
    ];
    for (const [text, want] of cases) {
        it(`${JSON.stringify(text)} → ${want}`, () => {
            const r = parseIPv4Cidr(text);
            expect(r.ok ? "ok" : r.problem).to.equal(want);
        });
    }
});

describe("constraints: checkVpc", () => {
    it("accepts the three private blocks from their own prefix to /24", () => {
        for (const c of [
            "10.0.0.0/8",
            "10.255.255.0/24",
            "172.16.0.0/12",
            "172.31.0.0/16",
            "192.168.0.0/16",
            "192.168.7.0/24",
        ]) {
            expect(checkVpc(vpc("a", c)).violations, c).to.deep.equal([]);
        }
    });
    it("cidr-host-bits names the VPC, the value and the network address", () => {
        expect(messages(checkVpc(vpc("a", "10.0.0.1/16")))).to.deep.equal([
            '[cidr-host-bits] Vpc "a": cidr "10.0.0.1/16" has host bits set; the network address is 10.0.0.0/16. Fix: use 10.0.0.0/16.',
        ]);
    });
    it("vpc-cidr-range refuses public blocks and prefixes beyond /24", () => {
        expect(rules(checkVpc(vpc("a", "172.32.0.0/16")))).to.deep.equal(["vpc-cidr-range"]);
        expect(messages(checkVpc(vpc("a", "10.0.0.0/25")))).to.deep.equal([
            '[vpc-cidr-range] Vpc "a": cidr 10.0.0.0/25 is smaller than /24, the smallest VPC block allowed in 10.0.0.0/8. Fix: use a prefix between /8 and /24.',
        ]);
    });
    it("cidr-syntax for non-IPv4 text", () => {
        expect(rules(checkVpc(vpc("a", "10.0.0.0")))).to.deep.equal(["cidr-syntax"]);
    });
    it("unknown cidr is not a failure", () => {
        expect(checkVpc(vpc("a", undefined))).to.deep.equal({ violations: [], deferred: [] });
    });
});

describe("constraints: checkPeering", () => {
    it("valid programs pass: different digit widths, adjacent blocks, /8 vs /24", () => {
        const pairs: Array<[string, string]> = [
            ["10.0.0.0/20", "10.0.128.0/20"],
            ["10.0.0.0/17", "10.0.128.0/17"],
            ["10.0.0.0/8", "192.168.1.0/24"],
            ["172.16.0.0/16", "172.17.0.0/16"],
            ["10.9.0.0/16", "10.10.0.0/16"],
            ["192.168.0.0/24", "192.168.1.0/24"],
        ];
        for (const [a, b] of pairs) {
            const o = checkPeering(peering("ab", vpc("a", a), vpc("b", b)));
            expect(o.violations, `${a} vs ${b}`).to.deep.equal([]);
            expect(o.deferred, `${a} vs ${b}`).to.deep.equal([]);
        }
    });
    it("peering-cidr-overlap: numeric, not string comparison, with a suggested fix", () => {
        const o = checkPeering(peering("ab", vpc("a", "10.0.0.0/8"), vpc("b", "10.200.0.0/16")));
        expect(messages(o)).to.deep.equal([
            '[peering-cidr-overlap] PeeringConnection "ab": requester VPC "a" (10.0.0.0/8) and accepter VPC "b" (10.200.0.0/16) overlap; the peering would become ACTIVE but carry no traffic. Fix: give one VPC a CIDR that does not overlap the other (e.g. 11.0.0.0/16 for "b").',
        ]);
        expect(rules(checkPeering(peering("ab", vpc("a", "10.0.0.0/16"), vpc("b", "10.0.255.0/24"))))).to.deep.equal([
            "peering-cidr-overlap",
        ]);
    });
    it("peering-cross-region names both regions and the alternative", () => {
        const o = checkPeering(
            peering("ab", vpc("a", "10.0.0.0/16"), vpc("b", "10.1.0.0/16", { region: "ap-southeast-3" })),
        );
        expect(messages(o)).to.deep.equal([
            '[peering-cross-region] PeeringConnection "ab": requester VPC "a" is in ap-southeast-1 but accepter VPC "b" is in ap-southeast-3; a peering joins VPCs of the same region only (the API answers that the peer VPC is not found). Fix: create both VPCs in one region, or connect the regions with Cloud Connect / Enterprise Router instead of a peering.',
        ]);
    });
    it("peering-self", () => {
        const a = vpc("a", "10.0.0.0/16");
        expect(rules(checkPeering(peering("aa", a, a)))).to.deep.equal(["peering-self"]);
        expect(
            rules(checkPeering(peering("aa", vpc("x", undefined, { id: "v1" }), vpc("y", undefined, { id: "v1" })))),
        ).to.deep.equal(["peering-self"]);
    });
    it("peering-missing-peer-project for a VPC of another account referenced by id only", () => {
        const foreign = vpc("vpc 7f1e", "10.1.0.0/16", { account: undefined, id: "7f1e", foreign: true });
        const o = checkPeering(peering("ab", vpc("a", "10.0.0.0/16"), foreign));
        expect(messages(o)).to.deep.equal([
            '[peering-missing-peer-project] PeeringConnection "ab": accepter VPC "vpc 7f1e" is not in the requester\'s project (account "alice"), so it belongs to another account, but no peer project id is given; the API would answer "Accept VPC id or tenant id is incorrect". Fix: set peerProjectId to the accepter\'s project id in ap-southeast-1 (a project id, not the account/domain id).',
        ]);
        expect(
            checkPeering(peering("ab", vpc("a", "10.0.0.0/16"), foreign, { peerProjectId: "p" })).violations,
        ).to.deep.equal([]);
    });
    it("a cross-account peering between two managed VPCs needs no explicit project (it comes from the profile)", () => {
        const o = checkPeering(peering("ab", vpc("a", "10.0.0.0/16"), vpc("b", "10.1.0.0/16", { account: "bob" })));
        expect(o.violations).to.deep.equal([]);
    });
    it("unknown CIDRs and regions are deferred, said out loud", () => {
        const o = checkPeering(peering("ab", vpc("a", undefined, { region: undefined }), vpc("b", "10.1.0.0/16")));
        expect(o.violations).to.deep.equal([]);
        expect(o.deferred.map((d) => d.rule)).to.deep.equal(["peering-cross-region", "peering-cidr-overlap"]);
        expect(o.deferred[1]!.reason).to.equal(
            '[peering-cidr-overlap] deferred until apply: the CIDR of "a" is not known until apply',
        );
    });
});

describe("constraints: checkRoute", () => {
    const a = vpc("a", "10.0.0.0/16");
    const b = vpc("b", "10.1.0.0/16");
    const c = vpc("c", "10.2.0.0/16");
    const ab = peering("ab", a, b);
    const route = (name: string, v: VpcFacts, destination: string | undefined, p: PeeringFacts = ab): RouteFacts => ({
        name,
        vpc: v,
        destination,
        peering: p,
    });
    it("valid: the whole peer CIDR or a block inside it, both directions", () => {
        for (const r of [route("r1", a, "10.1.0.0/16"), route("r2", a, "10.1.4.0/24"), route("r3", b, "10.0.0.0/16")]) {
            expect(checkRoute(r)).to.deep.equal({ violations: [], deferred: [] });
        }
    });
    it("route-overlaps-own-vpc", () => {
        expect(messages(checkRoute(route("r", a, "10.0.1.0/24")))[0]).to.equal(
            '[route-overlaps-own-vpc] Route "r": destination 10.0.1.0/24 overlaps its own VPC "a" (10.0.0.0/16); the VPC\'s local routes win and the route is refused. Fix: route to the peer VPC\'s CIDR instead.',
        );
    });
    it("route-outside-peer-vpc (blackhole)", () => {
        expect(messages(checkRoute(route("r", a, "10.5.0.0/16")))).to.deep.equal([
            '[route-outside-peer-vpc] Route "r": destination 10.5.0.0/16 is not inside the peer VPC "b" (10.1.0.0/16) reached through "ab"; traffic to it would be dropped (a blackhole). Fix: use 10.1.0.0/16 or a block inside it.',
        ]);
    });
    it("route-peering-mismatch", () => {
        expect(rules(checkRoute(route("r", c, "10.1.0.0/16")))).to.deep.equal(["route-peering-mismatch"]);
    });
    it("route-internet-via-peer: the default route or a public range through a peering, even with unknown CIDRs", () => {
        const m = messages(checkRoute(route("r", a, "0.0.0.0/0")));
        expect(m).to.have.length(1);
        expect(m[0]).to.match(/^\[route-internet-via-peer\] Route "r": destination 0\.0\.0\.0\/0 is the default route/);
        expect(m[0]).to.contain("cannot reach the Internet through its peer's EIPs or NAT gateway");
        expect(m[0]).to.match(/Fix: give "a" its own Internet access \(an EIP, or a NAT gateway in it\)/);
        expect(rules(checkRoute(route("r", a, "8.8.8.0/24")))).to.deep.equal(["route-internet-via-peer"]);
        expect(rules(checkRoute(route("r", vpc("x"), "1.0.0.0/8", peering("p", vpc("q"), vpc("w")))))).to.deep.equal([
            "route-internet-via-peer",
        ]);
        // Private blocks are still the blackhole rule's business.
        expect(rules(checkRoute(route("r", a, "192.168.0.0/24")))).to.deep.equal(["route-outside-peer-vpc"]);
    });
    it("a VPC given by id without its CIDR: the deferred check says how to pass it", () => {
        const ext = { name: "vpc v-1", id: "v-1", region: "ap-southeast-1", ref: "accepterVpc" };
        const o = checkPeering(peering("p", a, ext));
        const d = o.deferred.find((x) => x.rule === "peering-cidr-overlap")!;
        expect(d.reason).to.contain("pass its cidr as accepterVpc: { id, cidr }");
    });
    it("bad destination syntax and host bits", () => {
        expect(rules(checkRoute(route("r", a, "10.1.0.1/16")))).to.deep.equal(["cidr-host-bits"]);
        expect(rules(checkRoute(route("r", a, "nope")))).to.deep.equal(["cidr-syntax"]);
    });
    it("unknown VPC ids defer the peering membership check", () => {
        const o = checkRoute(
            route("r", vpc("x", "10.3.0.0/16", { id: "v-x" }), "10.1.0.0/16", peering("p", vpc("q"), vpc("w"))),
        );
        expect(o.deferred.map((d) => d.rule)).to.include("route-peering-mismatch");
    });
});

describe("constraints: checkRouteTable", () => {
    const a = vpc("a", "10.0.0.0/16");
    it("route-destination-conflict for duplicates and overlaps, none for adjacent blocks", () => {
        expect(
            checkRouteTable(a, [
                { name: "r1", destination: "10.1.0.0/17" },
                { name: "r2", destination: "10.1.128.0/17" },
            ]).violations,
        ).to.deep.equal([]);
        const o = checkRouteTable(a, [
            { name: "r1", destination: "10.1.0.0/16" },
            { name: "r2", destination: "10.1.2.0/24" },
            { name: "r3", destination: "10.1.0.0/16" },
        ]);
        expect(rules(o)).to.deep.equal(["route-destination-conflict", "route-destination-conflict"]);
        expect(messages(o)).to.include(
            '[route-destination-conflict] Route "r3": destination 10.1.0.0/16 duplicates route "r1" (10.1.0.0/16) in VPC "a". Fix: keep one route per destination.',
        );
    });
    it("route-quota above 200 routes", () => {
        const routes = Array.from({ length: 201 }, (_, i) => ({
            name: `r${i}`,
            destination: `10.${100 + (i >> 8)}.${i & 255}.0/24`,
        }));
        expect(rules(checkRouteTable(a, routes))).to.deep.equal(["route-quota"]);
        expect(rules(checkRouteTable(a, routes.slice(0, 200)))).to.deep.equal([]);
    });
});

describe("constraints: checkAccepter", () => {
    const p = peering("ab", vpc("a", "10.0.0.0/16"), vpc("b", "10.1.0.0/16", { account: "bob" }), {
        peerProjectId: "x",
    });
    it("accepter-wrong-account", () => {
        expect(messages(checkAccepter({ name: "acc", account: "alice", peering: p }))).to.deep.equal([
            '[accepter-wrong-account] PeeringAccepter "acc": runs in account "alice", but peering "ab" is addressed to VPC "b" of account "bob". Fix: set account: "bob" on the accepter.',
        ]);
        expect(checkAccepter({ name: "acc", account: "bob", peering: p }).violations).to.deep.equal([]);
    });
});

describe("constraints: checkProgram (graph-wide)", () => {
    const a = vpc("a", "10.0.0.0/16");
    const b = vpc("b", "10.1.0.0/16");
    const c = vpc("c", "10.2.0.0/16");
    const b2 = vpc("b2", "10.1.0.0/16");
    const empty = { routes: [], accepters: [] };
    it("a valid mesh passes", () => {
        const o = checkProgram({
            vpcs: [a, b, c],
            peerings: [peering("ab", a, b), peering("bc", b, c), peering("ac", a, c)],
            ...empty,
        });
        expect(o.violations).to.deep.equal([]);
    });
    it("peering-duplicate-pair in either direction and against the API", () => {
        const o = checkProgram({ vpcs: [a, b], peerings: [peering("ab", a, b), peering("ba", b, a)], ...empty });
        expect(rules(o)).to.deep.equal(["peering-duplicate-pair"]);
        const aId = { ...a, id: "va" };
        const bId = { ...b, id: "vb" };
        const o2 = checkProgram({
            vpcs: [aId, bId],
            peerings: [peering("ab", aId, bId)],
            existingPeerings: [
                peering(
                    "peering 1234 (in the API)",
                    vpc("vb", undefined, { id: "vb" }),
                    vpc("va", undefined, { id: "va" }),
                    { id: "1234" },
                ),
            ],
            ...empty,
        });
        expect(rules(o2)).to.deep.equal(["peering-duplicate-pair"]);
    });
    it("mesh-peer-cidr-conflict: a VPC peered with two overlapping VPCs", () => {
        const o = checkProgram({ vpcs: [a, b, b2], peerings: [peering("ab", a, b), peering("ab2", a, b2)], ...empty });
        expect(rules(o)).to.deep.equal(["mesh-peer-cidr-conflict"]);
        expect(messages(o)[0]).to.contain(
            'Vpc "a" is peered with "b" (10.1.0.0/16) through "ab" and with "b2" (10.1.0.0/16) through "ab2"',
        );
    });
    it("route-transitive: a route to C through B", () => {
        const ab = peering("ab", a, b);
        const bc = peering("bc", b, c);
        const o = checkProgram({
            vpcs: [a, b, c],
            peerings: [ab, bc],
            routes: [{ name: "a-to-c", vpc: a, destination: "10.2.0.0/16", peering: ab }],
            accepters: [],
        });
        expect(messages(o)).to.deep.equal([
            '[route-transitive] Route "a-to-c": destination 10.2.0.0/16 is VPC "c", which "a" can only reach through "b"; peering "ab" is not transitive and would drop the traffic. Fix: peer "a" with "c" directly and route through that peering.',
        ]);
    });
    it("route-destination-conflict across declared routes and routes already in the API", () => {
        const aId = { ...a, id: "va" };
        const ab = peering("ab", aId, b);
        const o = checkProgram({
            vpcs: [aId, b],
            peerings: [ab],
            routes: [{ name: "r1", vpc: aId, destination: "10.1.0.0/16", peering: ab }],
            accepters: [],
            existingRoutes: [{ vpcId: "va", name: "route 77 (in the API)", destination: "10.1.0.0/24" }],
        });
        expect(rules(o)).to.deep.equal(["route-destination-conflict"]);
    });
});

describe("constraints: suppressions", () => {
    it("moves a suppressed violation to `suppressed` with its reason", () => {
        const o = checkPeering(peering("ab", vpc("a", "10.0.0.0/16"), vpc("b", "10.0.0.0/16")));
        const s = applySuppressions(o, [
            { rule: "peering-cidr-overlap", reason: "migration window, routes are per-subnet" },
        ]);
        expect(s.violations).to.deep.equal([]);
        expect(s.suppressed!.map((x) => [x.rule, x.reason])).to.deep.equal([
            ["peering-cidr-overlap", "migration window, routes are per-subnet"],
        ]);
    });
    it("validates suppression entries", () => {
        expect(
            validateSuppressions([
                { rule: "nope", reason: "x" },
                { rule: "peering-self", reason: " " },
            ]),
        ).to.have.length(2);
    });
});
