// Our AK/SK signer (provider/signing/akskSigner.ts) against the official Huawei Cloud Node SDK's signer
// (@huaweicloud/huaweicloud-sdk-core AKSKSigner): for the same request, both must produce the same
// Authorization header — the evidence that our client signs exactly as the real cloud expects.

import { expect } from "chai";
import { signRequest } from "../../provider/signing/akskSigner";

const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const AK = "QTWAOYTTINDUT2QVKYUC";
const SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const credential = { getAk: () => AK, getSk: () => SK };

interface Case {
    readonly name: string;
    readonly method: string;
    readonly endpoint: string;
    readonly path: string;
    readonly query: Record<string, string>;
    readonly body?: unknown;
}

const cases: Case[] = [
    {
        name: "list peerings with filters (local server, region prefix)",
        method: "GET",
        endpoint: "http://127.0.0.1:8080",
        path: "/ap-southeast-1/v2.0/vpc/peerings",
        query: { vpc_id: "5f2c7a9e-3d1b-4c8a-9e7f-1a2b3c4d5e6f", limit: "100", status: "ACTIVE" },
    },
    {
        name: "create a peering (real cloud host, JSON body)",
        method: "POST",
        endpoint: "https://vpc.ap-southeast-1.myhuaweicloud.com",
        path: "/v2.0/vpc/peerings",
        query: {},
        body: {
            peering: {
                name: "a-b",
                request_vpc_info: { vpc_id: "a" },
                accept_vpc_info: { vpc_id: "b", tenant_id: "p" },
            },
        },
    },
    {
        name: "accept (PUT without a body)",
        method: "PUT",
        endpoint: "https://vpc.ap-southeast-1.myhuaweicloud.com",
        path: "/v2.0/vpc/peerings/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/accept",
        query: {},
    },
    {
        name: "create a VPC (v1 path with the project id)",
        method: "POST",
        endpoint: "https://vpc.ap-southeast-1.myhuaweicloud.com",
        path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        query: {},
        body: { vpc: { name: "app", cidr: "10.10.0.0/16", description: "ünïcode & <ok>" } },
    },
];

describe("AK/SK signer vs. the official Huawei Cloud SDK signer", () => {
    for (const c of cases) {
        it(c.name, () => {
            const date = "20261127T101500Z";
            const host = new URL(c.endpoint).host;
            const headers = { "Content-Type": "application/json", "X-Project-Id": "77b6a44cba5143ab91d13ab9a8ff44fd" };
            const official = AKSKSigner.sign(
                {
                    endpoint: c.endpoint + c.path,
                    method: c.method,
                    headers: { ...headers, "X-Sdk-Date": date },
                    queryParams: c.query,
                    data: c.body,
                },
                credential,
            );
            const qs = new URLSearchParams(c.query).toString();
            const ours = signRequest({
                method: c.method,
                url: c.path + (qs ? `?${qs}` : ""),
                headers: { ...headers, host },
                body: c.body === undefined ? "" : JSON.stringify(c.body),
                accessKey: AK,
                secretKey: SK,
                date,
            });
            expect(ours.Authorization).to.equal(official.Authorization);
        });
    }
});
