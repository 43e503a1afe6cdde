// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import { expect } from "chai";

import { clientFor } from "../../provider/config";
import { UNKNOWN } from "../../provider/resources/common";
import { peeringAccepterProvider } from "../../provider/resources/peeringAccepterProvider";
import { RouteInputs, RouteOutputs, routeProvider as p } from "../../provider/resources/routeProvider";
import { Harness, REGION, TestVpc, expectRejection, facts, requestPeering, startHarness, until } from "./harness";

const provider = p as Required<typeof p>;
const acc = peeringAccepterProvider as Required<typeof peeringAccepterProvider>;

describe("Route provider", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());
    beforeEach(() => h.clearWarnings());
    afterEach(() => h.server.faults.clear());

    /** A fresh alice → alice peering (ACTIVE), or alice → bob (PENDING_ACCEPTANCE). */
    const peered = (accepterAccount = "alice") => requestPeering(h, accepterAccount);

    const inputs = (
        vpc: TestVpc,
        peeringId: string,
        destination: string,
        over: Partial<RouteInputs> = {},
    ): RouteInputs => ({
        vpcId: vpc.id,
        destination,
        peeringConnectionId: peeringId,
        region: vpc.region,
        account: vpc.account,
        __resourceName: "a-to-b",
        ...over,
    });

    describe("check", () => {
        const a = { name: "a", id: "vpc-a", cidr: "10.0.0.0/16", region: REGION, account: "alice" };
        const b = { name: "b", id: "vpc-b", cidr: "10.1.0.0/16", region: REGION, account: "alice" };
        const base = {
            vpcId: "vpc-a",
            peeringConnectionId: "pcx-1",
            region: REGION,
            account: "alice",
            vpc: a,
            peering: { name: "ab", requester: a, accepter: b },
            __resourceName: "a-to-b",
        };

        it("passes a route to the peer VPC's CIDR", async () => {
            expect(
                (await provider.check({} as RouteInputs, { ...base, destination: "10.1.0.0/16" })).failures,
            ).to.deep.equal([]);
        });

        it("fails a destination outside the peer VPC (blackhole) and one overlapping its own VPC", async () => {
            const outside = await provider.check({} as RouteInputs, { ...base, destination: "10.2.0.0/16" });
            expect(outside.failures![0]).to.include({ property: "destination" });
            expect(outside.failures![0]!.reason).to.match(
                /\[route-outside-peer-vpc\].*"b" \(10\.1\.0\.0\/16\).*Fix: use 10\.1\.0\.0\/16/,
            );
            const own = await provider.check({} as RouteInputs, { ...base, destination: "10.0.1.0/24" });
            expect(own.failures!.map((f) => f.reason).join()).to.match(/\[route-overlaps-own-vpc\]/);
        });

        it("fails a destination with host bits and a peering that does not include the VPC", async () => {
            const hostBits = await provider.check({} as RouteInputs, { ...base, destination: " 10.1.0.1/16 " });
            expect(hostBits.inputs!.destination).to.equal("10.1.0.1/16");
            expect(hostBits.failures!.map((f) => f.reason).join()).to.match(/\[cidr-host-bits\].*10\.1\.0\.0\/16/);
            const c = { name: "c", id: "vpc-c", cidr: "10.2.0.0/16", region: REGION, account: "alice" };
            const mismatch = await provider.check({} as RouteInputs, {
                ...base,
                destination: "10.1.0.0/16",
                vpc: c,
                vpcId: "vpc-c",
            });
            expect(mismatch.failures![0]).to.include({ property: "peeringConnectionId" });
            expect(mismatch.failures![0]!.reason).to.match(/\[route-peering-mismatch\]/);
        });

        it("defers when the destination or CIDRs are unknown", async () => {
            const r = await provider.check({} as RouteInputs, {
                ...base,
                destination: UNKNOWN,
                vpcId: UNKNOWN,
                vpc: { ...a, id: UNKNOWN, cidr: UNKNOWN },
            });
            expect(r.failures).to.deep.equal([]);
            expect(h.warnings.join("\n")).to.match(/deferred until apply/);
        });
    });

    describe("diff", () => {
        const olds = {
            vpcId: "vpc-a",
            destination: "10.1.0.0/16",
            peeringConnectionId: "pcx-1",
            region: REGION,
            account: "alice",
            type: "peering",
        } as RouteOutputs;

        it("replaces on every route input; deleteBeforeReplace when the VPC and destination stay", async () => {
            expect(await provider.diff("r", olds, { ...olds, peeringConnectionId: "pcx-2" })).to.deep.include({
                replaces: ["peeringConnectionId"],
                deleteBeforeReplace: true,
            });
            expect(await provider.diff("r", olds, { ...olds, destination: "10.1.0.0/24" })).to.deep.include({
                replaces: ["destination"],
                deleteBeforeReplace: false,
            });
            expect(
                await provider.diff("r", olds, { ...olds, vpc: { cidr: "x" }, __checks: "g" } as never),
            ).to.deep.include({
                changes: false,
            });
        });
    });

    describe("lifecycle", () => {
        it("creates through an ACTIVE peering, reads it, deletes it idempotently", async () => {
            const { id, a } = await peered();
            const i = inputs(a, id, "10.1.0.0/16");
            const c = await provider.create(i);
            expect(c.outs).to.include({ type: "peering", projectId: a.projectId, destination: "10.1.0.0/16" });
            const r = await provider.read(c.id, c.outs!);
            expect(r.inputs).to.deep.equal(i);
            await provider.delete(c.id, c.outs!);
            await provider.delete(c.id, c.outs!);
            expect((await provider.read(c.id, c.outs!)).id).to.equal("");
        });

        it("waits for a pending peering to be accepted (and says so), then adds the route", async () => {
            const { id, a } = await peered("bob");
            const creating = provider.create(inputs(a, id, "10.1.0.0/16"));
            const waiting = /waiting for peering .* to be accepted \(PENDING_ACCEPTANCE\)/;
            await until(() => waiting.test(h.warnings.join()), "the route's wait for acceptance");
            expect(await Promise.race([creating, "still waiting"])).to.equal("still waiting");
            await acc.create({ peeringConnectionId: id, account: "bob", region: REGION });
            const c = await creating;
            expect(c.outs!.peeringConnectionId).to.equal(id);
        });

        it("fails at once when the peering was rejected", async () => {
            const { id, a } = await peered("bob");
            await clientFor({ account: "bob", region: REGION, op: "update" }).rejectPeering(id);
            const e = await expectRejection(provider.create(inputs(a, id, "10.1.0.0/16")));
            expect(e.message).to.match(/^creating Route 'a-to-b': .*is REJECTED: a route needs an ACTIVE peering/);
        });

        it("explains a duplicate destination, adopts on request, and never duplicates a lost create", async () => {
            const { id, a } = await peered();
            const first = await provider.create(inputs(a, id, "10.1.0.0/16"));
            const dup = await expectRejection(provider.create(inputs(a, id, "10.1.0.0/16")));
            expect(dup.message).to.contain(`already has a route to 10.1.0.0/16 (id ${first.id}`);
            expect(dup.message).to.contain("adopt: true");
            const adopted = await provider.create(inputs(a, id, "10.1.0.0/16", { adopt: true }));
            expect(adopted.id).to.equal(first.id);

            h.server.clearRequests();
            h.server.faults.inject({ method: "POST", pathPattern: "/vpc/routes", dropAfterCommit: true });
            const second = await provider.create(inputs(a, id, "10.1.1.0/24"));
            const routes = await clientFor({ account: "alice", region: REGION, op: "read" }).listRoutes({
                vpc_id: a.id,
            });
            expect(routes.filter((r) => r.destination === "10.1.1.0/24").map((r) => r.id)).to.deep.equal([second.id]);
            expect(h.server.requests().filter((r) => r.method === "POST")).to.have.length(1);
        });

        it("retries 429/5xx on create", async () => {
            const { id, a } = await peered();
            h.server.faults.inject({ method: "POST", pathPattern: "/vpc/routes", status: 429, count: 2 });
            h.server.faults.inject({ method: "POST", pathPattern: "/vpc/routes", status: 500, count: 1 });
            const c = await provider.create(inputs(a, id, "10.1.0.0/16"));
            expect(c.id).to.be.a("string");
        });
    });

    describe("refresh (read)", () => {
        it("reports the route gone when its peering was deleted (the API purges its routes)", async () => {
            const { id, a } = await peered();
            const c = await provider.create(inputs(a, id, "10.1.0.0/16"));
            await clientFor({ account: "alice", region: REGION, op: "delete" }).deletePeering(id);
            expect((await provider.read(c.id, c.outs!)).id).to.equal("");
        });

        it("reads from only the id, region and account (Route.get)", async () => {
            const { id, a } = await peered();
            const c = await provider.create(inputs(a, id, "10.1.0.0/16"));
            const r = await provider.read(c.id, { region: REGION, account: "alice" } as RouteOutputs);
            expect(r.props).to.include({
                vpcId: a.id,
                destination: "10.1.0.0/16",
                peeringConnectionId: id,
                type: "peering",
            });
        });
    });

    it("uses facts like the SDK passes them", () => {
        const v: TestVpc = {
            id: "i",
            name: "n",
            cidr: "10.0.0.0/16",
            region: REGION,
            account: "alice",
            projectId: "p",
        };
        expect(facts(v, "a").name).to.equal("a");
    });
});
