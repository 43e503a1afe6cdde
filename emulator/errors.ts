// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The one error catalogue of the API server. Every refusal the server can answer is a function here that
// returns an {@link ApiError}; `renderError` (used only by the server's choke point) turns it into the status,
// headers and body of the family the real API uses (reference §3.4):
//
// | family    | where                                  | body                                                  |
// |-----------|----------------------------------------|-------------------------------------------------------|
// | `neutron` | `/v2.0/vpc/peerings`, `/v2.0/vpc/routes` | `{"NeutronError": {"type", "message", "detail": ""}}` |
// | `v1`      | `/v1/{project_id}/vpcs`                  | `{"code": "VPC.xxxx", "message"}`                     |
// | `v3`      | `/v3/{project_id}/vpc/vpcs/{id}`         | `{"error_msg", "error_code", "request_id"}`           |
// | `gateway` | auth failures, unknown paths, IAM, faults | `{"error_msg", "error_code", "request_id"}`           |
//
// Codes and types marked "emulator-defined" are choices of this server where the reference found no source.

/** {@link ErrorFamily} is the wire shape of an error body. */
export type ErrorFamily = "neutron" | "v1" | "v3" | "gateway";

/** {@link ApiError} is a refusal with a fixed status, family and code (a `VPC.xxxx`, `APIGW.xxxx` or Neutron type). */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly family: ErrorFamily,
        readonly code: string,
        message: string,
        readonly headers: Readonly<Record<string, string>> = {},
    ) {
        super(message);
        this.name = "ApiError";
    }
}

/** {@link RenderedError} is what goes on the wire for an {@link ApiError}. */
export interface RenderedError {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: unknown;
}

/** {@link renderError} gives the body of `err` in its family's shape. */
export function renderError(err: ApiError, requestId: string): RenderedError {
    let body: unknown;
    switch (err.family) {
        case "neutron":
            body = { NeutronError: { type: err.code, message: err.message, detail: "" } };
            break;
        case "v1":
            body = { code: err.code, message: err.message };
            break;
        case "v3":
        case "gateway":
            body = { error_msg: err.message, error_code: err.code, request_id: requestId };
            break;
    }
    return { status: err.status, headers: err.headers, body };
}

const neutron = (status: number, type: string, message: string) => new ApiError(status, "neutron", type, message);
const v1 = (status: number, code: string, message: string) => new ApiError(status, "v1", code, message);
const v3 = (status: number, code: string, message: string) => new ApiError(status, "v3", code, message);
const gateway = (status: number, code: string, message: string, headers?: Record<string, string>) =>
    new ApiError(status, "gateway", code, message, headers);

/**
 * {@link invalidInput} is the "bad request body / parameter" error of each family: Neutron `InvalidInput`
 * (documented type), v1 `VPC.0101` (documented), v3 `VPC.9901` (emulator-defined), gateway `APIGW.0201`
 * (emulator-defined).
 */
export function invalidInput(family: ErrorFamily, detail: string): ApiError {
    switch (family) {
        case "neutron":
            return neutron(400, "InvalidInput", `Invalid input for operation: ${detail}`);
        case "v1":
            return v1(400, "VPC.0101", `Invalid VPC parameter values: ${detail}`);
        case "v3":
            return v3(400, "VPC.9901", `Invalid parameter: ${detail}`);
        case "gateway":
            return gateway(400, "APIGW.0201", `Bad request: ${detail}`);
    }
}

/** {@link malformedBody} is a body that is not a JSON object (Neutron type `MalformedRequestBody`, as Neutron names it). */
export function malformedBody(family: ErrorFamily, detail: string): ApiError {
    if (family === "neutron") return neutron(400, "MalformedRequestBody", `Malformed request body: ${detail}`);
    return invalidInput(family, `the request body is not a JSON object: ${detail}`);
}

