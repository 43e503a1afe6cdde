// End-to-end with the real Pulumi engine (CLI built from Go modules) and the real API server:
// the quickstart's whole life, and the cross-account program in a single `up`.

import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { Stack } from "@pulumi/pulumi/automation";
import { exampleDir, E2eFixture, startE2e } from "../helpers/e2e";

/** Destroys and removes the stack (if it was made), its stack file in the example folder, and the fixture. */
async function tearDown(fx: E2eFixture | undefined, stack: Stack | undefined, workDir: string, stackName: string) {
    try {
        await stack?.destroy({ color: "never" });
        await stack?.workspace.removeStack(stackName);
    } finally {
        fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
        await fx?.cleanup();
    }
}

describe("e2e: quickstart lifecycle on the real engine", function () {
    let fx: E2eFixture;
    let stack: Stack;
    const workDir = exampleDir("quickstart");
    const stackName = `e2e-life-${process.pid}`;

    before(async () => {
        fx = await startE2e();
        stack = await fx.stack(workDir, stackName);
    });
    after(() => tearDown(fx, stack, workDir, stackName));

    const alice = () => fx.client("alice");
    let outputs: Record<string, unknown> = {};

    it("up creates two VPCs, an ACTIVE peering and a route each way, matching the API", async () => {
        const res = await stack.up({ color: "never" });
        expect(res.summary.result).to.equal("succeeded");
        outputs = Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, v.value]));
        const vpcs = await alice().listVpcs();
        expect(vpcs.map((v) => v.id).sort()).to.deep.equal([outputs.appVpcId, outputs.dataVpcId].sort());
        // No name in the program: Pulumi-style auto-names, the resource name plus a random suffix.
        expect(vpcs.map((v) => `${v.name.replace(/-[0-9a-f]{7}$/, "-*")} ${v.cidr} ${v.status}`).sort()).to.deep.equal([
            "app-* 10.10.0.0/16 OK",
            "data-* 10.20.0.0/16 OK",
        ]);
        // Tags: in the outputs and in the API (v2.0 tags call), as the program gives them.
        expect(outputs.appTags).to.deep.equal({ example: "quickstart", team: "platform" });
        expect(await alice().listVpcTags(String(outputs.appVpcId))).to.deep.include({ key: "team", value: "platform" });
        const peering = await alice().getPeering(String(outputs.peeringId));
        expect(peering.status).to.equal("ACTIVE");
        expect(outputs.peeringStatus).to.equal("ACTIVE");
        expect(peering.request_vpc_info.vpc_id).to.equal(outputs.appVpcId);
        expect(peering.accept_vpc_info.vpc_id).to.equal(outputs.dataVpcId);
        const routes = await alice().listRoutes();
        expect(
            routes
                .map(
                    (r) =>
                        `${r.vpc_id === outputs.appVpcId ? "app" : "data"} ${r.destination} ${r.nexthop === outputs.peeringId}`,
                )
                .sort(),
        ).to.deep.equal(["app 10.20.0.0/16 true", "data 10.10.0.0/16 true"]);
    });

    it("no credential of any account is in the state, in plain text or otherwise", async () => {
        const state = JSON.stringify(await stack.exportStack());
        expect(state).to.contain("pulumi-vpc-peering/provider"); // the serialized provider is there...
        for (const a of fx.server.accounts) {
            expect(state).to.not.contain(a.secretKey); // ...but no secret key
            expect(state).to.not.contain(a.accessKey); // nor access key
        }
    });

    it("refresh finds no drift and a preview has no changes", async () => {
        fx.markWrites();
        const refreshed = await stack.refresh({ color: "never" });
        expect(refreshed.summary.resourceChanges ?? {}).to.not.have.any.keys("update", "delete", "create", "replace");
        const preview = await stack.preview({ color: "never", expectNoChanges: true });
        expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).to.deep.equal([]);
        expect(fx.writes()).to.deep.equal([]);
    });

    it("a rename is an in-place update: same VPC id, new name in the API", async () => {
        await stack.setConfig("appName", { value: "app-renamed" });
        await stack.setConfig("team", { value: "payments" }); // a tag change is in place too
        // `pulumi preview --diff` shows the change and none of the internal inputs (the check payload and the rest).
        const diff = await stack.preview({ diff: true, color: "never" });
        expect(diff.stdout).to.match(/name.*"app-renamed"/);
        expect(diff.stdout).to.not.match(/__checks|__provider|__resourceName/);
        const res = await stack.up({ color: "never" });
        expect(res.summary.resourceChanges).to.include({ update: 1 });
        expect(res.summary.resourceChanges).to.not.have.any.keys("replace", "create", "delete");
        expect(res.outputs.appVpcId!.value).to.equal(outputs.appVpcId);
        expect((await alice().getVpc(String(outputs.appVpcId))).name).to.equal("app-renamed");
        expect(await alice().listVpcTags(String(outputs.appVpcId))).to.deep.include({ key: "team", value: "payments" });
    });

    it("a CIDR change updates the VPC in place: same id and peering, the peer's route follows the new CIDR", async () => {
        await stack.removeConfig("appName"); // back to auto-naming: the VPC keeps its last name (no replacement)
        await stack.setConfig("appCidr", { value: "10.11.0.0/16" });
        fx.markWrites();
        const res = await stack.up({ color: "never" });
        expect(res.summary.result).to.equal("succeeded");
        expect(res.summary.resourceChanges!.update).to.be.at.least(1);
        expect(String(res.outputs.appVpcId!.value)).to.equal(outputs.appVpcId);
        const vpc = await alice().getVpc(String(outputs.appVpcId));
        expect(vpc.cidr).to.equal("10.11.0.0/16");
        expect(vpc.name).to.equal("app-renamed");
        const writes = fx.writes().map((w) => `${w.method} ${w.path}`);
        const vpcWrites = writes.filter((w) => /\/vpcs(\/|$)/.test(w));
        expect(vpcWrites, writes.join("\n")).to.deep.equal([
            `PUT /ap-southeast-1/v1/${alice().projectId}/vpcs/${outputs.appVpcId}`,
        ]);
        const peerings = await alice().listPeerings();
        expect(peerings.map((p) => [p.id, p.status])).to.deep.equal([[outputs.peeringId, "ACTIVE"]]);
        const routes = await alice().listRoutes();
        expect(routes.map((r) => r.destination).sort()).to.deep.equal(["10.11.0.0/16", "10.20.0.0/16"]);
        outputs = Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, v.value]));
    });

    it("drift: a peering deleted behind Pulumi's back is noticed by refresh, and up recreates it with its routes", async () => {
        await alice().deletePeering(String(outputs.peeringId));
        expect(await alice().listRoutes()).to.deep.equal([]); // the API deletes routes through the peering
        const refreshed = await stack.refresh({ color: "never" });
        expect(refreshed.summary.resourceChanges!.delete).to.equal(3); // the peering and both routes
        const res = await stack.up({ color: "never" });
        expect(res.summary.resourceChanges!.create).to.equal(3);
        const peeringId = String(res.outputs.peeringId!.value);
        expect(peeringId).to.not.equal(outputs.peeringId);
        expect((await alice().getPeering(peeringId)).status).to.equal("ACTIVE");
        const routes = await alice().listRoutes();
        expect(routes.map((r) => [r.destination, r.nexthop]).sort()).to.deep.equal(
            [
                ["10.11.0.0/16", peeringId],
                ["10.20.0.0/16", peeringId],
            ].sort(),
        );
    });

    it("destroy leaves nothing in the API", async () => {
        const res = await stack.destroy({ color: "never" });
        expect(res.summary.result).to.equal("succeeded");
        const snap = fx.server.snapshot();
        expect({ vpcs: snap.vpcs?.length, peerings: snap.peerings?.length, routes: snap.routes?.length }).to.deep.equal(
            {
                vpcs: 0,
                peerings: 0,
                routes: 0,
            },
        );
    });
});

