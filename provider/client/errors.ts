// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Typed API errors and the ONE function that maps an axios failure to them. Every error carries the HTTP
// status, the API's error code, the request id, the method and the path, and its message says what to do.

import type { AxiosError } from "axios";

/** {@link ApiErrorKind} names the failure kinds the client distinguishes. */
export type ApiErrorKind = "validation" | "auth" | "not-found" | "conflict" | "throttled" | "server" | "connection";

/** {@link ApiErrorDetails} is what every {@link ApiError} knows about the failed call. */
export interface ApiErrorDetails {
    /** HTTP method, uppercase. */
    readonly method: string;
    /** Request path (without the endpoint's origin), e.g. `/r1/v2.0/vpc/peerings`. */
    readonly path: string;
    /** HTTP status; `undefined` when no response arrived. */
    readonly status?: number;
    /** The API's error code (`VPC.0115`, `APIGW.0301`, a NeutronError type, ...), when it sent one. */
    readonly code?: string;
    /** The API's request id (`X-Request-Id` header or `request_id` in the body), when it sent one. */
    readonly requestId?: string;
    /** The API's own message, unmodified. */
    readonly apiMessage?: string;
    /** The account profile the call was made for, used to make messages actionable. */
    readonly account?: string;
    /** The endpoint (origin + region prefix) the call went to. */
    readonly endpoint?: string;
}

/** {@link ApiError} is the base class of every error the API client throws. */
export abstract class ApiError extends Error implements ApiErrorDetails {
    /** The failure kind; one subclass per kind. */
    abstract readonly kind: ApiErrorKind;
    readonly method: string;
    readonly path: string;
    readonly status?: number;
    readonly code?: string;
    readonly requestId?: string;
    readonly apiMessage?: string;
    readonly account?: string;
    readonly endpoint?: string;

    constructor(details: ApiErrorDetails, hint: string) {
        super(formatMessage(details, hint));
        this.name = new.target.name;
        this.method = details.method;
        this.path = details.path;
        this.status = details.status;
        this.code = details.code;
        this.requestId = details.requestId;
        this.apiMessage = details.apiMessage;
        this.account = details.account;
        this.endpoint = details.endpoint;
    }
}

/** {@link ValidationError} is a 400/422: the request was malformed or broke a business rule. */
export class ValidationError extends ApiError {
    readonly kind = "validation";
    constructor(d: ApiErrorDetails) {
        super(d, "the API rejected the request as invalid; correct the value it names and run again");
    }
}

/** {@link AuthError} is a 401/403: the credentials were refused or lack permission. */
export class AuthError extends ApiError {
    readonly kind = "auth";
    constructor(d: ApiErrorDetails) {
        const who = d.account !== undefined ? `account profile '${d.account}'` : "the account profile";
        super(
            d,
            d.status === 403
                ? `${who} is not allowed to do this; check its project ID for this region and its permissions`
                : `the credentials of ${who} were refused; check its access key / secret key (or token) in ` +
                      `vpcpeering:profiles or VPCPEERING_PROFILE_<NAME>_* and that the clock is within 15 minutes`,
        );
    }
}

/** {@link NotFoundError} is a 404: the object does not exist (or is not visible to this account). */
export class NotFoundError extends ApiError {
    readonly kind = "not-found";
    constructor(d: ApiErrorDetails) {
        super(d, "the object does not exist or is not visible to this account");
    }
}

/** {@link ConflictError} is a 409: the object is busy or the request conflicts with existing objects. */
export class ConflictError extends ApiError {
    readonly kind = "conflict";
    constructor(d: ApiErrorDetails) {
        super(d, "the request conflicts with the current state of the object; wait or remove what it conflicts with");
    }
}

/** {@link ThrottledError} is a 429: too many requests. `retryAfterMs` is the server's `Retry-After`, if sent. */
export class ThrottledError extends ApiError {
    readonly kind = "throttled";
    /** The delay the server asked for, in milliseconds. */
    readonly retryAfterMs?: number;
    constructor(d: ApiErrorDetails, retryAfterMs?: number) {
        super(d, "the API is throttling requests; retried until the deadline; run again later or raise the timeout");
        this.retryAfterMs = retryAfterMs;
    }
}

/** {@link ServerError} is a 5xx: the API failed; it is retried until the deadline. */
export class ServerError extends ApiError {
    readonly kind = "server";
    constructor(d: ApiErrorDetails) {
        super(d, "the API failed on its side; retried until the deadline; run again later");
    }
}

/** {@link ApiConnectionError} means no response arrived (refused, reset, DNS, timeout). */
export class ApiConnectionError extends ApiError {
    readonly kind = "connection";
    constructor(d: ApiErrorDetails) {
        super(
            d,
            `no response from ${d.endpoint ?? "the endpoint"}; check that the API server is running and that ` +
                "vpcpeering:endpoint / VPCPEERING_ENDPOINT points at it",
        );
    }
}

/** {@link isApiError} narrows an unknown value to {@link ApiError}. */
export function isApiError(e: unknown): e is ApiError {
    return e instanceof ApiError;
}

