// Unit: longest-prefix match, block resolution and the per-peering reachability analysis of
// core/reachability.ts — table cases, and a seeded comparison against a naive oracle.

import { expect } from "chai";
import { formatIPv4, tryParseCidr } from "../../core/cidr";
import {
    analyzeReachability,
    LivePeering,
    LiveRoute,
    LiveVpc,
    LiveWorld,
    longestPrefixMatch,
    rangeToCidrs,
    resolveBlock,
    TableRoute,
} from "../../core/reachability";
import { seededRandom } from "../../emulator/faults";

const ip = (text: string): number => tryParseCidr(`${text}/32`)!.first;
const cidr = (text: string) => tryParseCidr(text)!;
const route = (id: string, destination: string, nexthop: string): TableRoute => ({ id, destination, nexthop });

/** A seeded PRNG (the fault injector's mulberry32): the random cases are the same on every run. */
const rng = seededRandom;

/** The naive oracle: test every route against the address with string-free bit arithmetic. */
function naiveLpm(routes: readonly TableRoute[], address: number): TableRoute | undefined {
    let best: TableRoute | undefined;
    let bestLen = -1;
    for (const r of routes) {
        const [base, len] = r.destination.split("/");
        const n = Number(len);
        const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
        if ((address & mask) >>> 0 === (ip(base) & mask) >>> 0 && n > bestLen) {
            best = r;
            bestLen = n;
        }
    }
    return best;
}

describe("reachability: longest-prefix match", () => {
    const table = [
        route("wide", "10.0.0.0/8", "p1"),
        route("mid", "10.40.0.0/16", "p2"),
        route("narrow", "10.40.1.0/24", "p3"),
        route("host", "10.40.1.7/32", "p4"),
        route("other", "192.168.0.0/16", "p5"),
    ];
    const cases: Array<[string, string | undefined]> = [
        ["10.1.2.3", "wide"],
        ["10.40.0.1", "mid"],
        ["10.40.1.6", "narrow"],
        ["10.40.1.7", "host"],
        ["10.40.1.8", "narrow"],
        ["10.40.2.0", "mid"],
        ["10.41.0.0", "wide"],
        ["192.168.255.255", "other"],
        ["172.16.0.1", undefined],
        ["11.0.0.0", undefined],
    ];
    for (const [address, expected] of cases) {
        it(`${address} → ${expected ?? "no route"}`, () => {
            expect(longestPrefixMatch(table, ip(address))?.id).to.equal(expected);
        });
    }

    it("a default route 0.0.0.0/0 matches everything and loses to anything more specific", () => {
        const t = [route("default", "0.0.0.0/0", "p0"), route("x", "10.0.0.0/8", "p1")];
        expect(longestPrefixMatch(t, ip("8.8.8.8"))?.id).to.equal("default");
        expect(longestPrefixMatch(t, ip("10.0.0.1"))?.id).to.equal("x");
        expect(longestPrefixMatch(t, ip("255.255.255.255"))?.id).to.equal("default");
    });

    it("ignores destinations that are not valid network CIDRs", () => {
        const t = [route("bad", "10.0.0.1/8", "p1"), route("junk", "nope", "p2")];
        expect(longestPrefixMatch(t, ip("10.0.0.1"))).to.equal(undefined);
    });

    it("agrees with a naive oracle on 2,000 random tables and addresses (seeded)", () => {
        const rand = rng(20261202);
        for (let n = 0; n < 2000; n++) {
            const routes: TableRoute[] = [];
            const seen = new Set<string>();
            const count = 1 + Math.floor(rand() * 12);
            // Addresses in 10.0.0.0/12 so that random routes overlap often.
            for (let i = 0; i < count; i++) {
                const prefix = 12 + Math.floor(rand() * 21);
                const size = 2 ** (32 - prefix);
                const start = ip("10.0.0.0") + Math.floor((rand() * 2 ** 20) / size) * size;
                const destination = `${formatIPv4(start)}/${prefix}`;
                if (seen.has(destination)) continue;
                seen.add(destination);
                routes.push(route(`r${i}`, destination, `p${Math.floor(rand() * 3)}`));
            }
            const address = ip("10.0.0.0") + Math.floor(rand() * 2 ** 20);
            expect(longestPrefixMatch(routes, address)?.id, JSON.stringify({ routes, address })).to.equal(
                naiveLpm(routes, address)?.id,
            );
        }
    });
});

