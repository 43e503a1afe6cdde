// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Test harness for the API server's contract tests: an in-process server on port 0, official Huawei Cloud
// SDK clients per account and region, and a raw HTTP client signed with our own signer for what the SDK
// cannot express (error bodies, malformed input, unsigned requests).

import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import * as v2 from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api";
import * as v3 from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api";
import * as net from "node:net";
import { expect } from "chai";
import type { AccountSpec } from "../../emulator/accounts";
import { RunningServer, ServerOptions, startServer } from "../../emulator/server";
import { signRequest } from "../../provider/signing/akskSigner";

export { v2, v3 };

// The SDK logs every error response (with the whole axios config) at ERROR level to stdout; the tests
// assert on those errors, so silence its log4js logger.

(require("@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger").Logger4jInstance as { level: string }).level = "off";

export const R1 = "ap-southeast-1";
export const R3 = "ap-southeast-3";

/** Starts a server for tests: in memory, VPCs ready at once, unless overridden. */
export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
    return startServer({ vpcReadyDelayMs: 0, ...options });
}

export function account(server: RunningServer, name: string): AccountSpec {
    const a = server.accounts.find((x) => x.name === name);
    if (!a) throw new Error(`no account ${name}`);
    return a;
}

export function projectOf(server: RunningServer, name: string, region: string): string {
    const id = account(server, name).projects[region];
    if (!id) throw new Error(`${name} has no project in ${region}`);
    return id;
}

/** The official v2 `VpcClient` (peerings, routes and the v1 VPC paths) for an account in a region. */
export function vpcClient(server: RunningServer, name: string, region: string): v2.VpcClient {
    const a = account(server, name);
    return v2.VpcClient.newBuilder()
        .withCredential(
            new BasicCredentials().withAk(a.accessKey).withSk(a.secretKey).withProjectId(a.projects[region]!),
        )
        .withEndpoint(server.endpoint(region))
        .build();
}

/** The official v3 `VpcClient` (v3 VPC show). */
export function vpcV3Client(server: RunningServer, name: string, region: string): v3.VpcClient {
    const a = account(server, name);
    return v3.VpcClient.newBuilder()
        .withCredential(
            new BasicCredentials().withAk(a.accessKey).withSk(a.secretKey).withProjectId(a.projects[region]!),
        )
        .withEndpoint(server.endpoint(region))
        .build();
}

/** The SDK's exception shape (`ServiceResponseException`). */
export interface SdkError {
    httpStatusCode?: number;
    errorCode?: string;
    errorMsg?: string;
    requestId?: string;
}

/** Awaits a promise that must fail with an SDK exception of `status`; returns the exception. */
export async function sdkRefusal(p: Promise<unknown>, status: number): Promise<SdkError> {
    let result: unknown;
    try {
        result = await p;
    } catch (e) {
        const err = e as SdkError;
        expect(err.httpStatusCode, `status of ${JSON.stringify(err)}`).to.equal(status);
        return err;
    }
    throw new Error(`expected HTTP ${status}, got success: ${JSON.stringify(result)}`);
}

/** A raw HTTP answer. */
export interface RawReply {
    status: number;
    headers: Headers;
    text: string;
    /** The parsed JSON body (undefined when empty or not JSON). */
    json: any;
}

/** Options of {@link raw}. */
export interface RawOptions {
    /** The account that signs (omit with `unsigned`). */
    as?: string;
    /** A JSON value (serialised once) or an exact body string/Buffer. */
    body?: unknown;
    headers?: Record<string, string>;
    /** Send without an Authorization header. */
    unsigned?: boolean;
    /** Sign with this date instead of now. */
    date?: Date;
    /** Send X-Project-Id (default: the signer's project in the region of the path, if any). */
    projectId?: string | null;
    /** Change the body after signing (to break the signature). */
    tamperBody?: string;
}

/**
 * {@link raw} sends one request to `server.url + path` (path includes the region prefix), signed as `as`
 * with our signer unless `unsigned`. Never throws on HTTP errors.
 */
export async function raw(
    server: RunningServer,
    method: string,
    path: string,
    opts: RawOptions = {},
): Promise<RawReply> {
    const url = server.url + path;
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
        body = typeof opts.body === "string" || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    }
    const headers: Record<string, string> = { "content-type": "application/json", ...(opts.headers ?? {}) };
    if (!opts.unsigned) {
        if (!opts.as) throw new Error("raw(): give `as` or `unsigned`");
        const a = account(server, opts.as);
        const region = server.regions.find((r) => path.startsWith(`/${r}/`));
        const projectId = opts.projectId === undefined ? (region ? a.projects[region] : undefined) : opts.projectId;
        if (projectId) headers["x-project-id"] = projectId;
        headers.host = new URL(server.url).host;
        Object.assign(
            headers,
            signRequest({
                method,
                url,
                headers,
                body,
                accessKey: a.accessKey,
                secretKey: a.secretKey,
                date: opts.date,
            }),
        );
    }
    const sent = opts.tamperBody ?? body;
    const res = await fetch(url, {
        method,
        headers,
        body: sent === undefined ? undefined : typeof sent === "string" ? sent : new Uint8Array(sent),
    });
    const text = await res.text();
    let json: unknown;
    try {
        json = text ? JSON.parse(text) : undefined;
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
}

