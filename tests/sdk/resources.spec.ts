// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Program wiring with pulumi.runtime.setMocks: type tokens, the inputs each class sends (defaults, facts for the
// preview checks, ids from other resources), secrets that stay secret, and no credentials anywhere.

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";

import type { ChecksPayload } from "../../core/checksPayload";
import { PeeringAccepter, PeeringConnection, Route, Vpc } from "../../sdk";
import { resetGraphForTests } from "../../sdk/graph";

interface Registration {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    id?: string;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const PROJECTS: Record<string, string> = { alice: "a".repeat(32), bob: "b".repeat(32) };

/** Deployed outputs of other stacks, as StackReferences read them. */
const STACK_OUTPUTS: Record<string, Record<string, unknown>> = {
    "organization/net/dev": { paymentsCidr: "10.40.0.0/16", paymentsId: "vpc-p", region: "ap-southeast-1" },
};

const registrations: Registration[] = [];
const unhandled: unknown[] = [];

function value<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** The `registered` calls still waiting, each with the names it waits for; the mock's `newResource` settles them. */
const waiting: { names: string[]; settle: () => boolean }[] = [];

/** Resolves once the registrations of `names` arrived (on the mock's registration of the last one: no polling). */
function registered(...names: string[]): Promise<Registration[]> {
    return new Promise((resolve) => {
        const settle = (): boolean => {
            const found = names.map((n) => registrations.find((r) => r.name === n));
            if (!found.every((r) => r !== undefined)) return false;
            resolve(found as Registration[]);
            return true;
        };
        if (!settle()) waiting.push({ names, settle });
    });
}

/** Called by the mock after each registration. */
function settleWaiting(): void {
    for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!.settle()) waiting.splice(i, 1);
}

