// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Longer than ~400 lines: the peering provider's check, diff, account, drift and retry cases share one server.

import { expect } from "chai";

import { ConflictError } from "../../provider/client/errors";
import { clientFor } from "../../provider/config";
import { UNKNOWN } from "../../provider/resources/common";
import {
    PeeringConnectionInputs,
    PeeringConnectionOutputs,
    peeringConnectionProvider as p,
} from "../../provider/resources/peeringConnectionProvider";
import { vpcProvider } from "../../provider/resources/vpcProvider";
import {
    Harness,
    REGION,
    OTHER_REGION,
    TestVpc,
    expectRejection,
    facts,
    makeVpc,
    startHarness,
    startLaggingProxy,
    until,
    withEnv,
} from "./harness";
import { ChecksPayload, encodeChecks } from "../../core/checksPayload";
import { PENDING_ACCEPTANCE_MS } from "../../core/rules";
import { applySuppressions, checkPeering, PeeringFacts, Violation } from "../../core/rules";

/** A `__checks` payload as the program sends it. */
function payload(p: Partial<Omit<ChecksPayload, "version">>): string {
    return encodeChecks({ facts: {}, violations: [], suppressed: [], deferred: [], ...p });
}

const provider = p as Required<typeof p>;

describe("PeeringConnection provider", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());
    beforeEach(() => h.clearWarnings());
    afterEach(() => h.server.faults.clear());

    const inputs = (a: TestVpc, b: TestVpc, over: Partial<PeeringConnectionInputs> = {}): PeeringConnectionInputs => ({
        name: h.unique("pcx"),
        region: a.region,
        account: a.account,
        requesterVpcId: a.id,
        accepterVpcId: b.id,
        ...(a.account !== b.account ? { peerProjectId: b.projectId } : {}),
        requester: facts(a, "a"),
        accepter: facts(b, "b"),
        __resourceName: "ab",
        ...over,
    });

    describe("check", () => {
        const base = {
            name: "ab",
            region: REGION,
            account: "alice",
            requesterVpcId: "vpc-a",
            accepterVpcId: "vpc-b",
            __resourceName: "ab",
        };

        it("passes a valid same-account peering", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.1.0.0/16", region: REGION, account: "alice" },
            });
            expect(r.failures).to.deep.equal([]);
        });

        it("fails overlapping CIDRs on accepterVpcId, naming both VPCs, the rule and a fix", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.0.128.0/17", region: REGION, account: "alice" },
            });
            expect(r.failures).to.have.length(1);
            expect(r.failures![0]!.property).to.equal("accepterVpcId");
            expect(r.failures![0]!.reason).to.match(/\[peering-cidr-overlap\].*"a".*10\.0\.0\.0\/16.*"b".*Fix:/);
        });

        it("fails a cross-region pair", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION },
                accepter: { name: "b", cidr: "10.1.0.0/16", region: OTHER_REGION },
            });
            expect(r.failures!.map((f) => f.reason).join()).to.match(/\[peering-cross-region\]/);
        });

        it("fails a peering to another account's VPC (by id) without a peer project, and malformed project ids", async () => {
            const own = await makeVpc(h, "alice", "10.0.0.0/16");
            const foreign = await makeVpc(h, "bob", "10.1.0.0/16");
            // The accepter VPC is given by id only: check looks it up (read-only) in alice's project, in vain.
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requesterVpcId: own.id,
                accepterVpcId: foreign.id,
                requester: facts(own, "a"),
            });
            expect(r.failures!.map((f) => `${f.property}: ${f.reason}`).join()).to.match(
                /peerProjectId: \[peering-missing-peer-project\]/,
            );
            const sameAccount = await makeVpc(h, "alice", "10.1.0.0/16");
            const ok = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requesterVpcId: own.id,
                accepterVpcId: sameAccount.id,
                requester: facts(own, "a"),
            });
            expect(ok.failures).to.deep.equal([]);
            const bad = await provider.check({} as PeeringConnectionInputs, { ...base, peerProjectId: "bob" });
            expect(bad.failures!.map((f) => f.reason).join()).to.match(
                /not a project id .*not its account \(domain\) id/,
            );
        });

        it("an accepter given by id that the same account has in another region: the same-region rule names it", async () => {
            const own = await makeVpc(h, "alice", "10.0.0.0/16");
            const far = await makeVpc(h, "alice", "10.1.0.0/16", OTHER_REGION);
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requesterVpcId: own.id,
                accepterVpcId: far.id,
                requester: facts(own, "a"),
            });
            const reasons = r.failures!.map((f) => f.reason).join("\n");
            expect(reasons).to.match(/\[peering-cross-region\]/);
            expect(reasons).to.contain(`is in ${OTHER_REGION}`);
            expect(reasons).to.not.match(/peering-missing-peer-project|another account/);
        });

        it("turns a suppressed violation into a warning", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                suppressRules: [{ rule: "peering-cidr-overlap", reason: "only the 10.0.200.0/24 subnets talk" }],
            });
            expect(r.failures).to.deep.equal([]);
            expect(h.warnings.join()).to.match(
                /peering-cidr-overlap suppressed \(only the 10\.0\.200\.0\/24 subnets talk\)/,
            );
        });

        it("does not repeat a suppression the program-wide check already printed", async () => {
            const news = {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                suppressRules: [{ rule: "peering-cidr-overlap", reason: "only the 10.0.200.0/24 subnets talk" }],
            };
            const first = await provider.check({} as PeeringConnectionInputs, news);
            expect(first.failures).to.deep.equal([]);
            expect(h.warnings.join()).to.match(/\[peering-cidr-overlap\]/);
            h.clearWarnings();
            // The program saw the same facts, suppressed the violation and printed it: it is not repeated.
            const facts: PeeringFacts = {
                name: "ab",
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
            };
            const suppressed = applySuppressions(checkPeering(facts), news.suppressRules).suppressed!;
            expect(suppressed.map((v) => v.rule)).to.deep.equal(["peering-cidr-overlap"]);
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...news,
                __resourceName: "ab",
                __checks: payload({ facts: { peering: facts }, suppressed }),
            });
            expect(r.failures).to.deep.equal([]);
            expect(h.warnings).to.deep.equal([]);
        });

        it("defers (warns) instead of failing when facts are unknown during preview", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requesterVpcId: UNKNOWN,
                accepterVpcId: UNKNOWN,
                requester: { name: "a", cidr: UNKNOWN, region: REGION },
                accepter: UNKNOWN as never,
            });
            expect(r.failures).to.deep.equal([]);
            expect(h.warnings.join("\n")).to.match(/deferred until apply/);
        });

        it("adds program-wide violations from __checks, without duplicates, and leaves deferred warnings to the program", async () => {
            const overlapping = {
                ...base,
                requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                accepter: { name: "b", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
            };
            const local = (await provider.check({} as PeeringConnectionInputs, overlapping)).failures!;
            const facts: PeeringFacts = {
                name: "ab",
                requester: overlapping.requester,
                accepter: overlapping.accepter,
            };
            const duplicate: Violation = {
                rule: "peering-duplicate-pair",
                resources: ["ab", "ba"],
                property: "accepterVpc",
                fix: "once",
                message: "[peering-duplicate-pair] twice. Fix: once.",
            };
            // The program's overlap has another text than the provider's would: merged on (rule, resources) anyway.
            const overlap = {
                ...checkPeering(facts).violations[0]!,
                message: "[peering-cidr-overlap] as the program said",
            };
            const r = await provider.check({} as PeeringConnectionInputs, {
                ...overlapping,
                __resourceName: "ab",
                __checks: payload({ facts: { peering: facts }, violations: [duplicate, overlap] }),
            });
            expect(local.map((f) => f.reason)).to.have.length(1);
            expect(r.failures).to.deep.equal([
                { property: "accepterVpcId", reason: "[peering-duplicate-pair] twice. Fix: once." },
                { property: "accepterVpcId", reason: "[peering-cidr-overlap] as the program said" },
            ]);
            h.clearWarnings();
            await provider.check({} as PeeringConnectionInputs, {
                ...base,
                requester: { name: "a" },
                __checks: payload({
                    facts: { peering: { name: "ab", requester: { name: "a" }, accepter: { name: "b" } } },
                }),
            });
            expect(h.warnings).to.deep.equal([]);
        });

        it("requires both VPC ids", async () => {
            const r = await provider.check({} as PeeringConnectionInputs, { ...base, accepterVpcId: "" });
            expect(r.failures!.map((f) => f.property)).to.include("accepterVpcId");
        });
    });

    describe("diff", () => {
        const olds = {
            name: "ab",
            region: REGION,
            account: "alice",
            requesterVpcId: "vpc-a",
            accepterVpcId: "vpc-b",
            peerProjectId: "0".repeat(32),
            requester: { cidr: "10.0.0.0/16" },
            status: "ACTIVE",
        } as PeeringConnectionOutputs;

        it("updates name and description in place and ignores facts and internal keys", async () => {
            expect(
                await provider.diff("id", olds, {
                    ...olds,
                    requester: { cidr: "10.9.0.0/16" },
                    __provider: "x",
                } as never),
            ).to.deep.include({
                changes: false,
            });
            expect(await provider.diff("id", olds, { ...olds, description: "new" })).to.deep.include({
                changes: true,
                replaces: [],
            });
        });

        it("replaces on a new VPC pair without deleteBeforeReplace", async () => {
            expect(await provider.diff("id", olds, { ...olds, accepterVpcId: "vpc-c" })).to.deep.include({
                replaces: ["accepterVpcId"],
                deleteBeforeReplace: false,
            });
            expect((await provider.diff("id", olds, { ...olds, accepterVpcId: UNKNOWN })).deleteBeforeReplace).to.equal(
                false,
            );
        });

        it("replaces with deleteBeforeReplace when the VPC pair stays (one peering per pair)", async () => {
            expect(await provider.diff("id", olds, { ...olds, peerProjectId: "1".repeat(32) })).to.deep.include({
                replaces: ["peerProjectId"],
                deleteBeforeReplace: true,
            });
            expect(
                await provider.diff("id", olds, { ...olds, requesterVpcId: "vpc-b", accepterVpcId: "vpc-a" }),
            ).to.deep.include({ deleteBeforeReplace: true });
        });
    });

    describe("same account", () => {
        it("is ACTIVE at once; read, update in place, delete idempotently", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "alice", "10.1.0.0/16");
            const i = inputs(a, b);
            const c = await provider.create(i);
            expect(c.outs).to.include({ status: "ACTIVE", requesterVpcId: a.id, accepterVpcId: b.id });
            expect(c.outs).to.not.have.property("expiresAt");
            expect(h.warnings).to.deep.equal([]);

            const r = await provider.read(c.id, c.outs!);
            expect(r.inputs).to.deep.equal(i);

            const u = await provider.update(c.id, c.outs!, { ...i, name: `${i.name}-x`, description: "d" });
            expect(u.outs).to.include({ name: `${i.name}-x`, description: "d", status: "ACTIVE" });

            await provider.delete(c.id, u.outs!);
            await provider.delete(c.id, u.outs!);
            expect((await provider.read(c.id, u.outs!)).id).to.equal("");
        });
    });

    describe("cross account", () => {
        it("is PENDING_ACCEPTANCE with expiresAt = created + 7 days, and warns who must accept", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "bob", "10.1.0.0/16");
            const c = await provider.create(inputs(a, b));
            expect(c.outs).to.include({ status: "PENDING_ACCEPTANCE", accepterProjectId: b.projectId });
            const created = Date.parse(c.outs!.createdAt!);
            expect(Date.parse(c.outs!.expiresAt!) - created).to.equal(PENDING_ACCEPTANCE_MS);
            expect(h.warnings.join()).to.match(
                new RegExp(`PENDING_ACCEPTANCE: the owner of project ${b.projectId} must accept it`),
            );
            await provider.delete(c.id, c.outs!);
        });

        it("does not ask anyone to accept when the same program declares the PeeringAccepter", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "bob", "10.1.0.0/16");
            h.clearWarnings();
            const c = await provider.create(inputs(a, b, { __checks: payload({ acceptedBy: "ab-accept" }) }));
            expect(c.outs).to.include({ status: "PENDING_ACCEPTANCE" });
            expect(h.warnings.join()).to.not.match(/must accept/);
            await provider.delete(c.id, c.outs!);
        });

        it("explains a wrong peer project id", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "bob", "10.1.0.0/16");
            const err = await expectRejection(
                provider.create(inputs(a, b, { peerProjectId: h.project("alice", OTHER_REGION) })),
            );
            expect(err.message).to.match(/peerProjectId must be the accepter's project id in ap-southeast-1/);
        });
    });

    describe("refresh (read) drift", () => {
        it("reports REJECTED, EXPIRED and out-of-band deleted peerings as gone", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "bob", "10.1.0.0/16");
            const bob = clientFor({ account: "bob", region: REGION, op: "update" });

            const rejected = await provider.create(inputs(a, b));
            await bob.rejectPeering(rejected.id);
            expect((await provider.read(rejected.id, rejected.outs!)).id).to.equal("");
            expect(h.warnings.join()).to.match(/is REJECTED; it is reported gone/);
            await provider.delete(rejected.id, rejected.outs!);

            const deleted = await provider.create(inputs(a, b));
            await bob.deletePeering(deleted.id);
            expect((await provider.read(deleted.id, deleted.outs!)).id).to.equal("");

            const expiring = await provider.create(inputs(a, b));
            h.server.advanceTime(PENDING_ACCEPTANCE_MS + 1000);
            expect((await provider.read(expiring.id, expiring.outs!)).id).to.equal("");
            await provider.delete(expiring.id, expiring.outs!);
        });
    });

    describe("duplicates, adoption and retries", () => {
        it("explains a duplicate pair and adopts it on request", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "alice", "10.1.0.0/16");
            const first = await provider.create(inputs(a, b));
            const dup = await expectRejection(provider.create(inputs(a, b)));
            expect(dup).to.be.instanceOf(ConflictError);
            expect(dup.message).to.contain(`already exists (id ${first.id}, status ACTIVE)`);
            expect(dup.message).to.contain("adopt: true");

            const adopted = await provider.create(inputs(a, b, { adopt: true, name: "renamed-on-adopt" }));
            expect(adopted.id).to.equal(first.id);
            expect(adopted.outs).to.include({ name: "renamed-on-adopt" });
            expect((await provider.create(inputs(a, b, { adoptId: first.id }))).id).to.equal(first.id);

            const reversed = await expectRejection(provider.create(inputs(b, a, { adopt: true })));
            expect(reversed.message).to.match(/other direction .*swap requesterVpc and accepterVpc/);
            await provider.delete(first.id, first.outs!);
        });

        it("does not create a second peering when the create's response is lost", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "bob", "10.1.0.0/16");
            h.server.clearRequests();
            h.server.faults.inject({ method: "POST", pathPattern: "/vpc/peerings", dropAfterCommit: true });
            const c = await provider.create(inputs(a, b));
            const alice = clientFor({ account: "alice", region: REGION, op: "create" });
            const all = (await alice.listPeerings({ vpc_id: a.id })).filter((x) => x.accept_vpc_info.vpc_id === b.id);
            expect(all.map((x) => x.id)).to.deep.equal([c.id]);
            expect(h.server.requests().filter((r) => r.method === "POST")).to.have.length(1);
            await provider.delete(c.id, c.outs!);
        });

        it("retries 5xx and 429 on create and on the wait", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "alice", "10.1.0.0/16");
            h.server.faults.inject({ method: "POST", pathPattern: "/vpc/peerings", status: 502, count: 2 });
            h.server.faults.inject({ method: "GET", pathPattern: "/vpc/peerings/", status: 429, count: 2 });
            const c = await provider.create(inputs(a, b));
            expect(c.outs!.status).to.equal("ACTIVE");
            await provider.delete(c.id, c.outs!);
        });

        it("records a peering that exists but cannot be confirmed usable (the error carries its id)", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "alice", "10.1.0.0/16");
            // The create answer is the first observation of the status: make it one that needs waiting (the local
            // server never sends one), then let no read get through.
            const proxy = await startLaggingProxy(
                h.server.url,
                () => false,
                0,
                (method, path, body) =>
                    method === "POST" && path.endsWith("/vpc/peerings") ? body.replace(/"ACTIVE"/, '"PENDING"') : body,
            );
            h.server.faults.inject({ method: "GET", pathPattern: "/vpc/peerings/", status: 503, count: 1000 });
            const err = await withEnv({ VPCPEERING_ENDPOINT: proxy.endpointTemplate }, () =>
                expectRejection(
                    provider.create({
                        ...inputs(a, b),
                        timeouts: { create: "1s" },
                        __provider: "code",
                    } as PeeringConnectionInputs),
                ),
            );
            h.server.faults.clear();
            await proxy.close();
            expect(err.name).to.equal("ResourceInitError");
            expect(err["id"]).to.be.a("string").and.not.equal("");
            expect(err["properties"]).to.include({ requesterVpcId: a.id, __provider: "code" });
            await provider.delete(err["id"] as string, err["properties"] as PeeringConnectionOutputs);
        });

        it("deleting a VPC retries 409 until its peering is gone", async () => {
            const a = await makeVpc(h, "alice", "10.0.0.0/16");
            const b = await makeVpc(h, "alice", "10.1.0.0/16");
            const c = await provider.create(inputs(a, b));
            h.server.clearRequests();
            const deletingVpc = vpcProvider.delete!(a.id, { ...a, status: "OK" } as never);
            const refused = () =>
                h.server.requests().some((r) => r.method === "DELETE" && r.path.endsWith(a.id) && r.status === 409);
            await until(refused, "the VPC delete refused while the peering exists");
            await provider.delete(c.id, c.outs!);
            await deletingVpc;
            const vpcDeletes = h.server.requests().filter((r) => r.method === "DELETE" && r.path.endsWith(a.id));
            expect(vpcDeletes[0]!.status).to.equal(409);
            expect(vpcDeletes[vpcDeletes.length - 1]!.status).to.equal(204);
        });
    });
});
