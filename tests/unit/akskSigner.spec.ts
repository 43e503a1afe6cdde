// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The published SDK-HMAC-SHA256 vectors (reference §4.4) and the verifier's refusals.

import { expect } from "chai";
import {
    canonicalQueryString,
    canonicalRequest,
    canonicalUri,
    formatSdkDate,
    parseAuthorization,
    parseSdkDate,
    sha256Hex,
    signRequest,
    stringToSign,
    verifySignature,
} from "../../provider/signing/akskSigner";

const AUTH_PREFIX = "SDK-HMAC-SHA256 Access=";

describe("akskSigner", () => {
    describe("vector A (official guide example)", () => {
        const ak = "QTWAOYTTINDUT2QVKYUC";
        const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
        const url =
            "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
        const headers = {
            "Content-Type": "application/json",
            Host: "service.region.example.com",
            "X-Sdk-Date": "20191115T033655Z",
        };

        it("builds the documented canonical request", () => {
            const canonical = canonicalRequest({
                method: "GET",
                url,
                headers,
                signedHeaders: ["content-type", "host", "x-sdk-date"],
                body: "",
            });
            expect(canonical.split("\n").slice(0, 3)).to.deep.equal([
                "GET",
                "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
                "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
            ]);
            expect(sha256Hex(canonical)).to.equal("b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
            expect(stringToSign(canonical, "20191115T033655Z")).to.equal(
                "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
            );
        });

        it("signs to the documented signature", () => {
            const added = signRequest({ method: "GET", url, headers, accessKey: ak, secretKey: sk });
            expect(added["X-Sdk-Date"]).to.equal("20191115T033655Z");
            expect(added.Authorization).to.equal(
                `${AUTH_PREFIX}${ak}, SignedHeaders=content-type;host;x-sdk-date, ` +
                    "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
            );
        });

        it("verifies on the server side from the received path", () => {
            const added = signRequest({ method: "GET", url, headers, accessKey: ak, secretKey: sk });
            const result = verifySignature({
                method: "GET",
                url: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?marker=13551d6b-755d-4757-b956-536f674975c0&limit=2",
                headers: {
                    "content-type": "application/json",
                    host: "service.region.example.com",
                    "x-sdk-date": added["X-Sdk-Date"],
                    authorization: added.Authorization,
                    "user-agent": "added-after-signing",
                },
                lookupSecret: (k) => (k === ak ? sk : undefined),
                now: new Date(Date.UTC(2019, 10, 15, 3, 40, 0)),
            });
            expect(result).to.deep.equal({
                ok: true,
                accessKey: ak,
                signedHeaders: ["content-type", "host", "x-sdk-date"],
            });
        });
    });

    describe("vector B (Go SDK test, underscore header excluded)", () => {
        it("signs GET with only x-sdk-date signed", () => {
            const added = signRequest({
                method: "GET",
                url: "https://example.huaweicloud.com/path?limit=1",
                headers: { "X-Sdk-Date": "20060102T150405Z", TEST_UNDERSCORE: "TEST_VALUE" },
                accessKey: "AccessKey",
                secretKey: "SecretKey",
            });
            expect(added.Authorization).to.equal(
                `${AUTH_PREFIX}AccessKey, SignedHeaders=x-sdk-date, ` +
                    "Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
            );
        });
    });

    describe("vector C (Go SDK test, JSON body with a trailing newline)", () => {
        const body = '{"Name":"test","Id":1}\n';
        const base = {
            method: "POST",
            url: "https://example.huaweicloud.com/path?key=value",
            headers: { "X-Sdk-Date": "20060102T150405Z", "Content-Type": "application/json" },
            accessKey: "AccessKey",
            secretKey: "SecretKey",
            signedHeaders: ["x-sdk-date"],
        };

        it("hashes the exact bytes, newline included", () => {
            const added = signRequest({ ...base, body });
            expect(added.Authorization).to.equal(
                `${AUTH_PREFIX}AccessKey, SignedHeaders=x-sdk-date, ` +
                    "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
            );
        });

        it("gives a different signature without the newline", () => {
            const added = signRequest({ ...base, body: body.trimEnd() });
            expect(added.Authorization).not.to.contain(
                "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
            );
        });

        it("hashes a Buffer body the same as the string", () => {
            const added = signRequest({ ...base, body: Buffer.from(body, "utf8") });
            expect(added.Authorization).to.contain("cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
        });
    });

    describe("canonical parts", () => {
        it("encodes path segments and always ends with a slash", () => {
            expect(canonicalUri("/")).to.equal("/");
            expect(canonicalUri("/a b/c%2Fd/é")).to.equal("/a%20b/c%2Fd/%C3%A9/");
            expect(canonicalUri("/v2.0/vpc/peerings/")).to.equal("/v2.0/vpc/peerings/");
        });

        it("sorts query names and values, and keeps empty values", () => {
            expect(canonicalQueryString("b=2&a=1&a=0&c=&d")).to.equal("a=0&a=1&b=2&c=&d=");
            expect(canonicalQueryString("name=a+b&x=%2a")).to.equal("name=a%20b&x=%2A");
            expect(canonicalQueryString("")).to.equal("");
        });

        it("formats and parses X-Sdk-Date", () => {
            const d = new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 123));
            expect(formatSdkDate(d)).to.equal("20191115T033655Z");
            expect(parseSdkDate("20191115T033655Z")?.getTime()).to.equal(Date.UTC(2019, 10, 15, 3, 36, 55));
            expect(parseSdkDate("2019-11-15T03:36:55Z")).to.equal(undefined);
            expect(parseSdkDate("20191345T033655Z")).to.equal(undefined);
        });

        it("parses the Authorization header", () => {
            expect(
                parseAuthorization(`${AUTH_PREFIX}AK, SignedHeaders=host;x-sdk-date, Signature=${"a".repeat(64)}`),
            ).to.deep.equal({
                accessKey: "AK",
                signedHeaders: ["host", "x-sdk-date"],
                signature: "a".repeat(64),
            });
            expect(parseAuthorization("Bearer abc")).to.equal(undefined);
            expect(parseAuthorization(`${AUTH_PREFIX}AK, SignedHeaders=x-sdk-date`)).to.equal(undefined);
            expect(parseAuthorization(`${AUTH_PREFIX}AK, SignedHeaders=x-sdk-date, Signature=zz`)).to.equal(undefined);
            expect(parseAuthorization(undefined)).to.equal(undefined);
        });
    });

    describe("verifySignature refusals", () => {
        const now = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
        const lookupSecret = (k: string) => (k === "AK" ? "SK" : undefined);
        function signed(extra: { body?: string; date?: Date } = {}) {
            const headers = { host: "127.0.0.1:1234", "content-type": "application/json" };
            const added = signRequest({
                method: "POST",
                url: "http://127.0.0.1:1234/r1/v2.0/vpc/peerings",
                headers,
                body: extra.body ?? "{}",
                accessKey: "AK",
                secretKey: "SK",
                date: extra.date ?? now,
            });
            return { ...headers, "x-sdk-date": added["X-Sdk-Date"], authorization: added.Authorization };
        }
        const verify = (headers: Record<string, string>, body = "{}", url = "/r1/v2.0/vpc/peerings") =>
            verifySignature({ method: "POST", url, headers, body, lookupSecret, now });

        it("accepts the untouched request", () => {
            expect(verify(signed()).ok).to.equal(true);
        });
        it("refuses a missing header", () => {
            expect(verify({ host: "x" })).to.include({ ok: false, reason: "missing" });
        });
        it("refuses a malformed header", () => {
            expect(verify({ ...signed(), authorization: "SDK-HMAC-SHA256 nonsense" })).to.include({
                reason: "malformed",
            });
        });
        it("refuses an unknown key", () => {
            const h = signed();
            expect(verify({ ...h, authorization: h.authorization.replace("Access=AK", "Access=ZZ") })).to.include({
                reason: "unknown-key",
            });
        });
        it("refuses a changed body", () => {
            expect(verify(signed(), '{"a":1}')).to.include({ reason: "mismatch" });
        });
        it("refuses a changed path (the region prefix is signed)", () => {
            expect(verify(signed(), "{}", "/r2/v2.0/vpc/peerings")).to.include({ reason: "mismatch" });
        });
        it("refuses a changed signed header", () => {
            expect(verify({ ...signed(), host: "127.0.0.1:9999" })).to.include({ reason: "mismatch" });
        });
        it("refuses a date more than 15 minutes off, either way", () => {
            expect(verify(signed({ date: new Date(now.getTime() - 16 * 60 * 1000) }))).to.include({
                reason: "expired",
            });
            expect(verify(signed({ date: new Date(now.getTime() + 16 * 60 * 1000) }))).to.include({
                reason: "expired",
            });
            expect(verify(signed({ date: new Date(now.getTime() - 14 * 60 * 1000) })).ok).to.equal(true);
        });
        it("refuses an unsigned X-Sdk-Date", () => {
            const added = signRequest({
                method: "POST",
                url: "/r1/v2.0/vpc/peerings",
                headers: { host: "h" },
                body: "{}",
                accessKey: "AK",
                secretKey: "SK",
                date: now,
            });
            const auth = added.Authorization.replace("SignedHeaders=host;x-sdk-date", "SignedHeaders=host");
            expect(verify({ host: "h", "x-sdk-date": added["X-Sdk-Date"], authorization: auth })).to.include({
                reason: "date-missing",
            });
        });
    });
});
