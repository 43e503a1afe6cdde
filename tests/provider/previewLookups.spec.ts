// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The read-only lookups `check` makes during preview (provider/resources/lookups.ts): VPCs referenced only by
// id, a peering already in the API for the same pair, routes already in a VPC's table — and that these
// lookups never write.

import { expect } from "chai";

import { PeeringConnectionInputs, peeringConnectionProvider } from "../../provider/resources/peeringConnectionProvider";
import { RouteInputs, routeProvider } from "../../provider/resources/routeProvider";
import { clientFor } from "../../provider/config";
import { Harness, REGION, makeVpc, startHarness, withEnv } from "./harness";

const pc = peeringConnectionProvider as Required<typeof peeringConnectionProvider>;
const rp = routeProvider as Required<typeof routeProvider>;

describe("preview lookups in check (read-only)", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());

    const writes = () => h.server.requests().filter((r) => r.method !== "GET");

    it("fills the CIDR of a VPC referenced only by id, so the overlap rule runs at preview", async () => {
        const a = await makeVpc(h, "alice", "10.50.0.0/16");
        const b = await makeVpc(h, "alice", "10.50.128.0/17");
        const before = writes().length;
        const lastSeq = h.server.requests().at(-1)!.seq;
        const r = await pc.check(
            {} as PeeringConnectionInputs,
            {
                name: "a-b",
                region: REGION,
                account: "alice",
                requesterVpcId: a.id,
                accepterVpcId: b.id,
                __resourceName: "a-b",
            } as PeeringConnectionInputs,
        );
        expect(r.failures!.map((f) => f.reason)).to.deep.equal([
            `[peering-cidr-overlap] PeeringConnection "a-b": requester VPC "vpc ${a.id}" (10.50.0.0/16) and accepter VPC "vpc ${b.id}" (10.50.128.0/17) overlap; the peering would become ACTIVE but carry no traffic. Fix: give one VPC a CIDR that does not overlap the other (e.g. 10.51.0.0/17 for "vpc ${b.id}").`,
        ]);
        expect(writes().length).to.equal(before);
        // One read of the accepter VPC serves both the account question and its CIDR.
        const reads = h.server.requests().filter((q) => q.seq > lastSeq && q.path.endsWith(`/vpcs/${b.id}`));
        expect(reads.map((q) => q.method)).to.deep.equal(["GET"]);
    });

    it("finds a peering of the same pair already in the API (either direction) for a new peering", async () => {
        const a = await makeVpc(h, "alice", "10.60.0.0/16");
        const b = await makeVpc(h, "alice", "10.61.0.0/16");
        const existing = await clientFor({ account: "alice", region: REGION, op: "create" }).createPeering({
            name: "made-by-hand",
            request_vpc_info: { vpc_id: b.id },
            accept_vpc_info: { vpc_id: a.id },
        });
        const news = {
            name: "a-b",
            region: REGION,
            account: "alice",
            requesterVpcId: a.id,
            accepterVpcId: b.id,
            __resourceName: "a-b",
        } as PeeringConnectionInputs;
        const r = await pc.check({} as PeeringConnectionInputs, news);
        const reasons = r.failures!.map((f) => f.reason);
        expect(reasons).to.have.length(1);
        expect(reasons[0]).to.match(
            /^\[peering-duplicate-pair\] PeeringConnection "a-b": VPCs .* are already peered by "peering /,
        );
        expect(reasons[0]).to.contain(existing.id);
        // Not for an existing resource (an update of the peering that is already there), nor when adopting.
        expect((await pc.check(news, news)).failures).to.deep.equal([]);
        expect((await pc.check({} as PeeringConnectionInputs, { ...news, adopt: true })).failures).to.deep.equal([]);
    });

    it("finds a route destination already used in the VPC's table, for a new route", async () => {
        const a = await makeVpc(h, "alice", "10.70.0.0/16");
        const b = await makeVpc(h, "alice", "10.71.0.0/16");
        const p = await clientFor({ account: "alice", region: REGION, op: "create" }).createPeering({
            name: "a-b",
            request_vpc_info: { vpc_id: a.id },
            accept_vpc_info: { vpc_id: b.id },
        });
        const made = await clientFor({ account: "alice", region: REGION, op: "create" }).createRoute({
            type: "peering",
            nexthop: p.id,
            destination: "10.71.0.0/16",
            vpc_id: a.id,
        });
        const news = {
            vpcId: a.id,
            destination: "10.71.4.0/24",
            peeringConnectionId: p.id,
            region: REGION,
            account: "alice",
            __resourceName: "a-to-b-web",
        } as RouteInputs;
        const r = await rp.check({} as RouteInputs, news);
        expect(r.failures!.map((f) => f.reason)).to.deep.equal([
            `[route-destination-conflict] Route "a-to-b-web": destination 10.71.4.0/24 overlaps route "route ${made.id} to 10.71.0.0/16 (already in the API)" (10.71.0.0/16) in VPC "vpc ${a.id}". Fix: make the destinations disjoint, or keep only the wider route.`,
        ]);
        expect((await rp.check(news, news)).failures).to.deep.equal([]);
    });

    it("reads the sides of a peering given only by id: mismatch and blackhole rules run at preview", async () => {
        const alice = clientFor({ account: "alice", region: REGION, op: "create" });
        const a = await makeVpc(h, "alice", "10.90.0.0/16");
        const b = await makeVpc(h, "alice", "10.91.0.0/16");
        const c = await makeVpc(h, "alice", "10.92.0.0/16");
        const ab = await alice.createPeering({
            name: "a-b",
            request_vpc_info: { vpc_id: a.id },
            accept_vpc_info: { vpc_id: b.id },
        });
        const byIds = (vpcId: string, destination: string) =>
            ({
                vpcId,
                destination,
                peeringConnectionId: ab.id,
                region: REGION,
                account: "alice",
                __resourceName: "r",
            }) as RouteInputs;
        const before = writes().length;
        const mismatch = await rp.check({} as RouteInputs, byIds(c.id, "10.91.0.0/16"));
        expect(mismatch.failures!.map((f) => f.reason.slice(0, 28))).to.deep.equal(["[route-peering-mismatch] Rou"]);
        const blackhole = await rp.check({} as RouteInputs, byIds(a.id, "10.99.0.0/16"));
        expect(blackhole.failures!.map((f) => f.reason)).to.deep.equal([
            `[route-outside-peer-vpc] Route "r": destination 10.99.0.0/16 is not inside the peer VPC "vpc ${b.id}" (10.91.0.0/16) reached through "peering ${ab.id}"; traffic to it would be dropped (a blackhole). Fix: use 10.91.0.0/16 or a block inside it.`,
        ]);
        expect((await rp.check({} as RouteInputs, byIds(a.id, "10.91.0.0/16"))).failures).to.deep.equal([]);
        expect(writes().length).to.equal(before);
    });

    it("VPCPEERING_CHECKS=off turns the rules off (benchmarks), but not input validation", async () => {
        await withEnv({ VPCPEERING_CHECKS: "off" }, async () => {
            const r = await pc.check(
                {} as PeeringConnectionInputs,
                {
                    name: "a-a",
                    region: REGION,
                    account: "alice",
                    requesterVpcId: "same",
                    accepterVpcId: "same",
                    __resourceName: "a-a",
                } as PeeringConnectionInputs,
            );
            expect(r.failures).to.deep.equal([]);
            const bad = await rp.check({} as RouteInputs, { destination: "10.0.0.0/16" } as RouteInputs);
            expect(bad.failures!.length).to.be.greaterThan(0);
        });
    });
});
