// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Authentication at the API server: AK/SK signatures (what is signed, the clock window, unknown keys),
// projects and regions, tokens. Failures are gateway errors: `{error_code, error_msg, request_id}`.

import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { expect } from "chai";
import type { RunningServer } from "../../emulator/server";
import { sha256Hex, signRequest } from "../../provider/signing/akskSigner";
import { account, expectGateway, projectOf, R1, R3, raw, sdkRefusal, startTestServer, v2 } from "./harness";

describe("API server: authentication", () => {
    let s: RunningServer;
    before(async () => {
        s = await startTestServer();
    });
    after(async () => {
        await s.close();
    });
    const peerings = `/${R1}/v2.0/vpc/peerings`;

    it("accepts a request signed with our signer", async () => {
        const r = await raw(s, "GET", peerings, { as: "alice" });
        expect(r.status).to.equal(200);
        expect(r.json).to.deep.equal({ peerings: [] });
    });

    it("refuses a request without credentials: 401 APIGW.0301", async () => {
        expectGateway(await raw(s, "GET", peerings, { unsigned: true }), 401, "APIGW.0301");
    });

    it("refuses a body changed after signing: 401 APIGW.0301 with the canonical request echoed", async () => {
        const body = { vpc: { name: "signed", cidr: "10.0.0.0/16" } };
        const r = await raw(s, "POST", `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`, {
            as: "alice",
            body,
            tamperBody: JSON.stringify({ vpc: { name: "tampered", cidr: "10.0.0.0/16" } }),
        });
        expectGateway(r, 401, "APIGW.0301");
        expect(r.json.error_msg).to.contain("verify aksk signature fail");
        expect(r.json.error_msg).to.contain(`canonicalRequest:POST|/${R1}/v1/`);
        expect(s.snapshot().vpcs).to.deep.equal([]);
    });

    it("signs the trailing newline of a body: the exact bytes are hashed", async () => {
        const path = `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;
        const body = JSON.stringify({ vpc: { name: "newline", cidr: "10.0.0.0/16" } }) + "\n";
        expect((await raw(s, "POST", path, { as: "alice", body })).status).to.equal(200);
        const stripped = await raw(s, "POST", path, {
            as: "alice",
            body: JSON.stringify({ vpc: { name: "newline2", cidr: "10.0.0.0/16" } }) + "\n",
            tamperBody: JSON.stringify({ vpc: { name: "newline2", cidr: "10.0.0.0/16" } }),
        });
        expectGateway(stripped, 401, "APIGW.0301");
    });

    it("covers the region prefix: a signature for one region fails in another", async () => {
        const alice = account(s, "alice");
        const headers: Record<string, string> = { host: new URL(s.url).host, "x-project-id": alice.projects[R1]! };
        Object.assign(
            headers,
            signRequest({
                method: "GET",
                url: `${s.url}/${R1}/v2.0/vpc/peerings`,
                headers,
                accessKey: alice.accessKey,
                secretKey: alice.secretKey,
            }),
        );
        const ok = await fetch(`${s.url}/${R1}/v2.0/vpc/peerings`, { headers });
        expect(ok.status).to.equal(200);
        const moved = await fetch(`${s.url}/${R3}/v2.0/vpc/peerings`, { headers });
        expect(moved.status).to.equal(401);
    });

    it("covers the query string, in any order", async () => {
        const alice = account(s, "alice");
        const headers: Record<string, string> = { host: new URL(s.url).host };
        Object.assign(
            headers,
            signRequest({
                method: "GET",
                url: `${s.url}${peerings}?status=ACTIVE&limit=5`,
                headers,
                accessKey: alice.accessKey,
                secretKey: alice.secretKey,
            }),
        );
        expect((await fetch(`${s.url}${peerings}?limit=5&status=ACTIVE`, { headers })).status).to.equal(200);
        expect((await fetch(`${s.url}${peerings}?limit=6&status=ACTIVE`, { headers })).status).to.equal(401);
    });

    it("accepts headers added after signing (not in SignedHeaders)", async () => {
        const r = await raw(s, "GET", peerings, { as: "alice", headers: {} });
        expect(r.status).to.equal(200);
        const alice = account(s, "alice");
        const headers: Record<string, string> = { host: new URL(s.url).host };
        Object.assign(
            headers,
            signRequest({
                method: "GET",
                url: s.url + peerings,
                headers,
                accessKey: alice.accessKey,
                secretKey: alice.secretKey,
            }),
        );
        headers["user-agent"] = "added-later";
        headers["x-project-id"] = alice.projects[R1]!;
        expect((await fetch(s.url + peerings, { headers })).status).to.equal(200);
    });

    it("refuses a changed signed header", async () => {
        const alice = account(s, "alice");
        const headers: Record<string, string> = { host: new URL(s.url).host, "x-project-id": alice.projects[R1]! };
        Object.assign(
            headers,
            signRequest({
                method: "GET",
                url: s.url + peerings,
                headers,
                accessKey: alice.accessKey,
                secretKey: alice.secretKey,
            }),
        );
        headers["x-project-id"] = alice.projects[R3]!;
        expect((await fetch(s.url + peerings, { headers })).status).to.equal(401);
    });

    describe("the body hash (X-Sdk-Content-Sha256)", () => {
        const vpcsPath = () => `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;
        /**
         * Signs `signedBody` (headers content-type, host, x-project-id, x-sdk-date) and sends `sentBody`. The
         * declared hash is in SignedHeaders (`signed`), present when signing but not listed (`unsigned`: the
         * client's payload line is the declaration), or added after signing (`added-later`).
         */
        const send = async (
            method: string,
            path: string,
            o: {
                signedBody?: string;
                sentBody?: string;
                declared?: string;
                how?: "signed" | "unsigned" | "added-later";
            },
        ) => {
            const alice = account(s, "alice");
            const headers: Record<string, string> = {
                "content-type": "application/json",
                host: new URL(s.url).host,
                "x-project-id": alice.projects[R1]!,
            };
            const names = ["content-type", "host", "x-project-id"];
            if (o.declared !== undefined && o.how !== "added-later") headers["x-sdk-content-sha256"] = o.declared;
            if (o.declared !== undefined && o.how === "signed") names.push("x-sdk-content-sha256");
            Object.assign(
                headers,
                signRequest({
                    method,
                    url: s.url + path,
                    headers,
                    body: o.signedBody,
                    signedHeaders: names,
                    accessKey: alice.accessKey,
                    secretKey: alice.secretKey,
                }),
            );
            if (o.declared !== undefined && o.how === "added-later") headers["x-sdk-content-sha256"] = o.declared;
            const res = await fetch(s.url + path, { method, headers, body: o.sentBody ?? o.signedBody });
            const text = await res.text();
            return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
        };
        const signedBody = JSON.stringify({ vpc: { name: "owner", cidr: "10.10.0.0/16" } });
        const attackerBody = JSON.stringify({ vpc: { name: "attacker", cidr: "10.66.0.0/16" } });
        const names = () => s.snapshot().vpcs!.map((v) => (v as { name: string }).name);

        it("ignores an unsigned declared hash: a replaced body fails the signature (401) and creates nothing", async () => {
            const before = s.snapshot();
            const r = await send("POST", vpcsPath(), {
                signedBody,
                sentBody: attackerBody,
                declared: sha256Hex(signedBody),
                how: "added-later",
            });
            expectGateway(r, 401, "APIGW.0301");
            expect(r.json.error_msg).to.contain("verify aksk signature fail");
            expect(s.snapshot()).to.deep.equal(before);
            // The same unsigned header on the untouched body is harmless: the real hash is used.
            const ok = await send("POST", vpcsPath(), {
                signedBody,
                declared: sha256Hex(attackerBody),
                how: "added-later",
            });
            expect(ok.status, ok.text).to.equal(200);
            expect(names()).to.include("owner").and.not.include("attacker");
        });

        it("refuses a signed declared hash that is not the body's (401), and honours a true one", async () => {
            const before = s.snapshot();
            const r = await send("POST", vpcsPath(), {
                signedBody,
                sentBody: attackerBody,
                declared: sha256Hex(signedBody),
                how: "signed",
            });
            expectGateway(r, 401, "APIGW.0301");
            expect(r.json.error_msg).to.contain(`the body's SHA-256 is ${sha256Hex(attackerBody)}`);
            expect(s.snapshot()).to.deep.equal(before);
            const body = JSON.stringify({ vpc: { name: "declared-true", cidr: "10.11.0.0/16" } });
            const ok = await send("POST", vpcsPath(), { signedBody: body, declared: sha256Hex(body), how: "signed" });
            expect(ok.status, ok.text).to.equal(200);
        });

        it("honours a signed UNSIGNED-PAYLOAD only on a request without a body", async () => {
            const get = await send("GET", vpcsPath(), { declared: "UNSIGNED-PAYLOAD", how: "signed" });
            expect(get.status, get.text).to.equal(200);
            const before = s.snapshot();
            const post = await send("POST", vpcsPath(), {
                signedBody: attackerBody,
                declared: "UNSIGNED-PAYLOAD",
                how: "signed",
            });
            expectGateway(post, 401, "APIGW.0301");
            expect(post.json.error_msg).to.contain("UNSIGNED-PAYLOAD is accepted only on a request without a body");
            // Not in SignedHeaders, it is ignored like any declaration: a signature over "UNSIGNED-PAYLOAD" fails.
            const unlisted = await send("GET", vpcsPath(), { declared: "UNSIGNED-PAYLOAD", how: "unsigned" });
            expectGateway(unlisted, 401, "APIGW.0301");
            expect(unlisted.json.error_msg).to.contain("verify aksk signature fail");
            expect(s.snapshot()).to.deep.equal(before);
        });
    });

    it("refuses an X-Sdk-Date more than 15 minutes off: 401 APIGW.0303", async () => {
        const r = await raw(s, "GET", peerings, { as: "alice", date: new Date(Date.now() - 16 * 60 * 1000) });
        expectGateway(r, 401, "APIGW.0303");
        expect(r.json.error_msg).to.contain("signature expired");
        const ahead = await raw(s, "GET", peerings, { as: "alice", date: new Date(Date.now() + 16 * 60 * 1000) });
        expectGateway(ahead, 401, "APIGW.0303");
        expect(
            (await raw(s, "GET", peerings, { as: "alice", date: new Date(Date.now() - 10 * 60 * 1000) })).status,
        ).to.equal(200);
    });

    it("refuses an unknown access key and a malformed Authorization header: 401 APIGW.0301", async () => {
        const client = v2.VpcClient.newBuilder()
            .withCredential(
                new BasicCredentials()
                    .withAk("NOSUCHKEY")
                    .withSk("x")
                    .withProjectId(projectOf(s, "alice", R1)),
            )
            .withEndpoint(s.endpoint(R1))
            .build();
        const err = await sdkRefusal(client.listVpcPeerings(new v2.ListVpcPeeringsRequest()), 401);
        expect(err.errorCode).to.equal("APIGW.0301");
        const wrongSecret = v2.VpcClient.newBuilder()
            .withCredential(
                new BasicCredentials()
                    .withAk(account(s, "alice").accessKey)
                    .withSk("wrong")
                    .withProjectId(projectOf(s, "alice", R1)),
            )
            .withEndpoint(s.endpoint(R1))
            .build();
        expect(
            (await sdkRefusal(wrongSecret.listVpcPeerings(new v2.ListVpcPeeringsRequest()), 401)).errorCode,
        ).to.equal("APIGW.0301");
        for (const authorization of ["Basic abc", "SDK-HMAC-SHA256 Access=x", "SDK-HMAC-SHA256 nonsense, , ,"]) {
            const r = await raw(s, "GET", peerings, {
                unsigned: true,
                headers: { authorization, "x-sdk-date": "20260101T000000Z" },
            });
            expectGateway(r, 401, "APIGW.0301");
        }
    });

    it("refuses a project of another account or another region: 401 APIGW.0301", async () => {
        const bobs = await raw(s, "GET", peerings, { as: "alice", projectId: projectOf(s, "bob", R1) });
        expectGateway(bobs, 401, "APIGW.0301");
        expect(bobs.json.error_msg).to.contain("is not a project of access key");
        const otherRegion = await raw(s, "GET", peerings, { as: "alice", projectId: projectOf(s, "alice", R3) });
        expectGateway(otherRegion, 401, "APIGW.0301");
        expect(otherRegion.json.error_msg).to.contain(`is in region ${R3}`);
        const unknown = await raw(s, "GET", peerings, { as: "alice", projectId: "0".repeat(32) });
        expectGateway(unknown, 401, "APIGW.0301");
    });

    it("defaults the project to the account's project of the region when none is given", async () => {
        const r = await raw(s, "GET", peerings, { as: "bob", projectId: null });
        expect(r.status).to.equal(200);
        expect(s.requests().at(-1)?.project).to.equal(projectOf(s, "bob", R1));
    });

    it("refuses unknown, garbage and expired tokens: 401 APIGW.0301", async () => {
        for (const token of ["nope", "MII" + "A".repeat(200), "x".repeat(5000)]) {
            const r = await raw(s, "GET", peerings, { unsigned: true, headers: { "x-auth-token": token } });
            expectGateway(r, 401, "APIGW.0301");
        }
        const short = await startTestServer({ tokenTtlMs: 1000 });
        try {
            const alice = account(short, "alice");
            const issued = await raw(short, "POST", "/v3/auth/tokens", {
                unsigned: true,
                body: {
                    auth: {
                        identity: {
                            methods: ["password"],
                            password: { user: { name: "alice", password: alice.secretKey } },
                        },
                        scope: { project: { id: alice.projects[R1] } },
                    },
                },
            });
            expect(issued.status).to.equal(201);
            const token = issued.headers.get("x-subject-token")!;
            const ok = await raw(short, "GET", `/${R1}/v2.0/vpc/peerings`, {
                unsigned: true,
                headers: { "x-auth-token": token },
            });
            expect(ok.status).to.equal(200);
            short.advanceTime(1000);
            const expired = await raw(short, "GET", `/${R1}/v2.0/vpc/peerings`, {
                unsigned: true,
                headers: { "x-auth-token": token },
            });
            expectGateway(expired, 401, "APIGW.0301");
            expect(expired.json.error_msg).to.contain("token expires");
        } finally {
            await short.close();
        }
    });

    it("refuses bad token requests: 400 IAM.0002 / 401 IAM.0001 / 401 IAM.0003", async () => {
        const alice = account(s, "alice");
        const ask = (body: unknown) => raw(s, "POST", "/v3/auth/tokens", { unsigned: true, body });
        const identity = (password: string) => ({
            methods: ["password"],
            password: { user: { name: "alice", password } },
        });
        expectGateway(
            await ask({ auth: { identity: identity("wrong"), scope: { project: { name: R1 } } } }),
            401,
            "IAM.0001",
        );
        expectGateway(
            await ask({ auth: { identity: identity(alice.secretKey), scope: { project: { name: "mars-1" } } } }),
            401,
            "IAM.0003",
        );
        expectGateway(
            await ask({
                auth: { identity: identity(alice.secretKey), scope: { project: { id: projectOf(s, "bob", R1) } } },
            }),
            401,
            "IAM.0003",
        );
        expectGateway(await ask({ auth: { identity: identity(alice.secretKey) } }), 400, "IAM.0002");
        expectGateway(
            await ask({ auth: { identity: { methods: ["token"] }, scope: { project: { name: R1 } } } }),
            400,
            "IAM.0002",
        );
        expectGateway(await ask({ nope: 1 }), 400, "IAM.0002");
        expectGateway(await ask("[1,2]"), 400, "APIGW.0201");
        expectGateway(await ask("{"), 400, "APIGW.0201");
    });
});