/** {@link RequestContext} identifies a call for {@link toApiError}. */
export interface RequestContext {
    readonly method: string;
    readonly path: string;
    readonly account?: string;
    readonly endpoint?: string;
}

/**
 * {@link toApiError} is the single place where a failed HTTP call becomes a typed error:
 *
 * | status | class |
 * |---|---|
 * | 400, 422 (and other 4xx not listed) | {@link ValidationError} |
 * | 401, 403 | {@link AuthError} |
 * | 404 | {@link NotFoundError} |
 * | 409 | {@link ConflictError} |
 * | 429 | {@link ThrottledError} |
 * | ≥ 500 | {@link ServerError} |
 * | no response | {@link ApiConnectionError} |
 *
 * The API's code and message are read from any of the body shapes the VPC APIs use (`{code, message}`,
 * `{NeutronError: {type, message}}`, `{error_code, error_msg, request_id}`, `{error: {code, message}}`).
 */
export function toApiError(err: unknown, ctx: RequestContext): ApiError {
    if (err instanceof ApiError) return err;
    const ax = err as Partial<AxiosError> & { code?: string; message?: string };
    const response = ax?.response;
    if (!response) {
        const why = [ax?.code, ax?.message].filter((x) => x !== undefined && x !== "").join(": ");
        return new ApiConnectionError({ ...ctx, apiMessage: why || String(err) });
    }
    return errorFromResponse(response.status, response.headers as Record<string, unknown>, response.data, ctx);
}

/** {@link errorFromResponse} maps an HTTP status, headers and body to an {@link ApiError} (see {@link toApiError}). */
export function errorFromResponse(
    status: number,
    headers: Record<string, unknown> | undefined,
    data: unknown,
    ctx: RequestContext,
): ApiError {
    const body = parseBody(data);
    const found = findCodeAndMessage(body);
    const requestId = headerValue(headers, "x-request-id") ?? found.requestId;
    const details: ApiErrorDetails = {
        ...ctx,
        status,
        code: found.code,
        apiMessage: found.message ?? (typeof body === "string" && body !== "" ? body.slice(0, 500) : undefined),
        requestId,
    };
    if (status === 401 || status === 403) return new AuthError(details);
    if (status === 404) return new NotFoundError(details);
    if (status === 409) return new ConflictError(details);
    if (status === 429) return new ThrottledError(details, parseRetryAfter(headerValue(headers, "retry-after")));
    if (status >= 500) return new ServerError(details);
    return new ValidationError(details);
}

/** {@link parseRetryAfter} reads a `Retry-After` value (delta seconds or an HTTP date) as milliseconds. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
    if (value === undefined || value.trim() === "") return undefined;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function formatMessage(d: ApiErrorDetails, hint: string): string {
    const parts: string[] = [`${d.method} ${d.path}`];
    const status = d.status !== undefined ? `HTTP ${d.status}` : "no response";
    const code = d.code !== undefined ? ` ${d.code}` : "";
    let msg = `${parts.join(" ")} failed (${status}${code})`;
    if (d.apiMessage !== undefined && d.apiMessage !== "") msg += `: ${d.apiMessage}`;
    msg += `. ${hint[0]!.toUpperCase()}${hint.slice(1)}.`;
    if (d.requestId !== undefined) msg += ` (request id ${d.requestId})`;
    return msg;
}

function parseBody(data: unknown): unknown {
    if (typeof data === "string") {
        try {
            return JSON.parse(data);
        } catch {
            return data;
        }
    }
    if (Buffer.isBuffer(data)) return parseBody(data.toString("utf8"));
    return data;
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
    if (!headers) return undefined;
    const h = headers as { get?: (n: string) => unknown };
    let v: unknown = typeof h.get === "function" ? h.get(name) : undefined;
    if (v === undefined || v === null) {
        for (const [k, val] of Object.entries(headers)) {
            if (k.toLowerCase() === name) v = val;
        }
    }
    if (Array.isArray(v)) v = v[0];
    return v === undefined || v === null ? undefined : String(v);
}

/** Same search order as the official SDKs: error_code/error_msg, code/message, type/message, then nested objects. */
function findCodeAndMessage(body: unknown, depth = 0): { code?: string; message?: string; requestId?: string } {
    if (body === null || typeof body !== "object" || depth > 3) return {};
    const o = body as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
    const requestId = str(o["request_id"]) ?? str(o["requestId"]);
    if (str(o["error_code"]) !== undefined || str(o["error_msg"]) !== undefined) {
        return { code: str(o["error_code"]), message: str(o["error_msg"]), requestId };
    }
    if (str(o["code"]) !== undefined && str(o["message"]) !== undefined) {
        return { code: str(o["code"]), message: str(o["message"]), requestId };
    }
    if (str(o["type"]) !== undefined && str(o["message"]) !== undefined) {
        return { code: str(o["type"]), message: str(o["message"]), requestId };
    }
    for (const v of Object.values(o)) {
        if (v !== null && typeof v === "object") {
            const inner = findCodeAndMessage(v, depth + 1);
            if (inner.code !== undefined || inner.message !== undefined) {
                return { ...inner, requestId: inner.requestId ?? requestId };
            }
        }
    }
    return { message: str(o["message"]), requestId };
}
