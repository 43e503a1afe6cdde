// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import { expect } from "chai";

import { clientFor } from "../../provider/config";
import { UNKNOWN } from "../../provider/resources/common";
import {
    PeeringAccepterInputs,
    PeeringAccepterOutputs,
    peeringAccepterProvider as p,
} from "../../provider/resources/peeringAccepterProvider";
import {
    Harness,
    REGION,
    TestVpc,
    expectRejection,
    facts,
    requestPeering,
    startHarness,
    startLaggingProxy,
    withEnv,
} from "./harness";

const provider = p as Required<typeof p>;

describe("PeeringAccepter provider", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());
    beforeEach(() => h.clearWarnings());
    afterEach(() => h.server.faults.clear());

    /** A fresh alice → bob request (PENDING_ACCEPTANCE), or alice → alice (ACTIVE). */
    const request = (accepterAccount = "bob") => requestPeering(h, accepterAccount);

    const inputs = (id: string, over: Partial<PeeringAccepterInputs> = {}): PeeringAccepterInputs => ({
        peeringConnectionId: id,
        account: "bob",
        region: REGION,
        __resourceName: "ab",
        ...over,
    });

    describe("check and diff", () => {
        it("fails when the accepter runs in the requester's account instead of the accepter's", async () => {
            const r = await provider.check({} as PeeringAccepterInputs, {
                ...inputs("pcx-1", { account: "alice" }),
                peering: {
                    name: "ab",
                    requester: { name: "a", account: "alice", region: REGION },
                    accepter: { name: "b", account: "bob", region: REGION },
                },
            });
            expect(r.failures).to.have.length(1);
            expect(r.failures![0]).to.include({ property: "account" });
            expect(r.failures![0]!.reason).to.match(/\[accepter-wrong-account\].*set account: "bob"/);
        });

        it("accepts unknown values during preview and validates booleans", async () => {
            const r = await provider.check({} as PeeringAccepterInputs, {
                ...inputs(UNKNOWN),
                reject: UNKNOWN as never,
                peering: UNKNOWN as never,
            });
            expect(r.failures).to.deep.equal([]);
            const bad = await provider.check(
                {} as PeeringAccepterInputs,
                inputs("x", { deleteOnDestroy: "yes" as never }),
            );
            expect(bad.failures!.map((f) => f.property)).to.deep.equal(["deleteOnDestroy"]);
        });

        it("replaces on a new peering or account; reject and deleteOnDestroy change in place", async () => {
            const olds = { ...inputs("pcx-1"), status: "ACTIVE" } as PeeringAccepterOutputs;
            expect(await provider.diff("pcx-1", olds, inputs("pcx-2"))).to.deep.include({
                replaces: ["peeringConnectionId"],
                deleteBeforeReplace: false,
            });
            expect(await provider.diff("pcx-1", olds, inputs("pcx-1", { deleteOnDestroy: true }))).to.deep.include({
                changes: true,
                replaces: [],
            });
            expect(
                await provider.diff("pcx-1", olds, { ...inputs("pcx-1"), __provider: "new" } as never),
            ).to.deep.include({
                changes: false,
            });
        });
    });

    describe("accept", () => {
        it("accepts a pending request, waits for ACTIVE, and leaves the peering on destroy by default", async () => {
            const { id, a, b } = await request();
            const c = await provider.create(inputs(id));
            expect(c.id).to.equal(id);
            expect(c.outs).to.include({
                status: "ACTIVE",
                requesterVpcId: a.id,
                accepterVpcId: b.id,
                accepterProjectId: b.projectId,
            });
            const r = await provider.read(id, c.outs!);
            expect(r.props).to.include({ status: "ACTIVE" });
            expect(r.inputs).to.deep.equal(inputs(id));

            await provider.delete(id, c.outs!);
            const alice = clientFor({ account: "alice", region: REGION, op: "read" });
            expect((await alice.getPeering(id)).status).to.equal("ACTIVE");
        });

        it("waits until the request is visible to the accepter (404s right after the requester's create)", async () => {
            const { id } = await request();
            const proxy = await startLaggingProxy(
                h.server.url,
                (m, path) => m === "GET" && path.endsWith(`/vpc/peerings/${id}`),
                5,
            );
            try {
                const c = await withEnv({ VPCPEERING_ENDPOINT: proxy.endpointTemplate }, () =>
                    provider.create(inputs(id)),
                );
                expect(proxy.hidden()).to.equal(5);
                expect(c.outs!.status).to.equal("ACTIVE");
            } finally {
                await proxy.close();
            }
        });

        it("adopts a peering that is already ACTIVE without calling accept", async () => {
            const { id } = await request("alice");
            h.server.clearRequests();
            const c = await provider.create(inputs(id, { account: "alice" }));
            expect(c.outs!.status).to.equal("ACTIVE");
            expect(h.server.requests().filter((r) => r.method === "PUT")).to.deep.equal([]);
        });

        it("survives a lost accept response (the accept committed) without a second accept", async () => {
            const { id } = await request();
            h.server.clearRequests();
            h.server.faults.inject({ method: "PUT", pathPattern: "/accept", dropAfterCommit: true });
            const c = await provider.create(inputs(id));
            expect(c.outs!.status).to.equal("ACTIVE");
            expect(h.server.requests().filter((r) => r.method === "PUT")).to.have.length(1);
        });

        it("retries a refused accept (503) and succeeds", async () => {
            const { id } = await request();
            h.server.faults.inject({ method: "PUT", pathPattern: "/accept", status: 503, count: 2 });
            const c = await provider.create(inputs(id));
            expect(c.outs!.status).to.equal("ACTIVE");
        });

        it("deletes the peering on destroy with deleteOnDestroy: true", async () => {
            const { id } = await request();
            const c = await provider.create(inputs(id, { deleteOnDestroy: true }));
            await provider.delete(id, c.outs!);
            await provider.delete(id, c.outs!);
            const alice = clientFor({ account: "alice", region: REGION, op: "read" });
            const err = await expectRejection(alice.getPeering(id));
            expect(err["status"]).to.equal(404);
        });
    });

    describe("reject and clear errors", () => {
        it("rejects only when asked", async () => {
            const { id } = await request();
            const c = await provider.create(inputs(id, { reject: true }));
            expect(c.outs!.status).to.equal("REJECTED");
            const again = await provider.create(inputs(id, { reject: true }));
            expect(again.outs!.status).to.equal("REJECTED");
        });

        it("explains why an ACTIVE peering cannot be rejected and a REJECTED one cannot be accepted", async () => {
            const active = await request();
            await provider.create(inputs(active.id));
            const e1 = await expectRejection(provider.create(inputs(active.id, { reject: true })));
            expect(e1.message).to.match(/already ACTIVE and cannot be rejected; to remove it, delete it/);

            const rejected = await request();
            await clientFor({ account: "bob", region: REGION, op: "update" }).rejectPeering(rejected.id);
            const e2 = await expectRejection(provider.create(inputs(rejected.id)));
            expect(e2.message).to.match(
                /was REJECTED; a rejected request cannot be accepted: the requester must create a new/,
            );
        });

        it("explains a peering that is not addressed to this account", async () => {
            const { id, b } = await request();
            const e = await expectRejection(provider.create(inputs(id, { account: "alice" })));
            expect(e.message).to.contain(`is addressed to project ${b.projectId}, not to account 'alice'`);
        });

        it("explains a peering that does not exist (after waiting for it to become visible)", async () => {
            const e = await expectRejection(
                provider.create(inputs("00000000-0000-0000-0000-000000000000", { timeouts: { create: "300ms" } })),
            );
            expect(e.message).to.match(
                /^creating PeeringAccepter 'ab': peering 0{8}-.* was not found from account 'bob'.*does not exist, or it is not addressed to this account/,
            );
        });

        it("an in-place flip of reject on an ACTIVE peering fails with the fix", async () => {
            const { id } = await request();
            const c = await provider.create(inputs(id));
            const e = await expectRejection(provider.update(id, c.outs!, inputs(id, { reject: true })));
            expect(e.message).to.match(/^updating PeeringAccepter 'ab': peering .* already ACTIVE/);
            const u = await provider.update(id, c.outs!, inputs(id, { deleteOnDestroy: true }));
            expect(u.outs).to.include({ deleteOnDestroy: true, status: "ACTIVE" });
        });
    });

    describe("refresh (read)", () => {
        it("reports a deleted or un-accepted peering as gone, so the next up acts again", async () => {
            const { id } = await request();
            const c = await provider.create(inputs(id));
            await clientFor({ account: "alice", region: REGION, op: "delete" }).deletePeering(id);
            expect((await provider.read(id, c.outs!)).id).to.equal("");

            const pending = await request();
            expect(
                (await provider.read(pending.id, { ...inputs(pending.id), status: "ACTIVE" } as PeeringAccepterOutputs))
                    .id,
            ).to.equal("");
        });

        it("reads from only the id, region and account (PeeringAccepter.get)", async () => {
            const { id, a } = await request();
            await provider.create(inputs(id));
            const r = await provider.read(id, { region: REGION, account: "bob" } as PeeringAccepterOutputs);
            expect(r.props).to.include({ peeringConnectionId: id, status: "ACTIVE", requesterVpcId: a.id });
        });
    });

    it("facts() helper stays consistent with the SDK shape", () => {
        const v: TestVpc = {
            id: "i",
            name: "n",
            cidr: "10.0.0.0/16",
            region: REGION,
            account: "alice",
            projectId: "p",
        };
        expect(Object.keys(facts(v))).to.deep.equal(["name", "id", "cidr", "region", "account", "projectId"]);
    });
});
