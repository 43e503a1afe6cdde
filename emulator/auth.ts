// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Authentication: an `X-Auth-Token` from `POST /v3/auth/tokens`, or an `SDK-HMAC-SHA256` AK/SK signature
// over the full received path (region prefix included), the raw body and the headers the client signed.
// Then the project: the token's scope, or for AK/SK the `X-Project-Id` header, else the `{project_id}` of
// the path, else the account's project in the path's region.

import type { IncomingHttpHeaders } from "node:http";
import { verifySignature } from "../provider/signing/akskSigner";
import type { AccountDirectory, ProjectRef } from "./accounts";
import type { Principal } from "./context";
import { Errors } from "./errors";
import type { Store } from "./store";
import { formatTime } from "./context";

/** {@link AuthInput} is the received request, as authentication sees it. */
export interface AuthInput {
    readonly method: string;
    /** The raw request target, `/path?query`. */
    readonly url: string;
    readonly headers: IncomingHttpHeaders;
    readonly body: Buffer;
}

/** {@link AuthDeps} are the lookups and clocks authentication needs. */
export interface AuthDeps {
    readonly directory: AccountDirectory;
    readonly store: Store;
    /** Wall-clock time, for the ±15 min X-Sdk-Date window. */
    readonly wallNow: Date;
    /** The state clock, for token expiry. */
    readonly stateNow: number;
    readonly maxClockSkewMs: number;
}

/** {@link AuthenticatedCaller} is a verified caller; `tokenProject` is set for token auth. */
export interface AuthenticatedCaller {
    readonly principal: Principal;
    readonly tokenProject?: ProjectRef;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
}

/** {@link authenticate} verifies the caller's token or signature, or throws the gateway's 401. */
export function authenticate(input: AuthInput, deps: AuthDeps): AuthenticatedCaller {
    const token = header(input.headers, "x-auth-token");
    if (token !== undefined && token !== "") {
        const row = deps.store.token(token);
        if (!row) throw Errors.tokenInvalid();
        if (row.expires_at <= deps.stateNow) throw Errors.tokenExpired(formatTime(row.expires_at) + "Z");
        const account = deps.directory.accountByName(row.account);
        const project = deps.directory.project(row.project_id);
        if (!account || !project || project.account !== account) throw Errors.tokenInvalid();
        return { principal: { account, via: "token" }, tokenProject: project };
    }
    const result = verifySignature({
        method: input.method,
        url: input.url,
        headers: input.headers,
        body: input.body,
        lookupSecret: (ak) => deps.directory.accountByAccessKey(ak)?.secretKey,
        now: deps.wallNow,
        maxClockSkewMs: deps.maxClockSkewMs,
    });
    if (!result.ok) {
        switch (result.reason) {
            case "missing":
                throw Errors.authMissing();
            case "malformed":
            case "date-missing":
                throw Errors.signatureMalformed(result.message);
            case "expired":
                throw Errors.signatureExpired(result.message);
            case "unknown-key":
                throw Errors.unknownAccessKey(result.accessKey ?? "");
            case "payload-hash":
                throw Errors.signatureMalformed(result.message);
            case "mismatch":
                throw Errors.signatureMismatch(result.canonicalRequest ?? "");
        }
    }
    const account = deps.directory.accountByAccessKey(result.accessKey)!;
    return { principal: { account, via: "aksk" } };
}

/**
 * {@link resolveProject} picks the project a regional request acts in and checks that it belongs to the
 * caller and to the region. A path `{project_id}` that differs from it is refused later, per family.
 */
export function resolveProject(
    caller: AuthenticatedCaller,
    directory: AccountDirectory,
    region: string,
    headerProject: string | undefined,
    pathProject: string | undefined,
): ProjectRef {
    const account = caller.principal.account;
    let project: ProjectRef | undefined;
    if (caller.tokenProject) {
        project = caller.tokenProject;
        if (headerProject !== undefined && headerProject !== "" && headerProject !== project.id) {
            throw Errors.projectNotAllowed(headerProject, "does not match the project the token is scoped to");
        }
    } else {
        const id = headerProject || pathProject || account.projects[region];
        if (id === undefined) throw Errors.noProjectInRegion(region);
        project = directory.project(id);
        if (!project || project.account !== account) {
            throw Errors.projectNotAllowed(id, `is not a project of access key ${account.accessKey}`);
        }
    }
    if (project.region !== region) {
        throw Errors.projectNotAllowed(project.id, `is in region ${project.region}, not in ${region}`);
    }
    return project;
}
