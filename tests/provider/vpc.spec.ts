// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Longer than ~400 lines: the Vpc provider's check, diff, lifecycle, adoption, retries and auth cases share one server.

import { expect } from "chai";

import { ApiConnectionError, AuthError, ValidationError } from "../../provider/client/errors";
import { UNKNOWN } from "../../provider/resources/common";
import { VpcInputs, VpcOutputs, vpcProvider as p } from "../../provider/resources/vpcProvider";
import { Harness, REGION, OTHER_REGION, expectRejection, startHarness, withEnv } from "./harness";

const provider = p as Required<typeof p>;

describe("Vpc provider", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());
    beforeEach(() => h.clearWarnings());

    const inputs = (over: Partial<VpcInputs> = {}): VpcInputs => ({
        name: h.unique("vpc"),
        cidr: "10.0.0.0/16",
        region: REGION,
        account: "alice",
        __resourceName: "a",
        ...over,
    });

    describe("check", () => {
        it("auto-names like Pulumi (resource name + random suffix), keeps the old name, and adopt uses the resource name", async () => {
            const news = { cidr: "10.0.0.0/16", region: REGION, account: "alice", __resourceName: "web" } as VpcInputs;
            const fresh = (await provider.check({} as VpcInputs, { ...news })) as { inputs: VpcInputs };
            expect(fresh.inputs.name).to.match(/^web-[0-9a-f]{7}$/);
            expect(fresh.inputs.__autoNamed).to.equal(true);
            const again = (await provider.check(fresh.inputs, { ...news })) as { inputs: VpcInputs };
            expect(again.inputs.name).to.equal(fresh.inputs.name); // stable across previews and updates
            const given = (await provider.check(fresh.inputs, { ...news, name: "mine" })) as { inputs: VpcInputs };
            expect(given.inputs).to.include({ name: "mine" }).and.not.have.property("__autoNamed");
            const adopting = (await provider.check({} as VpcInputs, { ...news, adopt: true })) as { inputs: VpcInputs };
            expect(adopting.inputs).to.include({ name: "web" });
            // A replacement (another region or account) is created first, named or not: it lands in another
            // project, so the name cannot clash; a new CIDR is an in-place change.
            const named = { ...given.inputs } as VpcInputs;
            for (const olds of [fresh.inputs, named]) {
                const moved = await provider.diff!("id", olds as never, { ...olds, account: "bob" });
                expect(moved).to.deep.include({ replaces: ["account"], deleteBeforeReplace: false });
                const recidr = await provider.diff!("id", olds as never, { ...olds, cidr: "10.1.0.0/16" });
                expect(recidr).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
            }
        });

        it("normalises whitespace and keeps a given name", async () => {
            const r = await provider.check(
                {} as VpcInputs,
                {
                    cidr: " 10.0.0.0/16 ",
                    region: REGION,
                    account: " alice",
                    name: " web ",
                    __resourceName: "web",
                } as VpcInputs,
            );
            expect(r.failures).to.deep.equal([]);
            expect(r.inputs).to.include({ name: "web", cidr: "10.0.0.0/16", account: "alice" });
        });

        it("reports syntax problems with the property and an actionable reason", async () => {
            const r = await provider.check(
                {} as VpcInputs,
                {
                    name: "bad name!",
                    cidr: "10.0.0.1/16",
                    region: "Singapore",
                    account: "carol",
                    description: "<b>",
                    timeouts: { create: "soon" },
                    __resourceName: "a",
                } as unknown as VpcInputs,
            );
            const byProp = Object.fromEntries(r.failures!.map((f) => [f.property, f.reason]));
            expect(byProp["name"]).to.match(/not a valid name/);
            expect(byProp["region"]).to.match(/not a region name/);
            expect(byProp["account"]).to.match(
                /account profile 'carol' is not defined: .*VPCPEERING_PROFILE_CAROL_ACCESS_KEY/,
            );
            expect(byProp["description"]).to.match(/255/);
            expect(byProp["timeouts"]).to.match(/not a duration/);
            expect(byProp["cidr"]).to.match(/\[cidr-host-bits\].*10\.0\.0\.0\/16/);
        });

        it("accepts exactly what the API server accepts (one validator): names in any script, lengths in characters", async () => {
            // The two used to disagree: ASCII-only names and UTF-16 lengths here, letters of any script and
            // characters (code points) on the server, as the reference documents.
            const name = `中文-${h.unique("vpc")}`;
            const description = "🙂".repeat(255); // 255 characters, 510 UTF-16 units
            const ok = await provider.check({} as VpcInputs, inputs({ name, description }));
            expect(ok.failures).to.deep.equal([]);
            const created = await provider.create(ok.inputs as VpcInputs);
            expect(created.outs).to.include({ name, description });
            await provider.delete(created.id, created.outs!);
            const long = await provider.check(
                {} as VpcInputs,
                inputs({ name: "é".repeat(65), description: "🙂".repeat(256) }),
            );
            const byProp = Object.fromEntries(long.failures!.map((f) => [f.property, f.reason]));
            expect(byProp["name"]).to.match(/65 characters long/);
            expect(byProp["description"]).to.match(/256 characters long/);
        });

        it("applies the VPC CIDR range rule, and a suppression turns it into a warning", async () => {
            const bad = await provider.check({} as VpcInputs, inputs({ cidr: "8.8.0.0/16" }));
            expect(bad.failures!.map((f) => f.reason).join()).to.match(/\[vpc-cidr-range\]/);
            const ok = await provider.check(
                {} as VpcInputs,
                inputs({ cidr: "8.8.0.0/16", suppressRules: [{ rule: "vpc-cidr-range", reason: "lab range" }] }),
            );
            expect(ok.failures).to.deep.equal([]);
            expect(h.warnings.join("\n")).to.match(/vpc-cidr-range suppressed \(lab range\)/);
        });

        it("rejects malformed suppressions", async () => {
            const r = await provider.check(
                {} as VpcInputs,
                inputs({ suppressRules: [{ rule: "no-such-rule", reason: "" }] }),
            );
            expect(r.failures!.map((f) => f.reason).join("\n")).to.match(/unknown rule id "no-such-rule"/);
        });

        it("treats the unknown sentinel as unknown, anywhere", async () => {
            const r = await provider.check(
                {} as VpcInputs,
                {
                    name: UNKNOWN,
                    cidr: UNKNOWN,
                    region: UNKNOWN,
                    account: UNKNOWN,
                    timeouts: { create: UNKNOWN },
                } as unknown as VpcInputs,
            );
            expect(r.failures).to.deep.equal([]);
        });
    });

    describe("diff", () => {
        const olds = {
            name: "a",
            cidr: "10.0.0.0/16",
            region: REGION,
            account: "alice",
            projectId: "p",
            status: "OK",
        } as VpcOutputs;

        it("ignores __provider, __checks and __resourceName", async () => {
            const d = await provider.diff(
                "id",
                { ...olds, __provider: "x" } as VpcOutputs,
                {
                    ...olds,
                    __provider: "y",
                    __checks: "z",
                    __resourceName: "other",
                } as unknown as VpcInputs,
            );
            expect(d.changes).to.equal(false);
            expect(d.replaces).to.deep.equal([]);
        });

        it("updates name and description in place", async () => {
            const d = await provider.diff("id", olds, { ...olds, name: "b", description: "x" });
            expect(d).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("changes the cidr in place (the API's PUT keeps the VPC, its id and its peerings)", async () => {
            const d = await provider.diff("id", olds, { ...olds, cidr: "10.1.0.0/16" });
            expect(d).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("replaces on region or account without deleteBeforeReplace", async () => {
            expect(await provider.diff("id", olds, { ...olds, region: OTHER_REGION })).to.deep.include({
                replaces: ["region"],
                deleteBeforeReplace: false,
            });
            expect(await provider.diff("id", olds, { ...olds, account: "bob" })).to.deep.include({
                replaces: ["account"],
                deleteBeforeReplace: false,
            });
        });

        it("treats an unknown cidr as a possible in-place change", async () => {
            const d = await provider.diff("id", olds, { ...olds, cidr: UNKNOWN });
            expect(d).to.deep.include({ changes: true, replaces: [] });
        });
    });

    describe("lifecycle", () => {
        it("creates, waits until OK, reads, detects drift, updates in place and deletes idempotently", async () => {
            const i = inputs({ description: "first" });
            const created = await provider.create({ ...i, __provider: "serialized" } as VpcInputs);
            expect(created.id).to.be.a("string");
            expect(created.outs).to.include({ status: "OK", projectId: h.project("alice"), cidr: "10.0.0.0/16" });
            expect(created.outs).to.not.have.property("__provider");

            const read = await provider.read(created.id, created.outs);
            expect(read.id).to.equal(created.id);
            expect(read.props).to.deep.include({ name: i.name, description: "first", status: "OK" });
            expect(read.inputs).to.deep.equal({ ...i, description: "first" });

            // Out-of-band rename: read reports it, in outputs and inputs, so the next diff updates it back.
            const client = (await import("../../provider/config")).clientFor({
                account: "alice",
                region: REGION,
                op: "update",
            });
            await client.updateVpc(created.id, { name: `${i.name}-renamed` });
            const drifted = await provider.read(created.id, created.outs);
            expect(drifted.props!.name).to.equal(`${i.name}-renamed`);
            expect(drifted.inputs!.name).to.equal(`${i.name}-renamed`);
            const d = await provider.diff(created.id, drifted.props!, i);
            expect(d).to.deep.include({ changes: true, replaces: [] });

            const updated = await provider.update(created.id, drifted.props!, { ...i, description: "second" });
            expect(updated.outs).to.include({ name: i.name, description: "second", status: "OK" });
            expect((await client.getVpc(created.id)).description).to.equal("second");

            // A new CIDR is a PUT on the same VPC (same id), not a replacement.
            const moved = await provider.update(created.id, updated.outs!, {
                ...i,
                description: "second",
                cidr: "10.8.0.0/16",
            });
            expect(moved.outs).to.include({ cidr: "10.8.0.0/16", status: "OK" });
            expect((await client.getVpc(created.id)).cidr).to.equal("10.8.0.0/16");

            await provider.delete(created.id, moved.outs!);
            await provider.delete(created.id, moved.outs!); // idempotent: 404 is done
            expect(await provider.read(created.id, moved.outs!)).to.deep.equal({ id: "" });
        });

        it("tags: set at create, served by the API, changed in place, drift seen on read, bad tags refused", async () => {
            const i = inputs({ tags: { team: "payments", env: "prod" } });
            const created = await provider.create(i);
            expect(created.outs!.tags).to.deep.equal({ team: "payments", env: "prod" });
            const client = (await import("../../provider/config")).clientFor({
                account: "alice",
                region: REGION,
                op: "update",
            });
            const apiTags = async () =>
                Object.fromEntries((await client.listVpcTags(created.id)).map((t) => [t.key, t.value]));
            expect(await apiTags()).to.deep.equal({ env: "prod", team: "payments" });

            const news = { ...i, tags: { team: "payments", owner: "bob" } };
            expect(await provider.diff(created.id, created.outs!, news)).to.deep.include({
                changes: true,
                replaces: [],
            });
            const updated = await provider.update(created.id, created.outs!, news);
            expect(updated.outs!.tags).to.deep.equal({ team: "payments", owner: "bob" });
            expect(await apiTags()).to.deep.equal({ owner: "bob", team: "payments" });

            await client.vpcTagsAction(created.id, "create", [{ key: "team", value: "someone-else" }]);
            const drifted = await provider.read(created.id, updated.outs!);
            expect(drifted.props!.tags).to.deep.equal({ team: "someone-else", owner: "bob" });
            expect((await provider.diff(created.id, drifted.props!, news)).changes).to.equal(true);

            const bad = await provider.check(
                {} as VpcInputs,
                inputs({ tags: { "bad*key": "x", ok: "y".repeat(300) } }),
            );
            expect(bad.failures!.map((f) => f.reason).join("\n"))
                .to.match(/tag key "bad\*key" may contain only/)
                .and.match(/the value is longer than 255 characters/);
            await provider.delete(created.id, updated.outs!);
        });

        it("reads an existing VPC from only its id, region and account (Vpc.get)", async () => {
            const created = await provider.create(inputs());
            const read = await provider.read(created.id, { region: REGION, account: "alice" } as VpcOutputs);
            expect(read.props).to.include({ cidr: "10.0.0.0/16", region: REGION, account: "alice", status: "OK" });
            expect(read.inputs).to.include({ cidr: "10.0.0.0/16", region: REGION, account: "alice" });
            const noRegion = await expectRejection(provider.read(created.id, {} as VpcOutputs));
            expect(noRegion.message).to.match(/Vpc\.get\(name, id, \{ region, account \}\)/);
            await provider.delete(created.id, created.outs!);
        });
    });

    describe("duplicates and adoption", () => {
        it("explains a duplicate name and how to adopt", async () => {
            const i = inputs();
            const first = await provider.create(i);
            const err = await expectRejection(provider.create({ ...i, __resourceName: "again" }));
            expect(err).to.be.instanceOf(ValidationError);
            expect(err.message).to.match(/^creating Vpc 'again': POST .*\/vpcs failed \(HTTP 400 VPC\.0115\)/);
            expect(err.message).to.contain(`(id ${first.id}, cidr 10.0.0.0/16)`);
            expect(err.message).to.contain("adopt: true");

            const adopted = await provider.create({ ...i, adopt: true, description: "adopted" });
            expect(adopted.id).to.equal(first.id);
            expect(adopted.outs).to.include({ description: "adopted", status: "OK" });

            const byId = await provider.create({ ...inputs({ name: i.name }), adoptId: first.id });
            expect(byId.id).to.equal(first.id);

            const wrongCidr = await expectRejection(provider.create({ ...i, cidr: "10.9.0.0/16", adoptId: first.id }));
            expect(wrongCidr.message).to.match(/its cidr is 10\.0\.0\.0\/16 but the program says 10\.9\.0\.0\/16/);

            const missing = await expectRejection(
                provider.create({ ...i, adoptId: "00000000-0000-0000-0000-000000000000" }),
            );
            expect(missing.message).to.match(/adoptId .*: no such VPC in account 'alice'/);
            await provider.delete(first.id, first.outs!);
        });
    });

    describe("retries", () => {
        afterEach(() => h.server.faults.clear());

        it("retries 429 (honouring Retry-After) and 5xx, and succeeds", async () => {
            h.server.faults.inject({ method: "POST", pathPattern: "/vpcs", status: 429, retryAfter: 0, count: 2 });
            h.server.faults.inject({ method: "GET", pathPattern: "/vpcs/", status: 503, count: 2 });
            h.server.clearRequests();
            const created = await provider.create(inputs());
            const posts = h.server.requests().filter((r) => r.method === "POST");
            expect(posts.map((r) => r.status)).to.deep.equal([429, 429, 200]);
            expect(h.server.requests().filter((r) => r.status === 503)).to.have.length(2);
            await provider.delete(created.id, created.outs!);
        });

        it("waits at least as long as Retry-After asks", async () => {
            h.server.faults.inject({ method: "POST", pathPattern: "/vpcs", status: 429, retryAfter: 1 });
            const started = Date.now();
            const created = await provider.create(inputs());
            expect(Date.now() - started).to.be.at.least(950);
            await provider.delete(created.id, created.outs!);
        });

        it("does not create a second VPC when the create's response is lost", async () => {
            const i = inputs();
            h.server.clearRequests();
            h.server.faults.inject({ method: "POST", pathPattern: "/vpcs", dropAfterCommit: true });
            const created = await provider.create(i);
            const client = (await import("../../provider/config")).clientFor({
                account: "alice",
                region: REGION,
                op: "read",
            });
            const same = (await client.listVpcs()).filter((v) => v.name === i.name);
            expect(same.map((v) => v.id)).to.deep.equal([created.id]);
            const posts = h.server.requests().filter((r) => r.method === "POST" && r.path.endsWith("/vpcs"));
            expect(posts.map((r) => r.dropped === true)).to.deep.equal([true]); // found by name, never re-sent
            await provider.delete(created.id, created.outs!);
        });

        it("does not duplicate when the server commits and answers 500", async () => {
            const i = inputs();
            h.server.faults.inject({ method: "POST", pathPattern: "/vpcs", errorAfterCommit: true });
            const created = await provider.create(i);
            const client = (await import("../../provider/config")).clientFor({
                account: "alice",
                region: REGION,
                op: "read",
            });
            expect((await client.listVpcs()).filter((v) => v.name === i.name)).to.have.length(1);
            await provider.delete(created.id, created.outs!);
        });

        it("records a VPC that exists but never becomes ready (error carries the id and outputs)", async () => {
            const i = { ...inputs(), timeouts: { create: "1s" }, __provider: "code" } as VpcInputs;
            h.server.faults.inject({ method: "GET", pathPattern: "/vpcs/", status: 503, count: 1000 });
            const err = await expectRejection(provider.create(i));
            h.server.faults.clear();
            expect(err.name).to.equal("ResourceInitError");
            expect(err["id"]).to.be.a("string").and.not.equal("");
            expect(err["properties"]).to.include({ name: i.name, __provider: "code" });
            expect(err.message).to.match(/was created but did not become OK/);
            await provider.delete(err["id"] as string, err["properties"] as VpcOutputs);
        });
    });

    describe("auth and connection errors", () => {
        it("says which profile's credentials were refused", async () => {
            await withEnv(
                {
                    VPCPEERING_PROFILE_MALLORY_ACCESS_KEY: h.server.accounts[0]!.accessKey,
                    VPCPEERING_PROFILE_MALLORY_SECRET_KEY: "wrong",
                    VPCPEERING_PROFILE_MALLORY_PROJECT_ID: h.project("alice"),
                },
                async () => {
                    const err = await expectRejection(provider.create(inputs({ account: "mallory" })));
                    expect(err).to.be.instanceOf(AuthError);
                    expect(err["status"]).to.equal(401);
                    expect(err.message).to.match(/account profile 'mallory'/);
                    expect(err.message).to.not.contain("wrong");
                },
            );
        });

        it("fails with a connection error naming the endpoint when nothing listens", async () => {
            await withEnv(
                { VPCPEERING_ENDPOINT: "http://127.0.0.1:9/{region}", VPCPEERING_TIMEOUT: "300ms" },
                async () => {
                    const err = await expectRejection(provider.create(inputs()));
                    expect(err).to.be.instanceOf(ApiConnectionError);
                    expect(err.message).to.contain("http://127.0.0.1:9/ap-southeast-1");
                    expect(err.message).to.match(/VPCPEERING_ENDPOINT/);
                },
            );
        });
    });
});