describe("e2e: cross-account in one program, one up", function () {
    let fx: E2eFixture;
    let stack: Stack;
    const workDir = exampleDir("cross-account");
    const stackName = `e2e-xacct-${process.pid}`;

    before(async () => {
        fx = await startE2e();
        stack = await fx.stack(workDir, stackName);
    });
    after(() => tearDown(fx, stack, workDir, stackName));

    it("requests as alice, accepts as bob, and routes both sides in a single up", async () => {
        const res = await stack.up({ color: "never" });
        expect(res.summary.result).to.equal("succeeded");
        const peeringId = String(res.outputs.peeringId!.value);
        expect(res.outputs.acceptedStatus!.value).to.equal("ACTIVE");
        const bob = fx.client("bob");
        const alice = fx.client("alice");
        const seenByBob = await bob.getPeering(peeringId);
        expect(seenByBob.status).to.equal("ACTIVE");
        expect(seenByBob.request_vpc_info.tenant_id).to.not.equal(seenByBob.accept_vpc_info.tenant_id);
        expect((await alice.listRoutes()).map((r) => r.destination)).to.deep.equal(["10.40.0.0/16"]);
        expect((await bob.listRoutes()).map((r) => r.destination)).to.deep.equal(["10.30.0.0/16"]);
        // The accept came from bob's project, after alice's request.
        const log = fx.server.requests().filter((r) => r.method !== "GET" && r.path.includes("/peerings"));
        const create = log.find((r) => r.method === "POST");
        const accept = log.find((r) => r.path.endsWith("/accept"));
        expect(create?.account).to.equal("alice");
        expect(accept?.account).to.equal("bob");
        expect(accept!.seq).to.be.greaterThan(create!.seq);
    });

    it("destroy removes both sides", async () => {
        await stack.destroy({ color: "never" });
        const snap = fx.server.snapshot();
        expect([snap.vpcs?.length, snap.peerings?.length, snap.routes?.length]).to.deep.equal([0, 0, 0]);
    });
});