/** The catalogue, grouped by API family. */
export const Errors = {
    // ---- gateway (reference §4.6) -------------------------------------------------------------------
    /** 404 `APIGW.0101`, documented: no API at this method and path. */
    apiNotFound: (method: string, path: string) =>
        gateway(
            404,
            "APIGW.0101",
            `The API does not exist or has not been published in the environment (${method} ${path})`,
        ),
    /** 401 `APIGW.0301`, documented code: no credentials at all. */
    authMissing: () =>
        gateway(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: neither X-Auth-Token nor an SDK-HMAC-SHA256 Authorization header is present",
        ),
    /** 401 `APIGW.0301`, documented: the signature does not match; the canonical request is echoed with `|` for newlines. */
    signatureMismatch: (canonicalRequest: string) =>
        gateway(
            401,
            "APIGW.0301",
            `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:${canonicalRequest.replace(/\n/g, "|")}`,
        ),
    /** 401 `APIGW.0301`: the Authorization header is not of the SDK-HMAC-SHA256 shape, or X-Sdk-Date is missing/unsigned. */
    signatureMalformed: (detail: string) =>
        gateway(401, "APIGW.0301", `Incorrect IAM authentication information: ${detail}`),
    /** 401 `APIGW.0303`, code seen in docs: X-Sdk-Date more than 15 minutes off. */
    signatureExpired: (detail: string) =>
        gateway(401, "APIGW.0303", `Incorrect IAM authentication information: ${detail}`),
    /** 401 `APIGW.0301`: unknown access key. */
    unknownAccessKey: (ak: string) =>
        gateway(401, "APIGW.0301", `Incorrect IAM authentication information: access key ${ak} does not exist`),
    /** 401 `APIGW.0301`, documented message: token unknown. */
    tokenInvalid: () => gateway(401, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail"),
    /** 401 `APIGW.0301`, documented message: token expired. */
    tokenExpired: (expiresAt: string) =>
        gateway(401, "APIGW.0301", `Incorrect IAM authentication information: token expires, expires_at: ${expiresAt}`),
    /** 401 `APIGW.0301` (emulator-defined): the project is not one of the credential's projects in this region. */
    projectNotAllowed: (projectId: string, why: string) =>
        gateway(401, "APIGW.0301", `Incorrect IAM authentication information: project ${projectId} ${why}`),
    /** 401 `APIGW.0301` (emulator-defined): the account has no project in the region and none was named. */
    noProjectInRegion: (region: string) =>
        gateway(
            401,
            "APIGW.0301",
            `Incorrect IAM authentication information: the credential has no project in region ${region}; set X-Project-Id`,
        ),
    /** 400 `APIGW.0201` (emulator-defined): an HTTP/1.1 request without a Host header (RFC 9112 §3.2). */
    hostMissing: () =>
        gateway(400, "APIGW.0201", "Bad request: an HTTP/1.1 request needs a Host header", {
            Connection: "close",
        }),
    /** 400 `APIGW.0201` (emulator-defined): bytes the HTTP parser cannot read as a request. */
    malformedHttp: (parserCode: string) => gateway(400, "APIGW.0201", `Bad request: ${parserCode}`),
    /** 431 `APIGW.0201` (emulator-defined): the request headers are larger than the parser allows. */
    headersTooLarge: () => gateway(431, "APIGW.0201", "Request header fields too large"),
    /** 417 `APIGW.0201` (emulator-defined): an `Expect` other than `100-continue`. */
    expectationFailed: (expect: string) =>
        gateway(
            417,
            "APIGW.0201",
            `Expectation failed: only "Expect: 100-continue" is supported, not ${JSON.stringify(expect.slice(0, 80))}`,
        ),
    /** 405 `APIGW.0101` (emulator-defined): a method no API uses (CONNECT). */
    methodNotAllowed: (method: string) =>
        gateway(405, "APIGW.0101", `Method not allowed: ${method} is not supported by this API`),
    /** 413 `APIGW.0201` (emulator-defined): the body is larger than the server's limit. */
    bodyTooLarge: (limit: number) =>
        gateway(413, "APIGW.0201", `Request entity too large: the body exceeds ${limit} bytes`, {
            Connection: "close",
        }),
    /** 429 `APIGW.0308` (emulator-defined code, injected by the fault hook). */
    throttled: (retryAfter?: number) =>
        gateway(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached",
            retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {},
        ),
    /** An injected 5xx (emulator-defined code `APIGW.0203`). */
    injected: (status: number, retryAfter?: number) =>
        gateway(
            status,
            "APIGW.0203",
            `Injected fault: HTTP ${status}`,
            retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {},
        ),
    /** 500 `APIGW.0203` (emulator-defined): an unexpected exception; always a server bug, always logged. */
    internal: (requestId: string) =>
        gateway(500, "APIGW.0203", `Internal server error (a bug in the API server; request ${requestId} is logged)`),

    // ---- IAM (token endpoint; emulator-defined codes in the gateway shape) --------------------------
    /** 401 `IAM.0001` (emulator-defined): wrong user name/password or AK/SK in a token request. */
    iamBadCredentials: () => gateway(401, "IAM.0001", "The username or password is wrong."),
    /** 401 `IAM.0003` (emulator-defined): the token scope names no project of the account. */
    iamScopeNotFound: (what: string) =>
        gateway(401, "IAM.0003", `The scope project ${JSON.stringify(what)} is not a project of this account.`),
    /** 400 `IAM.0002` (emulator-defined): an unsupported or malformed token request. */
    iamBadRequest: (detail: string) => gateway(400, "IAM.0002", `Invalid token request: ${detail}`),

    // ---- Neutron-style v2.0 (peerings, routes; reference §1.7) ------------------------------------
    /** 404 `PeeringNotFound` (type emulator-defined; clients key on 404). */
    peeringNotFound: (id: string) => neutron(404, "PeeringNotFound", `Peering ${id} could not be found.`),
    /** 404 `RouteNotFound` (type emulator-defined). */
    routeNotFound: (id: string) => neutron(404, "RouteNotFound", `Route ${id} could not be found.`),
    /** 400 `InvalidInput`, documented message: the accept VPC is not in the named project (or region). */
    acceptVpcIncorrect: () =>
        neutron(400, "InvalidInput", "Invalid input for operation: Accept VPC id or tenant id is incorrect."),
    /** 400 `InvalidInput` (emulator-defined message): the request VPC is not the caller's VPC in this region. */
    requestVpcIncorrect: () =>
        neutron(400, "InvalidInput", "Invalid input for operation: Request VPC id or tenant id is incorrect."),
    /** 400 `InvalidInput` (emulator-defined): both sides are the same VPC. */
    peeringSelf: (vpcId: string) =>
        neutron(
            400,
            "InvalidInput",
            `Invalid input for operation: [peering-self] VPC ${vpcId} cannot be peered with itself.`,
        ),
    /** 409 `VpcPeeringExists` (emulator-defined): a peering already joins the two VPCs (either direction). */
    peeringDuplicate: (existingId: string) =>
        neutron(
            409,
            "VpcPeeringExists",
            `[peering-duplicate-pair] Only one VPC peering connection can exist between two VPCs: peering ${existingId} already joins them.`,
        ),
    /** 409 `OverQuota` (emulator-defined text; Neutron's quota type). */
    overQuota: (resource: string, limit: number) =>
        neutron(409, "OverQuota", `Quota exceeded for resources: ['${resource}'] (limit ${limit}).`),
    /** 409 `VpcPeeringStateConflict` (emulator-defined), message as the providers phrase it. */
    peeringNotPending: (action: "accept" | "reject", status: string) =>
        neutron(
            409,
            "VpcPeeringStateConflict",
            `VPC peering action not permitted: Can not ${action} peering request not in PENDING_ACCEPTANCE state (status is ${status}).`,
        ),
    /** 403 `PolicyNotAuthorized` (emulator-defined): only the accepter project may accept or reject. */
    notAccepter: (action: "accept" | "reject") =>
        neutron(
            403,
            "PolicyNotAuthorized",
            `[accepter-wrong-account] Only the accepter project of the peering can ${action} it.`,
        ),
    /** 403 `PolicyNotAuthorized` (emulator-defined): another tenant's id given where only an admin may. */
    foreignTenant: (what: string) =>
        neutron(
            403,
            "PolicyNotAuthorized",
            `Only an administrator can specify the tenant ID of another tenant (${what}).`,
        ),
    /** 409 `RouteDestinationConflict` (emulator-defined type; the route-table API calls this VPC.2812). */
    routeDuplicate: (destination: string, vpcId: string, existingId: string) =>
        neutron(
            409,
            "RouteDestinationConflict",
            `[route-destination-conflict] A route to ${destination} already exists in VPC ${vpcId} (route ${existingId}).`,
        ),
    /** 409 `VpcPeeringNotActive` (emulator-defined): a route's next hop must be an ACTIVE peering. */
    routePeeringNotActive: (peeringId: string, status: string) =>
        neutron(
            409,
            "VpcPeeringNotActive",
            `The next hop peering ${peeringId} is ${status}; routes can only use an ACTIVE peering.`,
        ),

    // ---- VPC v1 (reference §3.4) -------------------------------------------------------------------
    /** 404 `VPC.0003`, documented. */
    vpcNotFound: (id: string) => v1(404, "VPC.0003", `VPC does not exist. (${id})`),
    /** A bad tag or too many tags (documented code of the tag calls). */
    invalidTag: (detail: string) => v1(400, "VPC.1801", `Invalid tag: ${detail}`),
    /** 400 `VPC.0007`, documented: the project in the URL is not the authenticated project. */
    inconsistentTenant: (pathProject: string, authProject: string) =>
        v1(400, "VPC.0007", `Inconsistent tenant IDs. (path ${pathProject}, credential ${authProject})`),
    /** 400 `VPC.0115`, documented. */
    vpcNameExists: (name: string) => v1(400, "VPC.0115", `The router name exists. (${name})`),
    /** 409 `VPC.0114`, documented. */
    vpcOverQuota: (limit: number) => v1(409, "VPC.0114", `Quota exceeded for resources: ['router']. (limit ${limit})`),
    /** 409 `VPC.0103`, documented: delete while still CREATING. */
    vpcBusy: (id: string) =>
        v1(409, "VPC.0103", `Resource status is busy, try it again later. (VPC ${id} is CREATING)`),
    /** 409 `VPC.0120`, documented: routes still use the VPC. */
    vpcHasRoutes: (id: string, count: number) =>
        v1(
            409,
            "VPC.0120",
            `Extension routes exist under this router. Delete the routes first. (VPC ${id} has ${count})`,
        ),
    /** 409 `VPC.0121` (emulator-defined code): peerings still use the VPC. */
    vpcHasPeerings: (id: string, peeringIds: readonly string[]) =>
        v1(
            409,
            "VPC.0121",
            `VPC peering connections exist under this router. Delete the peering connections first. (VPC ${id}: ${peeringIds.join(", ")})`,
        ),
    /** 400 `VPC.0117`-style (emulator-defined use): a new CIDR would overlap a route's destination. */
    vpcCidrConflictsRoutes: (cidr: string, destinations: readonly string[]) =>
        v1(
            400,
            "VPC.0117",
            `[route-overlaps-own-vpc] VPC CIDR ${cidr} would overlap the destination of existing routes: ${destinations.join(", ")}. Delete those routes first.`,
        ),

    // ---- VPC v3 ----------------------------------------------------------------------------------
    /** 404 `VPC.9904`, documented for v3. */
    vpcNotFoundV3: (id: string) => v3(404, "VPC.9904", `VPC ${id} does not exist.`),
    /** 400 `VPC.0007` in the v3 shape (emulator-defined). */
    inconsistentTenantV3: (pathProject: string, authProject: string) =>
        v3(400, "VPC.0007", `Inconsistent tenant IDs. (path ${pathProject}, credential ${authProject})`),
} as const;

/** {@link inconsistentTenantIn} is "the path's project is not the credential's project" in the v1 or v3 shape. */
export function inconsistentTenantIn(family: ErrorFamily, pathProject: string, authProject: string): ApiError {
    return family === "v3"
        ? Errors.inconsistentTenantV3(pathProject, authProject)
        : Errors.inconsistentTenant(pathProject, authProject);
}