/** Asserts a NeutronError body of `status` and `type`. */
export function expectNeutron(r: RawReply, status: number, type: string): void {
    expect(r.status, r.text).to.equal(status);
    expect(r.json?.NeutronError?.type, r.text).to.equal(type);
    expect(r.json.NeutronError.message).to.be.a("string").and.not.be.empty;
    expect(r.json.NeutronError.detail).to.equal("");
    expect(r.headers.get("x-request-id")).to.match(/^[0-9a-f]{32}$/);
}

/** Asserts a v1 `{code, message}` body. */
export function expectV1(r: RawReply, status: number, code: string): void {
    expect(r.status, r.text).to.equal(status);
    expect(r.json?.code, r.text).to.equal(code);
    expect(r.json.message).to.be.a("string").and.not.be.empty;
    expect(r.headers.get("x-request-id")).to.match(/^[0-9a-f]{32}$/);
}

/** Asserts a gateway/v3 `{error_code, error_msg, request_id}` body. */
export function expectGateway(r: RawReply, status: number, code: string): void {
    expect(r.status, r.text).to.equal(status);
    expect(r.json?.error_code, r.text).to.equal(code);
    expect(r.json.error_msg).to.be.a("string").and.not.be.empty;
    expect(r.json.request_id).to.equal(r.headers.get("x-request-id"));
}

let counter = 0;
/** A unique name per call (names must be unique per project). */
export function uniqueName(prefix: string): string {
    counter++;
    return `${prefix}-${counter}`;
}

/** Creates a VPC through the SDK and returns its id. */
export async function createVpc(
    server: RunningServer,
    who: string,
    region: string,
    cidr: string,
    name?: string,
): Promise<string> {
    const res = await vpcClient(server, who, region).createVpc(
        new v2.CreateVpcRequest().withBody(
            new v2.CreateVpcRequestBody().withVpc(
                new v2.CreateVpcOption().withName(name ?? uniqueName("vpc")).withCidr(cidr),
            ),
        ),
    );
    return res.vpc!.id!;
}

/** Creates a peering through the SDK; `peerProject` set → cross-account. */
export async function createPeering(
    server: RunningServer,
    who: string,
    region: string,
    vpcId: string,
    peerVpcId: string,
    peerProject?: string,
    name?: string,
): Promise<v2.VpcPeering> {
    const accept = new v2.VpcInfo().withVpcId(peerVpcId);
    if (peerProject) accept.withTenantId(peerProject);
    const res = await vpcClient(server, who, region).createVpcPeering(
        new v2.CreateVpcPeeringRequest().withBody(
            new v2.CreateVpcPeeringRequestBody().withPeering(
                new v2.CreateVpcPeeringOption()
                    .withName(name ?? uniqueName("pcx"))
                    .withRequestVpcInfo(new v2.VpcInfo().withVpcId(vpcId))
                    .withAcceptVpcInfo(accept),
            ),
        ),
    );
    return res.peering!;
}

/** Creates a route through the SDK. */
export async function createRoute(
    server: RunningServer,
    who: string,
    region: string,
    vpcId: string,
    destination: string,
    peeringId: string,
): Promise<v2.VpcRoute> {
    const res = await vpcClient(server, who, region).createVpcRoute(
        new v2.CreateVpcRouteRequest().withBody(
            new v2.CreateVpcRouteRequestBody().withRoute(
                new v2.CreateVpcRouteOption()
                    .withVpcId(vpcId)
                    .withDestination(destination)
                    .withNexthop(peeringId)
                    .withType(v2.CreateVpcRouteOptionTypeEnum.PEERING),
            ),
        ),
    );
    return res.route!;
}

/** {@link onSocket} sends raw bytes on a new connection and returns everything the server wrote before closing. */
export function onSocket(server: RunningServer, bytes: string): Promise<string> {
    const { port } = new URL(server.url);
    return new Promise((resolve) => {
        let text = "";
        const sock = net.connect(Number(port), "127.0.0.1", () => sock.write(bytes));
        sock.on("data", (d) => (text += d.toString()));
        sock.on("close", () => resolve(text));
        sock.on("error", () => resolve(text));
    });
}