describe("e2e: adopting existing objects (Vpc.get and adoptId) on the real engine", function () {
    let fx: E2eFixture;
    let stack: Stack;
    const workDir = exampleDir("adopt");
    const stackName = `e2e-adopt-${process.pid}`;

    before(async () => {
        fx = await startE2e();
    });
    after(() => tearDown(fx, stack, workDir, stackName));

    it("reads one VPC, adopts another without creating a VPC, and destroy deletes only the adopted one", async () => {
        const alice = fx.client("alice");
        const shared = await alice.createVpc({ name: "shared", cidr: "10.80.0.0/16" });
        const legacy = await alice.createVpc({ name: "legacy", cidr: "10.81.0.0/16" });
        fx.server.advanceTime(60_000); // the server's clock past the VPCs' ready delay: both OK
        stack = await fx.stack(workDir, stackName, { sharedVpcId: shared.id, legacyVpcId: legacy.id });
        fx.markWrites();
        const res = await stack.up({ color: "never" });
        expect(res.outputs.sharedCidr!.value).to.equal("10.80.0.0/16");
        expect(res.outputs.legacyId!.value).to.equal(legacy.id);
        expect(res.outputs.peeringStatus!.value).to.equal("ACTIVE");
        const writes = fx.writes();
        expect(writes.filter((w) => w.path.endsWith("/vpcs"))).to.deep.equal([]); // no VPC created
        expect(
            writes.map((w) => `${w.method} ${w.path.replace(/\/[0-9a-f-]{32,36}(?=\/|$)/g, "/{id}")}`),
        ).to.deep.equal(["POST /ap-southeast-1/v2.0/vpc/peerings"]);
        await stack.destroy({ color: "never" });
        const left = (await alice.listVpcs()).map((v) => v.id);
        expect(left).to.deep.equal([shared.id]);
    });
});
