// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// A hostile client against the API server: text that storage would silently alter (NUL, control
// characters, lone surrogates, invalid UTF-8), megabytes of distinct bad CIDRs against a small heap,
// non-canonical CIDRs, and requests node's HTTP layer answers below the router (no Host, a bogus Expect,
// CONNECT, HEAD). Each is refused with a clear 4xx in the gateway or family shape and changes nothing.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { RunningServer } from "../../emulator/server";
import { loadSqlite } from "../../emulator/sqlite";
import { signRequest } from "../../provider/signing/akskSigner";
import {
    account,
    createPeering,
    createRoute,
    createVpc,
    expectGateway,
    expectNeutron,
    expectV1,
    onSocket,
    projectOf,
    R1,
    raw,
    startTestServer,
} from "./harness";

/** The JSON body of a raw HTTP answer. */
function bodyOf(answer: string): { error_code?: string; error_msg?: string; request_id?: string } {
    return JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
}

describe("API server: hostile input", () => {
    let s: RunningServer;
    let vpcA: string;
    let vpcB: string;
    let peeringId: string;
    let vpcsPath: string;
    before(async () => {
        s = await startTestServer();
        vpcA = await createVpc(s, "alice", R1, "10.1.0.0/16", "a");
        vpcB = await createVpc(s, "alice", R1, "10.2.0.0/16", "b");
        peeringId = (await createPeering(s, "alice", R1, vpcA, vpcB)).id!;
        vpcsPath = `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;
    });
    after(async () => {
        await s.close();
    });

    describe("text that storage would alter", () => {
        const bad: Array<[string, string]> = [
            ["a NUL", "before\u0000after"],
            ["a control character", "bell\u0007"],
            ["a lone high surrogate", "a\uD800b"],
            ["a lone low surrogate", "\uDC00"],
        ];
        for (const [what, text] of bad) {
            it(`refuses ${what} in names and descriptions of VPCs and peerings (create and update), writing nothing`, async () => {
                const before = s.snapshot();
                for (const field of ["name", "description"]) {
                    const inVpc = { vpc: { [field]: text, cidr: "10.9.0.0/16" } };
                    const v1 = await raw(s, "POST", vpcsPath, { as: "alice", body: inVpc });
                    expectV1(v1, 400, "VPC.0101");
                    expect(v1.json.message).to.match(/control character|lone surrogate|may contain only/);
                    expectV1(
                        await raw(s, "PUT", `${vpcsPath}/${vpcA}`, { as: "alice", body: { vpc: { [field]: text } } }),
                        400,
                        "VPC.0101",
                    );
                    const peering = await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${peeringId}`, {
                        as: "alice",
                        body: { peering: { [field]: text } },
                    });
                    expectNeutron(peering, 400, "InvalidInput");
                    const create = await raw(s, "POST", `/${R1}/v2.0/vpc/peerings`, {
                        as: "alice",
                        body: {
                            peering: {
                                name: field === "name" ? text : "p",
                                [field]: text,
                                request_vpc_info: { vpc_id: vpcA },
                                accept_vpc_info: { vpc_id: vpcB },
                            },
                        },
                    });
                    expect(create.status, create.text).to.equal(400);
                }
                expect(s.snapshot()).to.deep.equal(before);
            });
        }

        it("refuses them in every other string field too (ids, route fields, IAM), and in JSON keys", async () => {
            const before = s.snapshot();
            const route = await raw(s, "POST", `/${R1}/v2.0/vpc/routes`, {
                as: "alice",
                body: {
                    route: { type: "peering", nexthop: `${peeringId}\u0000`, destination: "10.2.0.0/16", vpc_id: vpcA },
                },
            });
            expectNeutron(route, 400, "InvalidInput");
            expect(route.json.NeutronError.message).to.contain(
                "body.route.nexthop contains the control character U+0000",
            );
            const key = await raw(s, "PUT", `${vpcsPath}/${vpcA}`, {
                as: "alice",
                body: { vpc: { "na\u0000me": "x" } },
            });
            expectV1(key, 400, "VPC.0101");
            const token = await raw(s, "POST", "/v3/auth/tokens", {
                unsigned: true,
                body: { auth: { identity: { methods: ["password"], password: { user: { name: "alice\uD800" } } } } },
            });
            expectGateway(token, 400, "APIGW.0201");
            expect(s.snapshot()).to.deep.equal(before);
        });

        it("refuses a body that is not valid UTF-8 instead of replacing bytes with U+FFFD", async () => {
            const before = s.snapshot();
            const body = Buffer.concat([
                Buffer.from('{"vpc":{"name":"bad-utf8","description":"'),
                Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]),
                Buffer.from('","cidr":"10.9.0.0/16"}}'),
            ]);
            const r = await raw(s, "POST", vpcsPath, { as: "alice", body });
            expectV1(r, 400, "VPC.0101");
            expect(r.json.message).to.contain("not valid UTF-8");
            expect(s.snapshot()).to.deep.equal(before);
        });

        it("keeps what is valid exactly: tabs and line breaks, accents, and characters outside the BMP", async () => {
            const description = "line one\nline two\ttabbed — é 中文 🙂";
            const r = await raw(s, "POST", vpcsPath, {
                as: "alice",
                body: { vpc: { name: "vpc-中文", description, cidr: "10.8.0.0/16" } },
            });
            expect(r.status, r.text).to.equal(200);
            const shown = await raw(s, "GET", `${vpcsPath}/${r.json.vpc.id}`, { as: "alice" });
            expect(shown.json.vpc.description).to.equal(description);
            expect(shown.json.vpc.name).to.equal("vpc-中文");
        });

        it("refuses a query parameter or path segment with a NUL instead of matching a truncated value", async () => {
            const q = await raw(s, "GET", `/${R1}/v2.0/vpc/peerings?id=${peeringId}%00x`, { as: "alice" });
            expectNeutron(q, 400, "InvalidInput");
            const p = await raw(s, "GET", `/${R1}/v2.0/vpc/peerings/${peeringId}%00x`, { as: "alice" });
            expect(p.status, p.text).to.equal(404);
        });
    });

    describe("CIDRs", () => {
        it("refuses non-canonical CIDRs (leading zeros in the prefix or an octet), naming the canonical form", async () => {
            const before = s.snapshot();
            for (const [cidr, canonical] of [
                ["10.0.0.0/08", "10.0.0.0/8"],
                ["010.0.0.0/8", "10.0.0.0/8"],
                ["10.00.0.0/16", "10.0.0.0/16"],
            ]) {
                const r = await raw(s, "POST", vpcsPath, { as: "alice", body: { vpc: { name: "nc", cidr } } });
                expectV1(r, 400, "VPC.0101");
                expect(r.json.message).to.contain("[cidr-syntax]").and.contain(`leading zero`).and.contain(canonical!);
            }
            const route = await raw(s, "POST", `/${R1}/v2.0/vpc/routes`, {
                as: "alice",
                body: { route: { type: "peering", nexthop: peeringId, destination: "10.2.0.0/016", vpc_id: vpcA } },
            });
            expectNeutron(route, 400, "InvalidInput");
            expect(route.json.NeutronError.message).to.contain("[cidr-syntax]").and.contain("10.2.0.0/16");
            expect(s.snapshot()).to.deep.equal(before);
        });

        it("compares route destinations numerically: the ?destination= filter finds 10.2.0.0/16 as 10.2.0.0/016", async () => {
            const route = await createRoute(s, "alice", R1, vpcA, "10.2.0.0/16", peeringId);
            const list = (q: string) => raw(s, "GET", `/${R1}/v2.0/vpc/routes?destination=${q}`, { as: "alice" });
            for (const q of ["10.2.0.0/16", "10.2.0.0/016", "10.02.0.0/16"]) {
                const r = await list(q);
                expect(r.status, r.text).to.equal(200);
                expect(
                    r.json.routes.map((x: { id: string }) => x.id),
                    q,
                ).to.deep.equal([route.id]);
            }
            expect((await list("10.3.0.0/16")).json.routes).to.deep.equal([]);
            expectNeutron(await list("not-a-cidr"), 400, "InvalidInput");
            await raw(s, "DELETE", `/${R1}/v2.0/vpc/routes/${route.id}`, { as: "alice" });
        });

        it("detects a duplicate destination numerically, even against a row stored before CIDRs had to be canonical", async () => {
            const dir = mkdtempSync(path.join(tmpdir(), "peering-api-legacy-"));
            try {
                const first = await startTestServer({ dataDir: dir });
                const a = await createVpc(first, "alice", R1, "10.1.0.0/16");
                const b = await createVpc(first, "alice", R1, "10.2.0.0/16");
                const p = (await createPeering(first, "alice", R1, a, b)).id!;
                await createRoute(first, "alice", R1, a, "10.2.0.0/16", p);
                await first.close();
                // Written as an older server accepted it (a leading zero in the prefix).
                const db = new (loadSqlite().DatabaseSync)(path.join(dir, "peering-api.db"));
                db.exec("UPDATE routes SET destination = '10.2.0.0/016'");
                db.close();
                const again = await startTestServer({ dataDir: dir });
                try {
                    const before = again.snapshot();
                    const r = await raw(again, "POST", `/${R1}/v2.0/vpc/routes`, {
                        as: "alice",
                        body: { route: { type: "peering", nexthop: p, destination: "10.2.0.0/16", vpc_id: a } },
                    });
                    expectNeutron(r, 409, "RouteDestinationConflict");
                    expect(again.snapshot()).to.deep.equal(before);
                } finally {
                    await again.close();
                }
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses many distinct 1 MB bad CIDRs with 400 each, and its memory stays bounded (64 MB heap)", async function () {
            const cli = path.join(__dirname, "../../emulator/cli.js");
            const child = spawn(
                process.execPath,
                ["--max-old-space-size=64", cli, "serve", "--port", "0", "--in-memory", "--quiet"],
                { stdio: ["ignore", "pipe", "pipe"] },
            );
            try {
                const url = await new Promise<string>((resolve, reject) => {
                    let out = "";
                    child.stdout.on("data", (d) => {
                        out += d.toString();
                        const m = /"url":"([^"]+)"/.exec(out);
                        if (m) resolve(m[1]!);
                    });
                    child.on("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
                });
                const alice = account(s, "alice");
                const target = `${url}/${R1}/v1/${alice.projects[R1]}/vpcs`;
                const send = async (body: string) => {
                    const headers: Record<string, string> = {
                        "content-type": "application/json",
                        host: new URL(url).host,
                    };
                    Object.assign(
                        headers,
                        signRequest({
                            method: "POST",
                            url: target,
                            headers,
                            body,
                            accessKey: alice.accessKey,
                            secretKey: alice.secretKey,
                        }),
                    );
                    const res = await fetch(target, { method: "POST", headers, body });
                    return { status: res.status, text: await res.text() };
                };
                const megabyte = "x".repeat(1_000_000);
                // The old cache kept every distinct string: ~1 MB each, 120 MB for these — far over 64 MB.
                for (let i = 0; i < 120; i++) {
                    const r = await send(JSON.stringify({ vpc: { cidr: `${i}.${megabyte}` } }));
                    expect(r.status, r.text.slice(0, 200)).to.equal(400);
                    expect(r.text.length, "the refusal does not echo the megabyte").to.be.below(400);
                }
                const ok = await send(JSON.stringify({ vpc: { name: "after", cidr: "10.0.0.0/16" } }));
                expect(ok.status, ok.text).to.equal(200);
                expect(child.exitCode).to.equal(null);
            } finally {
                child.kill("SIGTERM");
            }
        });
    });

    describe("replies below the router", () => {
        it("answers an HTTP/1.1 request without Host: 400 with X-Request-Id and a gateway body", async () => {
            const answer = await onSocket(s, `GET /${R1}/v2.0/vpc/peerings HTTP/1.1\r\nConnection: close\r\n\r\n`);
            expect(answer).to.match(/^HTTP\/1\.1 400 /);
            const id = /x-request-id: ([0-9a-f]{32})/i.exec(answer)?.[1];
            expect(id, answer).to.be.a("string");
            const body = bodyOf(answer);
            expect(body.error_code).to.equal("APIGW.0201");
            expect(body.error_msg).to.contain("Host");
            expect(body.request_id).to.equal(id);
        });

        it("answers Expect: bogus with 417, X-Request-Id and a gateway body, and writes nothing", async () => {
            const before = s.snapshot();
            const body = JSON.stringify({ vpc: { name: "expect" } });
            const answer = await onSocket(
                s,
                `POST ${vpcsPath} HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Type: application/json\r\n` +
                    `Content-Length: ${body.length}\r\n\r\n${body}`,
            );
            expect(answer).to.match(/^HTTP\/1\.1 417 /);
            expect(answer).to.match(/x-request-id: [0-9a-f]{32}/i);
            expect(bodyOf(answer).error_msg).to.contain("Expect");
            expect(s.snapshot()).to.deep.equal(before);
        });

        it("answers CONNECT with 405, X-Request-Id and a gateway body instead of closing", async () => {
            const answer = await onSocket(s, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n");
            expect(answer).to.match(/^HTTP\/1\.1 405 /);
            expect(answer).to.match(/X-Request-Id: [0-9a-f]{32}/);
            expect(bodyOf(answer).error_code).to.equal("APIGW.0101");
            expect(s.requests().some((r) => r.method === "CONNECT" && r.status === 405)).to.equal(true);
        });

        it("answers HEAD on a GET path like GET, without a body (and 404 where GET is 404)", async () => {
            const path = `/${R1}/v2.0/vpc/peerings/${peeringId}`;
            const get = await raw(s, "GET", path, { as: "alice" });
            const head = await raw(s, "HEAD", path, { as: "alice" });
            expect(head.status).to.equal(200);
            expect(head.text).to.equal("");
            expect(head.headers.get("content-length")).to.equal(get.headers.get("content-length"));
            expect(head.headers.get("content-type")).to.equal(get.headers.get("content-type"));
            expect(head.headers.get("x-request-id")).to.match(/^[0-9a-f]{32}$/);
            const missing = await raw(s, "HEAD", `/${R1}/v2.0/vpc/peerings/nope`, { as: "alice" });
            expect(missing.status).to.equal(404);
            expect(missing.headers.get("x-request-id")).to.match(/^[0-9a-f]{32}$/);
            // A signature for GET does not authorise HEAD: the received method is what is verified.
            expect((await raw(s, "HEAD", `/${R1}/v2.0/vpc/peerings`, { unsigned: true })).status).to.equal(401);
        });

        it("builds the token's catalog URLs from its own address, not from the client's Host header", async () => {
            const body = JSON.stringify({
                auth: {
                    identity: {
                        methods: ["hw_ak_sk"],
                        hw_ak_sk: {
                            access: { key: account(s, "alice").accessKey },
                            secret: { key: account(s, "alice").secretKey },
                        },
                    },
                    scope: { project: { name: R1 } },
                },
            });
            const answer = await onSocket(
                s,
                `POST /v3/auth/tokens HTTP/1.1\r\nHost: evil.example:443\r\nContent-Type: application/json\r\n` +
                    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
            );
            expect(answer).to.match(/^HTTP\/1\.1 201 /);
            const text = answer.slice(answer.indexOf("\r\n\r\n") + 4);
            const urls = JSON.parse(text).token.catalog.flatMap((c: { endpoints: Array<{ url: string }> }) =>
                c.endpoints.map((e) => e.url),
            );
            expect(urls).to.include(`${s.url}/${R1}`);
            expect(text).not.to.contain("evil.example");
        });
    });
});
