// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The test hooks other suites build on: fault injection (`server.faults`), the request log
// (`server.requests()`), and the state clock (`server.advanceTime`).

import { expect } from "chai";
import type { RequestLogEntry, RunningServer } from "../../emulator/server";
import {
    createPeering,
    createVpc,
    expectGateway,
    projectOf,
    R1,
    raw,
    sdkRefusal,
    startTestServer,
    v2,
    vpcClient,
} from "./harness";

describe("API server: test hooks", () => {
    let s: RunningServer;
    let seen: RequestLogEntry[];
    before(async () => {
        seen = [];
        s = await startTestServer({ onRequest: (e) => seen.push(e) });
    });
    after(async () => {
        await s.close();
    });
    afterEach(() => {
        s.faults.clear();
    });

    const vpcs = () => `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;

    describe("faults", () => {
        it("answers 429 with Retry-After for the next matching request only, writing nothing", async () => {
            const handle = s.faults.inject({ method: "POST", pathPattern: "/vpcs", status: 429, retryAfter: 2 });
            const before = s.snapshot();
            const r = await raw(s, "POST", vpcs(), {
                as: "alice",
                body: { vpc: { name: "t429", cidr: "10.0.0.0/16" } },
            });
            expectGateway(r, 429, "APIGW.0308");
            expect(r.headers.get("retry-after")).to.equal("2");
            expect(s.snapshot()).to.deep.equal(before);
            expect(handle.remaining()).to.equal(0);
            expect(s.faults.pending()).to.equal(0);
            const again = await raw(s, "POST", vpcs(), {
                as: "alice",
                body: { vpc: { name: "t429", cidr: "10.0.0.0/16" } },
            });
            expect(again.status).to.equal(200);
            const log = s.requests().slice(-2);
            expect(log.map((e) => [e.status, e.fault])).to.deep.equal([
                [429, "refused"],
                [200, undefined],
            ]);
        });

        it("answers 503 (the default) for `count` requests, matching by RegExp, and leaves others alone", async () => {
            s.faults.inject({ pathPattern: /\/v2\.0\/vpc\/peerings$/, count: 2 });
            expectGateway(await raw(s, "GET", `/${R1}/v2.0/vpc/peerings`, { as: "alice" }), 503, "APIGW.0203");
            // Not matching: routes.
            expect((await raw(s, "GET", `/${R1}/v2.0/vpc/routes`, { as: "alice" })).status).to.equal(200);
            const err = await sdkRefusal(
                vpcClient(s, "alice", R1).listVpcPeerings(new v2.ListVpcPeeringsRequest()),
                503,
            );
            expect(err.errorCode).to.equal("APIGW.0203");
            expect((await raw(s, "GET", `/${R1}/v2.0/vpc/peerings`, { as: "alice" })).status).to.equal(200);
        });

        it("dropAfterCommit: commits the create, then drops the connection (a lost response)", async () => {
            const a = await createVpc(s, "alice", R1, "10.1.0.0/16");
            const b = await createVpc(s, "alice", R1, "10.2.0.0/16");
            s.faults.inject({ method: "POST", pathPattern: "/v2.0/vpc/peerings", dropAfterCommit: true });
            let failed: unknown;
            try {
                await createPeering(s, "alice", R1, a, b, undefined, "lost");
            } catch (e) {
                failed = e;
            }
            expect(failed, "the client must see a failure").to.not.equal(undefined);
            expect((failed as { httpStatusCode?: number }).httpStatusCode).to.equal(undefined);
            const listed: any = await vpcClient(s, "alice", R1).listVpcPeerings(
                new v2.ListVpcPeeringsRequest().withName("lost"),
            );
            expect(listed.peerings).to.have.length(1);
            const entry = s.requests().find((e) => e.method === "POST" && e.path.endsWith("/v2.0/vpc/peerings"))!;
            expect(entry).to.include({ status: 201, dropped: true, fault: "drop-after-commit" });
            // A retry of the same create is now a duplicate, as against the real cloud.
            const retry = await raw(s, "POST", `/${R1}/v2.0/vpc/peerings`, {
                as: "alice",
                body: { peering: { name: "lost", request_vpc_info: { vpc_id: a }, accept_vpc_info: { vpc_id: b } } },
            });
            expect(retry.status).to.equal(409);
        });

        it("errorAfterCommit: commits, then answers 500 instead of the real reply", async () => {
            s.faults.inject({ method: "POST", pathPattern: "/vpcs", errorAfterCommit: true });
            const r = await raw(s, "POST", vpcs(), {
                as: "alice",
                body: { vpc: { name: "half", cidr: "10.9.0.0/16" } },
            });
            expectGateway(r, 500, "APIGW.0203");
            const listed = await raw(s, "GET", vpcs(), { as: "alice" });
            expect(listed.json.vpcs.map((v: { name: string }) => v.name)).to.include("half");
            expect(s.requests().at(-2)).to.include({ status: 500, fault: "error-after-commit" });
        });

        it("can be cancelled and cleared, and refuses impossible specs", () => {
            const h = s.faults.inject({ count: 3 });
            expect(h.remaining()).to.equal(3);
            h.cancel();
            expect(h.remaining()).to.equal(0);
            expect(s.faults.pending()).to.equal(0);
            s.faults.inject({});
            s.faults.inject({});
            s.faults.clear();
            expect(s.faults.pending()).to.equal(0);
            expect(() => s.faults.inject({ status: 404 })).to.throw(TypeError);
            expect(() => s.faults.inject({ count: 0 })).to.throw(TypeError);
            expect(() => s.faults.inject({ dropAfterCommit: true, errorAfterCommit: true })).to.throw(TypeError);
            expect(() => s.faults.inject({ retryAfter: -1 })).to.throw(TypeError);
        });
    });

    describe("request log", () => {
        it("records method, path, query, status, region, project, account and error code, in order", async () => {
            s.clearRequests();
            expect(s.requests()).to.deep.equal([]);
            await raw(s, "GET", `/${R1}/v2.0/vpc/peerings?limit=1`, { as: "bob" });
            await raw(s, "GET", `/${R1}/v2.0/vpc/peerings/nope`, { as: "bob" });
            await raw(s, "GET", "/nowhere", { unsigned: true });
            const log = s.requests();
            expect(log.map((e) => [e.method, e.path, e.query, e.status, e.errorCode])).to.deep.equal([
                ["GET", `/${R1}/v2.0/vpc/peerings`, "limit=1", 200, undefined],
                ["GET", `/${R1}/v2.0/vpc/peerings/nope`, "", 404, "PeeringNotFound"],
                ["GET", "/nowhere", "", 404, "APIGW.0101"],
            ]);
            expect(log[0]).to.include({ region: R1, project: projectOf(s, "bob", R1), account: "bob" });
            expect(log[2]!.project).to.equal(undefined);
            expect(log[1]!.seq).to.be.greaterThan(log[0]!.seq);
            expect(log[0]!.requestId).to.match(/^[0-9a-f]{32}$/);
            // The onRequest sink saw the same entries.
            expect(seen.slice(-3)).to.deep.equal(log);
        });

        it("lets a test assert that no write reached the API", async () => {
            s.clearRequests();
            await vpcClient(s, "alice", R1).listVpcs(new v2.ListVpcsRequest());
            const writes = s.requests().filter((e) => e.method !== "GET");
            expect(writes).to.deep.equal([]);
        });
    });

    describe("state clock", () => {
        it("advanceTime moves VPCs from CREATING to OK", async () => {
            const slow = await startTestServer({ vpcReadyDelayMs: 5000, clock: () => Date.UTC(2030, 0, 1) });
            try {
                const id = await createVpc(slow, "alice", R1, "10.0.0.0/16");
                const client = vpcClient(slow, "alice", R1);
                const a: any = await client.showVpc(new v2.ShowVpcRequest().withVpcId(id));
                expect(a.vpc.status).to.equal("CREATING");
                slow.advanceTime(4999);
                const b: any = await client.showVpc(new v2.ShowVpcRequest().withVpcId(id));
                expect(b.vpc.status).to.equal("CREATING");
                slow.advanceTime(1);
                const c: any = await client.showVpc(new v2.ShowVpcRequest().withVpcId(id));
                expect(c.vpc.status).to.equal("OK");
                expect(() => slow.advanceTime(-1)).to.throw(TypeError);
            } finally {
                await slow.close();
            }
        });

        it("a custom clock drives timestamps", async () => {
            const fixed = await startTestServer({ clock: () => Date.UTC(2030, 0, 2, 3, 4, 5) });
            try {
                const r = await raw(fixed, "POST", `/${R1}/v1/${projectOf(fixed, "alice", R1)}/vpcs`, {
                    as: "alice",
                    body: { vpc: { name: "t", cidr: "10.0.0.0/16" } },
                });
                expect(r.json.vpc.created_at).to.equal("2030-01-02T03:04:05");
            } finally {
                await fixed.close();
            }
        });
    });
});