describe("reachability: resolving a block against a route table (shadowing)", () => {
    it("one route covering the block: one segment", () => {
        const segs = resolveBlock([route("a", "10.40.0.0/16", "p")], cidr("10.40.0.0/16"));
        expect(segs).to.deep.equal([{ first: ip("10.40.0.0"), last: ip("10.40.255.255"), route: segs[0].route }]);
        expect(segs[0].route?.id).to.equal("a");
    });

    it("a more specific route to another peering takes its part (and only that part)", () => {
        const t = [route("a", "10.40.0.0/16", "p"), route("shadow", "10.40.1.0/24", "q")];
        const segs = resolveBlock(t, cidr("10.40.0.0/16"));
        expect(segs.map((s) => [rangeToCidrs(s.first, s.last).join(","), s.route?.id])).to.deep.equal([
            ["10.40.0.0/24", "a"],
            ["10.40.1.0/24", "shadow"],
            ["10.40.2.0/23,10.40.4.0/22,10.40.8.0/21,10.40.16.0/20,10.40.32.0/19,10.40.64.0/18,10.40.128.0/17", "a"],
        ]);
    });

    it("no route at all, and a route only for part of the block", () => {
        expect(resolveBlock([], cidr("10.40.0.0/16")).map((s) => s.route)).to.deep.equal([undefined]);
        const segs = resolveBlock([route("half", "10.40.128.0/17", "p")], cidr("10.40.0.0/16"));
        expect(segs.map((s) => [rangeToCidrs(s.first, s.last)[0], s.route?.id])).to.deep.equal([
            ["10.40.0.0/17", undefined],
            ["10.40.128.0/17", "half"],
        ]);
    });

    it("a wider route through the same peering still covers the block; routes outside it are ignored", () => {
        const t = [route("wide", "10.0.0.0/8", "p"), route("elsewhere", "192.168.0.0/16", "q")];
        const segs = resolveBlock(t, cidr("10.40.0.0/16"));
        expect(segs.map((s) => s.route?.id)).to.deep.equal(["wide"]);
    });

    it("agrees address by address with the naive oracle on 300 random tables (seeded, /20 blocks)", () => {
        const rand = rng(7);
        for (let n = 0; n < 300; n++) {
            const block = cidr("10.40.0.0/20");
            const routes: TableRoute[] = [];
            const seen = new Set<string>();
            for (let i = 0; i < 1 + Math.floor(rand() * 8); i++) {
                const prefix = 16 + Math.floor(rand() * 17);
                const size = 2 ** (32 - prefix);
                const start = ip("10.40.0.0") + Math.floor((rand() * 2 ** 13) / size) * size;
                const destination = `${formatIPv4(start)}/${prefix}`;
                if (!seen.has(destination)) routes.push(route(`r${i}`, destination, "p"));
                seen.add(destination);
            }
            const segs = resolveBlock(routes, block);
            // The segments tile the block exactly, neighbours differ, and every address agrees with the oracle.
            expect(segs[0].first).to.equal(block.first);
            expect(segs[segs.length - 1].last).to.equal(block.last);
            for (let i = 1; i < segs.length; i++) {
                expect(segs[i].first).to.equal(segs[i - 1].last + 1);
                expect(segs[i].route).to.not.equal(segs[i - 1].route);
            }
            for (const s of segs) {
                for (let a = s.first; a <= s.last; a += 1 + Math.floor(rand() * 64)) {
                    expect(s.route?.id, `${formatIPv4(a)} in ${JSON.stringify(routes)}`).to.equal(
                        naiveLpm(routes, a)?.id,
                    );
                }
                expect(s.route?.id).to.equal(naiveLpm(routes, s.last)?.id);
            }
        }
    });

    it("rangeToCidrs writes ranges as the fewest blocks", () => {
        expect(rangeToCidrs(ip("10.0.0.0"), ip("10.0.0.255"))).to.deep.equal(["10.0.0.0/24"]);
        expect(rangeToCidrs(ip("10.0.0.1"), ip("10.0.0.2"))).to.deep.equal(["10.0.0.1/32", "10.0.0.2/32"]);
        expect(rangeToCidrs(0, 0xffffffff)).to.deep.equal(["0.0.0.0/0"]);
    });
});

