// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import { expect } from "chai";

import { nextMarker } from "../../provider/client/client";
import {
    ApiConnectionError,
    AuthError,
    ConflictError,
    NotFoundError,
    ServerError,
    ThrottledError,
    ValidationError,
    errorFromResponse,
    parseRetryAfter,
    toApiError,
} from "../../provider/client/errors";
import { backoffDelay, withRetry } from "../../provider/client/retry";
import { clientFor } from "../../provider/config";
import { Harness, REGION, startHarness } from "./harness";

const ctx = { method: "POST", path: "/r/v2.0/vpc/peerings", account: "alice", endpoint: "http://h/r" };

describe("API client", function () {
    describe("error mapping (one function)", () => {
        it("maps each status to its class and reads every body shape", () => {
            const cases: Array<
                [number, unknown, new (...a: never[]) => Error, string | undefined, string | undefined]
            > = [
                [
                    400,
                    { code: "VPC.0115", message: "The router name exists." },
                    ValidationError,
                    "VPC.0115",
                    "The router name exists.",
                ],
                [422, { error: { code: "Bad", message: "m", requestId: "r1" } }, ValidationError, "Bad", "m"],
                [401, { error_code: "APIGW.0301", error_msg: "sig", request_id: "r2" }, AuthError, "APIGW.0301", "sig"],
                [
                    403,
                    { NeutronError: { type: "PolicyNotAuthorized", message: "no", detail: "" } },
                    AuthError,
                    "PolicyNotAuthorized",
                    "no",
                ],
                [
                    404,
                    { NeutronError: { type: "PeeringNotFound", message: "gone", detail: "" } },
                    NotFoundError,
                    "PeeringNotFound",
                    "gone",
                ],
                [409, '{"code":"VPC.0121","message":"busy"}', ConflictError, "VPC.0121", "busy"],
                [429, "", ThrottledError, undefined, undefined],
                [503, "<html>bad gateway</html>", ServerError, undefined, "<html>bad gateway</html>"],
            ];
            for (const [status, body, cls, code, message] of cases) {
                const e = errorFromResponse(status, { "x-request-id": "req-9" }, body, ctx);
                expect(e, `status ${status}`).to.be.instanceOf(cls);
                expect(e).to.include({ status, code, apiMessage: message, requestId: "req-9", method: "POST" });
                expect(e.path).to.equal(ctx.path);
                expect(e.message).to.contain(`POST ${ctx.path} failed (HTTP ${status}`);
                expect(e.message).to.contain("(request id req-9)");
            }
        });

        it("maps a failure without a response to a connection error, and reads Retry-After", () => {
            const e = toApiError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), ctx);
            expect(e).to.be.instanceOf(ApiConnectionError);
            expect(e.message).to.match(/no response.*ECONNREFUSED.*VPCPEERING_ENDPOINT/);
            const t = errorFromResponse(429, { "retry-after": "3" }, "", ctx) as ThrottledError;
            expect(t.retryAfterMs).to.equal(3000);
            expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).to.be.within(3000, 5000);
        });
    });

    describe("backoff", () => {
        it("grows exponentially with full jitter, is capped, and never undercuts Retry-After", () => {
            const policy = { deadline: Date.now() + 1000, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
            expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy))).to.deep.equal([100, 200, 400, 799, 999]);
            const throttled = errorFromResponse(429, { "retry-after": "2" }, "", ctx);
            expect(backoffDelay(1, policy, throttled)).to.equal(2000);
        });

        it("gives up at the deadline with the last error, and does not retry 4xx", async () => {
            let calls = 0;
            const err = await withRetry(
                async () => {
                    calls++;
                    throw errorFromResponse(503, {}, "", ctx);
                },
                { deadline: Date.now() + 200, baseDelayMs: 20, maxDelayMs: 40 },
            ).catch((e: Error) => e);
            expect(err).to.be.instanceOf(ServerError);
            expect(calls).to.be.greaterThan(1);
            expect((err as Error).message).to.match(/Gave up after \d+ attempts at the deadline/);
            calls = 0;
            await withRetry(
                async () => {
                    calls++;
                    throw errorFromResponse(400, {}, "", ctx);
                },
                { deadline: Date.now() + 200, baseDelayMs: 20 },
            ).catch(() => undefined);
            expect(calls).to.equal(1);
        });
    });

    describe("pagination", () => {
        let h: Harness;
        before(async () => {
            h = await startHarness();
        });
        after(async () => h.close());

        it("follows <resource>_links page by page", async () => {
            const client = clientFor({ account: "bob", region: REGION, op: "create" });
            const ids: string[] = [];
            for (let i = 0; i < 5; i++)
                ids.push((await client.createVpc({ name: h.unique("page"), cidr: "10.0.0.0/16" })).id);
            h.server.clearRequests();
            const all = await client.listVpcs({ limit: 2 });
            expect(all.map((v) => v.id).sort()).to.deep.equal([...ids].sort());
            expect(h.server.requests().filter((r) => r.method === "GET").length).to.equal(3);
        });

        it("reads the next marker from a marker field or from href", () => {
            expect(nextMarker([{ rel: "next", marker: "m1" }])).to.equal("m1");
            expect(
                nextMarker([
                    { rel: "previous", href: "x" },
                    { rel: "next", href: "http://h/v2.0/vpc/peerings?limit=2&marker=m2" },
                ]),
            ).to.equal("m2");
            expect(nextMarker(undefined)).to.equal(undefined);
        });
    });
});