describe("SDK classes (setMocks)", function () {
    const onUnhandled = (e: unknown) => unhandled.push(e);
    before(() => {
        resetGraphForTests();
        process.on("unhandledRejection", onUnhandled);
        pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registrations.push({
                        type: args.type,
                        name: args.name,
                        inputs: args.inputs,
                        id: args.id || undefined,
                    });
                    settleWaiting();
                    const account = String(args.inputs["account"] ?? "");
                    const state: Record<string, unknown> = { ...args.inputs };
                    if (args.type.endsWith(":Vpc"))
                        Object.assign(state, { projectId: PROJECTS[account], status: "OK" });
                    if (args.type === "pulumi:pulumi:StackReference")
                        Object.assign(state, { outputs: STACK_OUTPUTS[String(args.inputs["name"])] ?? {} });
                    return { id: args.id || `${args.name}-id`, state };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            false,
        );
        process.env["VPCPEERING_PROFILE_ALICE_SECRET_KEY"] = "super-secret-sk";
    });
    after(() => {
        resetGraphForTests();
        process.off("unhandledRejection", onUnhandled);
        delete process.env["VPCPEERING_PROFILE_ALICE_SECRET_KEY"];
    });
    afterEach(() => {
        // A test that timed out waiting for a registration: say which never came.
        const never = waiting.splice(0).flatMap((w) => w.names.filter((n) => !registrations.some((r) => r.name === n)));
        expect(never, "resources never registered").to.deep.equal([]);
        expect(unhandled, "unhandled rejections (e.g. serialization failures)").to.deep.equal([]);
    });

    it("maps customTimeouts onto the resource's timeouts, and refuses opts.import naming adoptId and get", async () => {
        new Vpc(
            "ct-a",
            { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" },
            { customTimeouts: { create: "20m", delete: "1h30m" } },
        );
        new Vpc(
            "ct-b",
            { cidr: "10.1.0.0/16", region: "ap-southeast-1", account: "alice", timeouts: { delete: "5m" } },
            { customTimeouts: { create: "20m", delete: "1h" } },
        );
        const [a, b] = await registered("ct-a", "ct-b");
        expect(a!.inputs["timeouts"]).to.deep.equal({ create: "20m", delete: "1h30m" });
        expect(b!.inputs["timeouts"]).to.deep.equal({ create: "20m", delete: "5m" }); // the argument wins
        expect(
            () =>
                new Vpc(
                    "imp",
                    { cidr: "10.2.0.0/16", region: "ap-southeast-1", account: "alice" },
                    { import: "vpc-1" },
                ),
        ).to.throw(/Vpc 'imp': the import option does not work for dynamic resources.*adoptId: "<vpc id>".*Vpc\.get/);
    });

    it("registers custom type tokens and leaves the API name to auto-naming", async () => {
        const a = new Vpc("tok-a", { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" });
        const [reg] = await registered("tok-a");
        expect(reg!.type).to.equal("pulumi-nodejs:dynamic/peering:Vpc");
        expect(reg!.inputs).to.not.have.property("name"); // the provider's check generates it
        expect(reg!.inputs).to.include({
            cidr: "10.0.0.0/16",
            region: "ap-southeast-1",
            account: "alice",
            __resourceName: "tok-a",
        });
        expect(reg!.inputs["__provider"]).to.be.a("string").and.contain('require("pulumi-vpc-peering/provider")');
        expect(await value(a.projectId)).to.equal(PROJECTS["alice"]);
        expect(await value(a.status)).to.equal("OK");
        expect(a.resourceName).to.equal("tok-a");
    });

    it("wires a same-account PeeringConnection and Route from Vpc objects, with facts for the checks", async () => {
        const a = new Vpc("s-a", { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" });
        const b = new Vpc("s-b", { cidr: "10.1.0.0/16", region: "ap-southeast-1", account: "alice", name: "bee" });
        const ab = new PeeringConnection("s-ab", { requesterVpc: a, accepterVpc: b });
        new Route("s-a-to-b", { vpc: a, destination: b.cidr, peeringConnection: ab });
        const [pc, route] = await registered("s-ab", "s-a-to-b");
        expect(pc!.type).to.equal("pulumi-nodejs:dynamic/peering:PeeringConnection");
        expect(pc!.inputs).to.not.have.property("name"); // auto-named by the provider's check
        expect(pc!.inputs).to.include({
            region: "ap-southeast-1",
            account: "alice",
            requesterVpcId: "s-a-id",
            accepterVpcId: "s-b-id",
        });
        expect(pc!.inputs).to.not.have.property("peerProjectId"); // same account: no peer project
        // The peering's facts travel once too: its requester/accepter inputs keep only the project ids (its VPC ids
        // are requesterVpcId/accepterVpcId).
        const pcChecks = JSON.parse(pc!.inputs["__checks"] as string) as ChecksPayload;
        expect(pcChecks.facts.peering?.requester).to.include({ name: "s-a", cidr: "10.0.0.0/16", account: "alice" });
        expect(pc!.inputs["requester"]).to.deep.equal({ projectId: PROJECTS["alice"] });
        expect(pc!.inputs["accepter"]).to.deep.equal({ projectId: PROJECTS["alice"] });
        expect(route!.type).to.equal("pulumi-nodejs:dynamic/peering:Route");
        expect(route!.inputs).to.include({
            vpcId: "s-a-id",
            destination: "10.1.0.0/16",
            peeringConnectionId: "s-ab-id",
            region: "ap-southeast-1",
            account: "alice",
        });
        // The route's facts travel once, in `__checks`; its facts inputs carry only the ids of the peering's VPCs
        // (each value is stored in the state, which the engine serializes after every step — even in a preview):
        // its own ids are the vpcId and peeringConnectionId inputs, and no route rule reads a project id.
        const checks = JSON.parse(route!.inputs["__checks"] as string) as ChecksPayload;
        expect(checks.facts.route?.vpc).to.include({ name: "s-a", cidr: "10.0.0.0/16", account: "alice" });
        expect(checks.facts.route?.peering).to.deep.include({ name: "s-ab" });
        expect(checks.facts.route?.peering?.accepter).to.include({ name: "s-b", cidr: "10.1.0.0/16" });
        expect(route!.inputs).to.not.have.property("vpc");
        expect(route!.inputs["peering"]).to.deep.equal({ requester: { id: "s-a-id" }, accepter: { id: "s-b-id" } });
    });

    it("wires a cross-account peering: peer project from the accepter Vpc, accepter and route through it", async () => {
        const a = new Vpc("x-a", { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" });
        const b = new Vpc("x-b", { cidr: "10.1.0.0/16", region: "ap-southeast-1", account: "bob" });
        const ab = new PeeringConnection("x-ab", { requesterVpc: a, accepterVpc: b });
        const acc = new PeeringAccepter("x-acc", { peeringConnection: ab, account: "bob", deleteOnDestroy: true });
        new Route("x-b-to-a", { vpc: b, destination: a.cidr, peeringConnection: acc });
        const [pc, accepter, route] = await registered("x-ab", "x-acc", "x-b-to-a");
        expect(pc!.inputs["peerProjectId"]).to.equal(PROJECTS["bob"]);
        expect(accepter!.type).to.equal("pulumi-nodejs:dynamic/peering:PeeringAccepter");
        expect(accepter!.inputs).to.include({
            peeringConnectionId: "x-ab-id",
            account: "bob",
            region: "ap-southeast-1",
            deleteOnDestroy: true,
        });
        expect(accepter!.inputs).to.not.have.property("reject");
        // The accepter's peering facts: the program's are in `__checks`; its input keeps the VPCs' ids and projects.
        const accChecks = JSON.parse(accepter!.inputs["__checks"] as string) as ChecksPayload;
        expect(accChecks.facts.accepter?.peering).to.deep.include({ name: "x-ab" });
        expect(accepter!.inputs["peering"]).to.deep.equal({
            requester: { id: "x-a-id", projectId: PROJECTS["alice"] },
            accepter: { id: "x-b-id", projectId: PROJECTS["bob"] },
            peerProjectId: PROJECTS["bob"],
        });
        expect(route!.inputs).to.include({ peeringConnectionId: "x-ab-id", account: "bob", vpcId: "x-b-id" });
    });

    it("accepts ids for resources outside the program, and refuses incomplete arguments", async () => {
        new PeeringConnection("id-ab", {
            requesterVpcId: "vpc-1",
            accepterVpcId: "vpc-2",
            peerProjectId: PROJECTS["bob"],
            region: "ap-southeast-1",
            account: "alice",
        });
        new PeeringAccepter("id-acc", { peeringConnectionId: "pcx-1", region: "ap-southeast-1", account: "bob" });
        new Route("id-r", {
            vpcId: "vpc-2",
            destination: "10.0.0.0/16",
            peeringConnectionId: "pcx-1",
            region: "ap-southeast-1",
            account: "bob",
        });
        const [pc, acc, r] = await registered("id-ab", "id-acc", "id-r");
        expect(pc!.inputs).to.include({
            requesterVpcId: "vpc-1",
            accepterVpcId: "vpc-2",
            peerProjectId: PROJECTS["bob"],
        });
        expect(acc!.inputs).to.include({ peeringConnectionId: "pcx-1" });
        expect(r!.inputs).to.include({ vpcId: "vpc-2", peeringConnectionId: "pcx-1" });

        expect(() => new PeeringConnection("bad-1", { accepterVpcId: "vpc-2" })).to.throw(
            /give requesterVpc \(a Vpc\) or requesterVpcId/,
        );
        expect(() => new PeeringConnection("bad-2", { requesterVpcId: "v", accepterVpcId: "w" })).to.throw(
            /also give region and account/,
        );
        expect(() => new PeeringAccepter("bad-3", { account: "bob" })).to.throw(
            /give peeringConnection or peeringConnectionId/,
        );
        expect(() => new Route("bad-4", { destination: "10.0.0.0/16", vpcId: "v" })).to.throw(
            /also give region and account/,
        );
    });

    it("keeps secret inputs secret and never puts credentials in inputs", async () => {
        new Vpc("sec-a", {
            cidr: "10.0.0.0/16",
            region: "ap-southeast-1",
            account: "alice",
            description: pulumi.secret("internal billing VPC"),
        });
        const [reg] = await registered("sec-a");
        const desc = reg!.inputs["description"] as Record<string, unknown>;
        expect(desc[SECRET_SIG]).to.be.a("string");
        expect(desc["value"]).to.equal("internal billing VPC");
        const all = JSON.stringify(registrations);
        expect(all).to.not.contain("super-secret-sk");
        expect(all).to.not.match(/secretKey|accessKey/);
    });

    it("reads existing objects with static get (region and account as state)", async () => {
        const v = Vpc.get("got-vpc", "vpc-123", { region: "ap-southeast-1", account: "alice" });
        PeeringConnection.get("got-pc", "pcx-123", { region: "ap-southeast-1", account: "alice" });
        PeeringAccepter.get("got-acc", "pcx-123", { region: "ap-southeast-1", account: "bob" });
        Route.get("got-route", "rt-123", { region: "ap-southeast-1", account: "alice" });
        const regs = await registered("got-vpc", "got-pc", "got-acc", "got-route");
        expect(regs.map((r) => r.id)).to.deep.equal(["vpc-123", "pcx-123", "pcx-123", "rt-123"]);
        expect(regs[0]!.type).to.equal("pulumi-nodejs:dynamic/peering:Vpc");
        expect(regs[0]!.inputs).to.include({ region: "ap-southeast-1", account: "alice" });
        expect(regs[0]!.inputs["__provider"]).to.be.a("string");
        expect(await value(v.id)).to.equal("vpc-123");
    });

    it("a fact read through a StackReference from an output the plan changes is not final: unknown, and said", async () => {
        resetGraphForTests();
        process.env["VPCPEERING_PLANNED_OUTPUTS"] = JSON.stringify({
            "organization/net/dev": { paymentsCidr: { deployed: "10.40.0.0/16", planned: "10.41.0.0/16" } },
        });
        try {
            const net = new pulumi.StackReference("organization/net/dev");
            new Route("nf-route", {
                vpc: { id: "vpc-s", cidr: "10.30.0.0/16", region: "ap-southeast-1", account: "alice" },
                peerVpc: {
                    id: net.requireOutput("paymentsId") as pulumi.Output<string>,
                    cidr: net.requireOutput("paymentsCidr") as pulumi.Output<string>,
                },
                destination: net.requireOutput("paymentsCidr") as pulumi.Output<string>,
                peeringConnectionId: "peer-1",
                region: net.requireOutput("region") as pulumi.Output<string>,
                account: "alice",
            });
            const [route] = await registered("nf-route");
            const checks = JSON.parse(String(route!.inputs["__checks"])) as {
                facts: { route: { destination?: string; peering: { accepter: { id?: string; cidr?: string } } } };
                notFinal?: unknown[];
            };
            // The outputs that do not change stay facts; the changing one is unknown, and named once.
            expect(checks.facts.route.destination).to.equal(undefined);
            expect(checks.facts.route.peering.accepter).to.include({ id: "vpc-p" });
            expect(checks.facts.route.peering.accepter.cidr).to.equal(undefined);
            expect(checks.notFinal).to.deep.equal([
                {
                    stack: "organization/net/dev",
                    output: "paymentsCidr",
                    deployed: "10.40.0.0/16",
                    planned: "10.41.0.0/16",
                },
            ]);
            // The resource's own input is the deployed value (what the StackReference reads).
            expect(route!.inputs["destination"]).to.equal("10.40.0.0/16");
        } finally {
            delete process.env["VPCPEERING_PLANNED_OUTPUTS"];
            resetGraphForTests();
        }
    });
});