describe("reachability: what each peering carries", () => {
    const NOW = new Date("2030-01-10T00:00:00Z");
    const shop: LiveVpc = { id: "vpc-shop", name: "shop", cidr: "10.30.0.0/16", account: "alice" };
    const pay: LiveVpc = { id: "vpc-pay", name: "payments", cidr: "10.40.0.0/16", account: "bob" };
    const other: LiveVpc = { id: "vpc-other", name: "other", cidr: "10.50.0.0/16", account: "alice" };
    const peering = (id: string, a: LiveVpc, b: LiveVpc, status = "ACTIVE", extra: Partial<LivePeering> = {}) => ({
        id,
        name: id,
        status,
        requesterVpcId: a.id,
        accepterVpcId: b.id,
        ...extra,
    });
    const r = (id: string, vpc: LiveVpc, destination: string, nexthop: string): LiveRoute => ({
        id,
        vpcId: vpc.id,
        destination,
        nexthop,
    });
    const healthy = (): LiveWorld => ({
        vpcs: [shop, pay],
        peerings: [peering("p1", shop, pay)],
        routes: [r("r-shop", shop, "10.40.0.0/16", "p1"), r("r-pay", pay, "10.30.0.0/16", "p1")],
    });
    const states = (w: LiveWorld, checked?: string[]) =>
        analyzeReachability(w, { now: NOW, checked }).paths.map((p) => `${p.from}→${p.to} ${p.state}`);
    const rules = (w: LiveWorld, checked?: string[]) =>
        analyzeReachability(w, { now: NOW, checked }).findings.map((f) => `${f.rule} ${f.severity}`);

    it("an ACTIVE peering routed both ways flows both ways, with no findings", () => {
        expect(states(healthy())).to.deep.equal(["vpc-shop→vpc-pay flows", "vpc-pay→vpc-shop flows"]);
        expect(rules(healthy())).to.deep.equal([]);
    });

    it("a missing route blocks that direction only, and names the VPC and the uncovered block", () => {
        const w = { ...healthy(), routes: healthy().routes.filter((x) => x.id !== "r-shop") };
        expect(states(w)).to.deep.equal(["vpc-shop→vpc-pay blocked", "vpc-pay→vpc-shop flows"]);
        const f = analyzeReachability(w, { now: NOW }).findings;
        expect(f).to.have.length(1);
        expect(f[0]).to.include({ rule: "route-missing", severity: "error", peering: "p1" });
        expect(f[0].message).to.contain("10.40.0.0/16").and.contain('"shop"');
        expect(f[0].fix).to.contain('add a route in "shop" to 10.40.0.0/16 through peering p1');
    });

    it("a more specific route through another peering shadows part of the peer CIDR (partial)", () => {
        const w = healthy();
        const shadowed: LiveWorld = {
            vpcs: [...w.vpcs, other],
            peerings: [...w.peerings, peering("p2", shop, other)],
            routes: [...w.routes, r("r-shadow", shop, "10.40.1.0/24", "p2")],
        };
        expect(states(shadowed, ["p1"])).to.deep.equal(["vpc-shop→vpc-pay partial", "vpc-pay→vpc-shop flows"]);
        const f = analyzeReachability(shadowed, { now: NOW, checked: ["p1"] }).findings;
        const shadow = f.find((x) => x.rule === "route-shadowed")!;
        expect(shadow.routes[0]).to.equal("r-shadow");
        expect(shadow.message).to.contain("10.40.1.0/24").and.contain("longest-prefix");
        // The same route, seen by the preview rule: it points through p2 at a block outside "other".
        expect(f.map((x) => x.rule)).to.include("route-transitive");
    });

    it("pending: a warning with the time left; expired: an error", () => {
        const w: LiveWorld = {
            vpcs: [shop, pay],
            peerings: [peering("p1", shop, pay, "PENDING_ACCEPTANCE", { expiresAt: "2030-01-12T00:00:00Z" })],
            routes: [],
        };
        expect(states(w)).to.deep.equal(["vpc-shop→vpc-pay pending", "vpc-pay→vpc-shop pending"]);
        // No routes yet is normal for a request: the API refuses routes until it is ACTIVE.
        expect(rules(w)).to.deep.equal(["peering-pending warning"]);
        const pending = analyzeReachability(w, { now: NOW }).findings.filter((x) => x.rule === "peering-pending");
        expect(pending).to.have.length(1);
        expect(pending[0].severity).to.equal("warning");
        expect(pending[0].message).to.contain("2 days left");
        const later = analyzeReachability(w, { now: new Date("2030-01-12T00:00:01Z") });
        expect(later.paths.map((p) => p.state)).to.deep.equal(["blocked", "blocked"]);
        expect(later.findings.find((x) => x.rule === "peering-not-active")?.message).to.contain("expired");
    });

    it("REJECTED or gone: both directions blocked; a route still pointing at it is a blackhole", () => {
        for (const status of ["REJECTED", "EXPIRED", "DELETED"]) {
            const w: LiveWorld = { ...healthy(), peerings: [peering("p1", shop, pay, status)] };
            expect(states(w)).to.deep.equal(["vpc-shop→vpc-pay blocked", "vpc-pay→vpc-shop blocked"]);
            expect(rules(w)).to.deep.equal([
                "peering-not-active error",
                "route-blackhole error",
                "route-blackhole error",
            ]);
        }
        const gone: LiveWorld = { vpcs: [shop, pay], peerings: [], routes: [r("r-shop", shop, "10.40.0.0/16", "p9")] };
        const f = analyzeReachability(gone, { now: NOW, checked: [] }).findings;
        expect(f).to.deep.equal([]);
        const withVpcChecked = analyzeReachability(
            { ...gone, peerings: [peering("p1", shop, pay)] },
            { now: NOW, checked: ["p1"] },
        ).findings;
        expect(withVpcChecked.find((x) => x.rule === "route-blackhole")?.message).to.contain("p9, which is gone");
    });

    it("overlapping sides (the preview rule, live): both directions blocked", () => {
        const clash: LiveVpc = { ...pay, cidr: "10.30.128.0/17" };
        const w: LiveWorld = {
            vpcs: [shop, clash],
            peerings: [peering("p1", shop, clash)],
            routes: [r("r-pay", clash, "10.30.0.0/16", "p1")],
        };
        expect(rules(w)).to.include("peering-cidr-overlap error");
        expect(analyzeReachability(w, { now: NOW }).paths.every((p) => p.state !== "flows")).to.equal(true);
    });

    it("a route outside the peer's CIDR after the peer's CIDR changed: missing and outside", () => {
        const moved: LiveVpc = { ...pay, cidr: "10.41.0.0/16" };
        const w: LiveWorld = { ...healthy(), vpcs: [shop, moved] };
        expect(states(w)).to.deep.equal(["vpc-shop→vpc-pay blocked", "vpc-pay→vpc-shop flows"]);
        expect(rules(w)).to.have.members(["route-missing error", "route-outside-peer-vpc error"]);
    });

    it("a VPC the accounts cannot read: unknown, a warning, no guess", () => {
        const w: LiveWorld = { vpcs: [shop], peerings: [peering("p1", shop, pay)], routes: healthy().routes };
        expect(states(w)).to.deep.equal(["vpc-shop→vpc-pay unknown", "vpc-pay→vpc-shop unknown"]);
        expect(rules(w)).to.deep.equal(["vpc-unreadable warning", "vpc-unreadable warning"]);
    });
});
