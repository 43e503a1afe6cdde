// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Bad input never crashes the API server, never answers 500 and never writes: malformed JSON, wrong types,
// over-long values, oversize bodies, unknown paths and methods, bad encodings. Writes are transactional.

import { expect } from "chai";
import { Store } from "../../emulator/store";
import type { RunningServer } from "../../emulator/server";
import {
    createPeering,
    createVpc,
    expectGateway,
    expectNeutron,
    expectV1,
    onSocket,
    projectOf,
    R1,
    raw,
    RawReply,
    startTestServer,
} from "./harness";

describe("API server: bad input", () => {
    let s: RunningServer;
    let aliceVpc: string;
    let peeringId: string;
    let writePaths: Array<[string, string]>;
    before(async () => {
        s = await startTestServer();
        aliceVpc = await createVpc(s, "alice", R1, "10.1.0.0/16", "a");
        const other = await createVpc(s, "alice", R1, "10.2.0.0/16", "b");
        peeringId = (await createPeering(s, "alice", R1, aliceVpc, other)).id!;
        const p = projectOf(s, "alice", R1);
        writePaths = [
            ["POST", `/${R1}/v1/${p}/vpcs`],
            ["PUT", `/${R1}/v1/${p}/vpcs/${aliceVpc}`],
            ["POST", `/${R1}/v2.0/vpc/peerings`],
            ["PUT", `/${R1}/v2.0/vpc/peerings/${peeringId}`],
            ["POST", `/${R1}/v2.0/vpc/routes`],
        ];
    });
    after(async () => {
        await s.close();
    });

    const familyOf = (path: string) => (path.includes("/v1/") ? "v1" : "neutron");
    const expectRefused = (r: RawReply, path: string) => {
        expect(r.status, r.text).to.be.within(400, 499);
        if (familyOf(path) === "v1") expect(r.json?.code, r.text).to.equal("VPC.0101");
        else expect(r.json?.NeutronError?.type, r.text).to.be.oneOf(["InvalidInput", "MalformedRequestBody"]);
    };

    it("refuses malformed JSON on every write with the family's 400, and writes nothing", async () => {
        const before = s.snapshot();
        for (const [method, path] of writePaths) {
            for (const body of ["{", "not json", "", "[]", "null", "42", '"text"', '{"a":1}}', "\u0000", "{'a':1}"]) {
                expectRefused(await raw(s, method, path, { as: "alice", body }), path);
            }
        }
        expect(s.snapshot()).to.deep.equal(before);
    });

    it("refuses wrong types, nulls and nesting everywhere, never with a 500", async () => {
        const values: unknown[] = [null, 0, -1, 1e309, true, "", "x".repeat(300), [], [1], {}, { a: { b: { c: [] } } }];
        const before = s.snapshot();
        const keys: Record<string, string[]> = {
            vpcs: ["name", "cidr", "description", "enterprise_project_id", "tags"],
            peerings: ["name", "description", "request_vpc_info", "accept_vpc_info"],
            routes: ["type", "nexthop", "destination", "vpc_id", "tenant_id"],
        };
        let answered = 0;
        for (const [method, path] of writePaths) {
            const wrapper = path.includes("/vpcs") ? "vpc" : path.includes("peerings") ? "peering" : "route";
            const fields = keys[path.includes("/vpcs") ? "vpcs" : path.includes("peerings") ? "peerings" : "routes"]!;
            for (const v of values) {
                for (const body of [{ [wrapper]: v }, ...fields.map((k) => ({ [wrapper]: { [k]: v } }))]) {
                    const r = await raw(s, method, path, { as: "alice", body });
                    answered++;
                    expect(r.status, `${method} ${path} ${JSON.stringify(body).slice(0, 80)} → ${r.text}`).to.be.below(
                        500,
                    );
                    expect(r.headers.get("x-request-id")).to.match(/^[0-9a-f]{32}$/);
                }
            }
        }
        expect(answered).to.be.greaterThan(200);
        // Some of these are valid: every VPC field is optional (so `{"vpc": {"name": null}}` creates a VPC) and
        // a peering description of "" is a valid update. No peering or route may appear or change state.
        const after = s.snapshot();
        const idsAndStatus = (rows: unknown[]) =>
            rows.map((r) => [(r as { id: string }).id, (r as { status: string }).status]);
        expect(idsAndStatus(after.peerings!)).to.deep.equal(idsAndStatus(before.peerings!));
        expect(after.routes).to.deep.equal(before.routes);
    });

    it("refuses over-long names and descriptions", async () => {
        const p = projectOf(s, "alice", R1);
        expectV1(
            await raw(s, "POST", `/${R1}/v1/${p}/vpcs`, { as: "alice", body: { vpc: { name: "é".repeat(65) } } }),
            400,
            "VPC.0101",
        );
        expect(
            (await raw(s, "POST", `/${R1}/v1/${p}/vpcs`, { as: "alice", body: { vpc: { name: "é".repeat(64) } } }))
                .status,
        ).to.equal(200);
        expectNeutron(
            await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${peeringId}`, {
                as: "alice",
                body: { peering: { description: "d".repeat(256) } },
            }),
            400,
            "InvalidInput",
        );
    });

    it("refuses a body over the size limit with 413 and writes nothing", async () => {
        const small = await startTestServer({ maxBodyBytes: 1024 });
        try {
            const path = `/${R1}/v1/${projectOf(small, "alice", R1)}/vpcs`;
            const r = await raw(small, "POST", path, {
                as: "alice",
                body: { vpc: { name: "big", description: "x".repeat(2000) } },
            });
            expectGateway(r, 413, "APIGW.0201");
            expect(small.snapshot().vpcs).to.deep.equal([]);
            // Far over the limit: the connection is cut, or the 413 arrives; never a write, never a crash.
            const huge = await raw(small, "POST", path, { as: "alice", body: "x".repeat(1024 * 1024) }).catch(
                () => undefined,
            );
            if (huge) expect(huge.status).to.equal(413);
            expect((await raw(small, "GET", path, { as: "alice" })).status).to.equal(200);
        } finally {
            await small.close();
        }
    });

    it("answers unknown paths, regions and methods with 404 APIGW.0101", async () => {
        const p = projectOf(s, "alice", R1);
        const cases: Array<[string, string]> = [
            ["GET", "/"],
            ["GET", "/nope"],
            ["GET", `/${R1}`],
            ["GET", `/${R1}/`],
            ["GET", `/${R1}/v2.0/vpc/nope`],
            ["GET", "/ap-southeast-2/v2.0/vpc/peerings"],
            ["GET", "/v2.0/vpc/peerings"],
            ["POST", `/${R1}/v1//vpcs`],
            ["PATCH", `/${R1}/v2.0/vpc/peerings/${peeringId}`],
            ["DELETE", `/${R1}/v2.0/vpc/peerings`],
            ["PUT", `/${R1}/v2.0/vpc/routes/x`],
            ["POST", `/${R1}/v2.0/vpc/peerings/${peeringId}/accept`],
            ["GET", `/${R1}/v2.0/vpc/peerings/%ZZ`],
            ["GET", `/${R1}/v1/${p}/vpcs/a/b/c`],
            ["OPTIONS", `/${R1}/v2.0/vpc/peerings`],
        ];
        for (const [method, path] of cases) {
            const r = await raw(s, method, path, { as: "alice" });
            expectGateway(r, 404, "APIGW.0101");
        }
        // Unauthenticated probes get the same answer (routing comes before authentication).
        expectGateway(await raw(s, "GET", "/nope", { unsigned: true }), 404, "APIGW.0101");
    });

    it("tolerates odd but valid requests", async () => {
        // A trailing slash, an encoded path segment, unknown query parameters.
        expect((await raw(s, "GET", `/${R1}/v2.0/vpc/peerings/`, { as: "alice" })).status).to.equal(200);
        expect(
            (await raw(s, "GET", `/${R1}/v2.0/vpc/peerings/${encodeURIComponent(peeringId)}`, { as: "alice" })).status,
        ).to.equal(200);
        expect(
            (await raw(s, "GET", `/${R1}/v2.0/vpc/peerings?fields=id&sort_key=id`, { as: "alice" })).status,
        ).to.equal(200);
        expect((await raw(s, "GET", `/${R1}/v2.0/vpc/peerings?limit=0`, { as: "alice" })).status).to.equal(200);
        // Accept with an (ignored) body.
        const r = await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${peeringId}/accept`, { as: "alice", body: "{" });
        expectNeutron(r, 409, "VpcPeeringStateConflict");
    });

    it("answers garbage on the socket with a gateway 400 and keeps serving", async () => {
        const answer = await onSocket(s, "GARBAGE / HTTP/9.9\r\n\r\n");
        expect(answer).to.match(/^HTTP\/1\.1 400 /);
        expect(answer).to.match(/X-Request-Id: [0-9a-f]{32}/);
        expect(answer).to.contain('"error_code":"APIGW.0201"');
        expect((await raw(s, "GET", `/${R1}/v2.0/vpc/peerings`, { as: "alice" })).status).to.equal(200);
    });

    it("never logged a 500", () => {
        expect(s.requests().filter((r) => r.status >= 500)).to.deep.equal([]);
    });
});

describe("Store transactions", () => {
    it("roll back every write of a failing transaction", () => {
        const store = new Store();
        try {
            const vpc = {
                id: "v1",
                region: R1,
                project_id: "p",
                name: "n",
                description: "",
                cidr: "10.0.0.0/16",
                enterprise_project_id: "0",
                ready_at: 0,
                created_at: 0,
                updated_at: 0,
            };
            const before = store.snapshot();
            expect(() =>
                store.transaction(() => {
                    store.insertVpc(vpc);
                    store.insertVpc({ ...vpc, id: "v2" });
                    throw new Error("boom");
                }),
            ).to.throw("boom");
            expect(store.snapshot()).to.deep.equal(before);
            store.transaction(() => store.insertVpc(vpc));
            expect(store.snapshot().vpcs).to.have.length(1);
        } finally {
            store.close();
        }
    });
});
