// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// API economy: how many requests each provider operation sends, counted by the in-process API server. A create
// is one write plus only the status reads the API's state machine needs; a refresh is exactly one GET per object;
// a delete is one DELETE plus one read that confirms the object is gone (none for a route); the checks of one
// operation list a VPC's route table and peerings once, however many of its routes and peerings ask, and the
// creates of a peering's routes read its ACTIVE status once — not at all after the create or accept that made it so.

import { expect } from "chai";

import { RequestLogEntry } from "../../emulator";
import { clientFor } from "../../provider/config";
import { forgetListings, LISTING_REUSE_MS, lookupClock } from "../../provider/resources/lookups";
import { peeringAccepterProvider } from "../../provider/resources/peeringAccepterProvider";
import { PeeringConnectionInputs, peeringConnectionProvider } from "../../provider/resources/peeringConnectionProvider";
import { RouteInputs, routeProvider } from "../../provider/resources/routeProvider";
import { vpcProvider } from "../../provider/resources/vpcProvider";
import { Harness, REGION, TestVpc, makeVpc, startHarness } from "./harness";

/** A new VPC stays CREATING until a test moves the server's clock (never by itself within a test). */
const READY_DELAY_MS = 10 * 60 * 1000;

describe("provider API calls per operation", function () {
    let h: Harness;
    /** Called with every request the server answered; a test may replace it. */
    let onRequest: (e: RequestLogEntry) => void = () => undefined;

    before(async () => {
        h = await startHarness({ vpcReadyDelayMs: READY_DELAY_MS, onRequest: (e) => onRequest(e) });
    });
    after(async () => h.close());
    afterEach(() => {
        onRequest = () => undefined;
    });

    /** The requests `fn` makes, as `METHOD kind` (`POST vpcs`, `GET peerings`), in order. */
    async function callsOf<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
        h.server.clearRequests();
        const result = await fn();
        const calls = h.server.requests().map((r) => `${r.method} ${/\/(vpcs|peerings|routes)\b/.exec(r.path)?.[1]}`);
        return { result, calls };
    }

    /** A VPC that is already OK: created, then the clock moved past its CREATING time. */
    async function readyVpc(cidr: string, account = "alice"): Promise<TestVpc> {
        onRequest = (e) => {
            if (e.method === "POST") h.server.advanceTime(READY_DELAY_MS);
        };
        const v = await makeVpc(h, account, cidr);
        onRequest = () => undefined;
        return v;
    }

    /** A peering request from alice's VPC `a` to `b`: across accounts it names `b`'s project. */
    function requestPeering(a: TestVpc, b: TestVpc) {
        return peeringConnectionProvider.create({
            name: h.unique("pcx"),
            region: REGION,
            account: "alice",
            requesterVpcId: a.id,
            accepterVpcId: b.id,
            ...(b.account !== a.account ? { peerProjectId: b.projectId } : {}),
        });
    }

    async function activePeering(): Promise<{ id: string; a: TestVpc; b: TestVpc }> {
        const a = await readyVpc("10.0.0.0/16");
        const b = await readyVpc("10.1.0.0/16");
        const c = await requestPeering(a, b);
        return { id: c.id, a, b };
    }

    it("creates a VPC with one POST and one read per state it has to wait through", async () => {
        // The create answer says CREATING; the first read still does; the clock then moves, the next read says OK.
        let reads = 0;
        onRequest = (e) => {
            if (e.method === "GET" && ++reads === 1) h.server.advanceTime(READY_DELAY_MS);
        };
        const { result, calls } = await callsOf(() =>
            vpcProvider.create({ name: h.unique("vpc"), cidr: "10.9.0.0/16", region: REGION, account: "alice" }),
        );
        expect(result.outs).to.include({ status: "OK" });
        expect(calls).to.deep.equal(["POST vpcs", "GET vpcs", "GET vpcs"]);
    });

    it("reads an adopted VPC once: what the adoption read says (OK) needs no second read", async () => {
        const v = await readyVpc("10.8.0.0/16");
        const { result, calls } = await callsOf(() =>
            vpcProvider.create({ name: v.name, cidr: v.cidr, region: REGION, account: "alice", adoptId: v.id }),
        );
        expect(result.id).to.equal(v.id);
        expect(calls).to.deep.equal(["GET vpcs"]);
    });

    it("creates a peering with one POST: the answer already says ACTIVE (one account) or PENDING_ACCEPTANCE", async () => {
        const a = await readyVpc("10.2.0.0/16");
        const b = await readyVpc("10.3.0.0/16");
        const c = await readyVpc("10.4.0.0/16", "bob");
        const same = await callsOf(() => requestPeering(a, b));
        expect(same.result.outs).to.include({ status: "ACTIVE" });
        expect(same.calls).to.deep.equal(["POST peerings"]);
        const cross = await callsOf(() => requestPeering(a, c));
        expect(cross.result.outs).to.include({ status: "PENDING_ACCEPTANCE" });
        expect(cross.calls).to.deep.equal(["POST peerings"]);
    });

    it("creates a route with one read of its peering's status and one POST, and no read-back", async () => {
        const { id, a } = await activePeering();
        forgetListings(); // the peering was made by an earlier operation
        const { calls } = await callsOf(() =>
            routeProvider.create({
                vpcId: a.id,
                destination: "10.1.0.0/16",
                peeringConnectionId: id,
                region: REGION,
                account: "alice",
            }),
        );
        expect(calls).to.deep.equal(["GET peerings", "POST routes"]);
    });

    it("creates a route with one POST alone when this operation's create or accept of its peering saw it ACTIVE", async () => {
        forgetListings();
        const { id, a, b } = await activePeering();
        const route = (vpcId: string, destination: string, account = "alice") =>
            ({ vpcId, destination, peeringConnectionId: id, region: REGION, account }) as RouteInputs;
        const same = await callsOf(() =>
            Promise.all([
                routeProvider.create(route(a.id, "10.1.0.0/16")),
                routeProvider.create(route(b.id, "10.0.0.0/16")),
            ]),
        );
        expect(same.calls).to.deep.equal(["POST routes", "POST routes"]);
        // Across accounts: the requester's create saw PENDING_ACCEPTANCE (nothing kept); the accepter's accept
        // saw ACTIVE, as the peer account, whose route then reads nothing.
        const c = await readyVpc("10.6.0.0/16", "bob");
        const cross = await requestPeering(a, c);
        await peeringAccepterProvider.create({ peeringConnectionId: cross.id, region: REGION, account: "bob" });
        const peer = await callsOf(() =>
            routeProvider.create({ ...route(c.id, "10.0.0.0/16", "bob"), peeringConnectionId: cross.id }),
        );
        expect(peer.calls).to.deep.equal(["POST routes"]);
        // The requester's route of that peering was not told: it reads the status once.
        const requester = await callsOf(() =>
            routeProvider.create({ ...route(a.id, "10.6.0.0/16"), peeringConnectionId: cross.id }),
        );
        expect(requester.calls).to.deep.equal(["GET peerings", "POST routes"]);
    });

    it("refreshes each object with exactly one GET", async () => {
        const { id, a } = await activePeering();
        const route = await routeProvider.create({
            vpcId: a.id,
            destination: "10.1.0.0/16",
            peeringConnectionId: id,
            region: REGION,
            account: "alice",
        });
        const vpcOuts = { region: REGION, account: "alice", name: a.name, cidr: a.cidr };
        expect((await callsOf(() => vpcProvider.read!(a.id, vpcOuts as never))).calls).to.deep.equal(["GET vpcs"]);
        const peeringOuts = { region: REGION, account: "alice" };
        expect((await callsOf(() => peeringConnectionProvider.read!(id, peeringOuts as never))).calls).to.deep.equal([
            "GET peerings",
        ]);
        const read = await callsOf(() => routeProvider.read!(route.id, route.outs as never));
        expect(read.result.id).to.equal(route.id);
        expect(read.calls).to.deep.equal(["GET routes"]);
    });

    it("deletes with one DELETE, plus one read confirming a VPC or peering is gone", async () => {
        const { id, a, b } = await activePeering();
        const route = await routeProvider.create({
            vpcId: a.id,
            destination: "10.1.0.0/16",
            peeringConnectionId: id,
            region: REGION,
            account: "alice",
        });
        expect((await callsOf(() => routeProvider.delete!(route.id, route.outs as never))).calls).to.deep.equal([
            "DELETE routes",
        ]);
        const peeringOuts = { region: REGION, account: "alice" };
        expect((await callsOf(() => peeringConnectionProvider.delete!(id, peeringOuts as never))).calls).to.deep.equal([
            "DELETE peerings",
            "GET peerings",
        ]);
        for (const v of [a, b]) {
            const outs = { region: REGION, account: "alice" };
            expect((await callsOf(() => vpcProvider.delete!(v.id, outs as never))).calls).to.deep.equal([
                "DELETE vpcs",
                "GET vpcs",
            ]);
        }
    });

    describe("reads shared within one operation", () => {
        const clock = lookupClock.now;
        let now = 0;
        beforeEach(() => {
            forgetListings(); // a new operation (a new provider host) starts with none
            now = Date.now();
            lookupClock.now = () => now;
        });
        afterEach(() => {
            lookupClock.now = clock;
            forgetListings();
        });

        /** The listings (`GET .../routes?vpc_id=…`, `GET .../peerings?vpc_id=…`) the server answered since `seq`. */
        const listings = (seq: number) =>
            h.server
                .requests()
                .filter((r) => r.seq > seq && r.method === "GET" && r.query.includes("vpc_id="))
                .map((r) => `${/\/(peerings|routes)$/.exec(r.path)?.[1]} ${r.query}`);
        const lastSeq = () => h.server.requests().at(-1)?.seq ?? 0;

        it("list a VPC's route table once for all its new routes, until the reuse window has passed", async () => {
            const { id, a } = await activePeering();
            const route = (destination: string, name: string) =>
                ({
                    vpcId: a.id,
                    destination,
                    peeringConnectionId: id,
                    region: REGION,
                    account: "alice",
                    __resourceName: name,
                }) as RouteInputs;
            const check = (r: RouteInputs) => routeProvider.check!({} as RouteInputs, r);
            const seq = lastSeq();
            // Two at once share the request in flight; a third, later, reuses its answer.
            const first = await Promise.all([check(route("10.1.0.0/24", "r1")), check(route("10.1.1.0/24", "r2"))]);
            expect(first.flatMap((r) => r.failures)).to.deep.equal([]);
            // A route made behind the provider's back meanwhile is not seen within the window (the table as the
            // operation found it; the API still refuses a real conflict at apply) ...
            await clientFor({ account: "alice", region: REGION, op: "create" }).createRoute({
                type: "peering",
                nexthop: id,
                destination: "10.1.2.0/24",
                vpc_id: a.id,
            });
            expect((await check(route("10.1.2.0/24", "r3"))).failures).to.deep.equal([]);
            expect(listings(seq)).to.deep.equal([`routes vpc_id=${a.id}`]);
            // ... and is, once the window has passed: one new read.
            now += LISTING_REUSE_MS;
            const late = await check(route("10.1.2.0/24", "r3"));
            expect(late.failures!.map((f) => f.reason)).to.have.length(1);
            expect(late.failures![0]!.reason).to.match(/^\[route-destination-conflict\] .*"r3".*10\.1\.2\.0\/24/);
            expect(listings(seq)).to.deep.equal([`routes vpc_id=${a.id}`, `routes vpc_id=${a.id}`]);
        });

        it("read a peering's ACTIVE status once for all its routes, until the reuse window has passed", async () => {
            const { id, a, b } = await activePeering();
            forgetListings(); // the peering was made by an earlier operation
            const route = (vpcId: string, destination: string) =>
                ({ vpcId, destination, peeringConnectionId: id, region: REGION, account: "alice" }) as RouteInputs;
            // The peering's two routes (one in each VPC) are created at once: they share the read in flight ...
            const both = await callsOf(() =>
                Promise.all([
                    routeProvider.create(route(a.id, "10.1.0.0/16")),
                    routeProvider.create(route(b.id, "10.0.0.0/16")),
                ]),
            );
            expect(both.calls).to.deep.equal(["GET peerings", "POST routes", "POST routes"]);
            // ... a later route of the peering reuses its answer ...
            const later = await callsOf(() => routeProvider.create(route(a.id, "10.3.0.0/16")));
            expect(later.calls).to.deep.equal(["POST routes"]);
            // ... until the window has passed: one new read.
            now += LISTING_REUSE_MS;
            const late = await callsOf(() => routeProvider.create(route(a.id, "10.4.0.0/16")));
            expect(late.calls).to.deep.equal(["GET peerings", "POST routes"]);
        });

        it("list a requester VPC's peerings once for all its new peerings", async () => {
            const a = await readyVpc("10.5.0.0/16");
            const others = [
                await readyVpc("10.6.0.0/16"),
                await readyVpc("10.7.0.0/16"),
                await readyVpc("10.8.0.0/16"),
            ];
            const seq = lastSeq();
            const checks = await Promise.all(
                others.map((b, i) =>
                    peeringConnectionProvider.check!(
                        {} as PeeringConnectionInputs,
                        {
                            name: `a-${i}`,
                            region: REGION,
                            account: "alice",
                            requesterVpcId: a.id,
                            accepterVpcId: b.id,
                            __resourceName: `a-${i}`,
                        } as PeeringConnectionInputs,
                    ),
                ),
            );
            expect(checks.flatMap((c) => c.failures)).to.deep.equal([]);
            expect(listings(seq)).to.deep.equal([`peerings vpc_id=${a.id}`]);
        });
    });
});
