// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Longer than ~400 lines: the whole signature (sign and verify) in one module on purpose, so they cannot diverge.
//
// Huawei Cloud's AK/SK request signature, algorithm `SDK-HMAC-SHA256` (reference §4.3). One module, pure
// functions only (node:crypto, no I/O): the API server verifies with it and the provider's HTTP client signs
// with it, so the two can never disagree about a canonical request.
//
// The rules, as the official SDKs apply them:
// - canonical URI: the path split on `/`, each segment percent-encoded (only A–Z a–z 0–9 - _ . ~ stay as
//   they are, uppercase hex), always ending in `/`;
// - canonical query: names sorted, values of a name sorted, both encoded like path segments, `k=v` joined by `&`;
// - canonical headers: exactly the signed headers, lowercase name, trimmed value, one `name:value\n` each;
// - payload hash: lowercase hex SHA-256 of the raw body bytes (a signer may declare `X-Sdk-Content-Sha256`
//   instead; the verifier honours a declaration only when it is signed and true, see `receivedPayloadHash`);
// - string to sign: `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256(canonical request)>`;
// - signature: hex HMAC-SHA256 keyed with the secret key's bytes, no derivation.

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** {@link SIGNING_ALGORITHM} is the algorithm name at the start of the `Authorization` header. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** {@link DATE_HEADER} is the header carrying the signing time, `YYYYMMDDTHHMMSSZ` in UTC. */
export const DATE_HEADER = "X-Sdk-Date";

/** {@link CONTENT_SHA256_HEADER} declares the payload hash (e.g. `UNSIGNED-PAYLOAD`); see {@link receivedPayloadHash}. */
export const CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256";

/** {@link UNSIGNED_PAYLOAD} is the declared payload hash of a request whose body is not signed. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** {@link EMPTY_BODY_SHA256} is the SHA-256 of zero bytes, the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** {@link DEFAULT_MAX_CLOCK_SKEW_MS} is how far `X-Sdk-Date` may be from the verifier's clock: 15 minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** {@link HeaderBag} is a set of request headers; names are matched case-insensitively. */
export type HeaderBag = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** {@link Body} is a request body as it is (or will be) sent on the wire. */
export type Body = string | Uint8Array | undefined;

/**
 * {@link encodeSegment} percent-encodes `text` the way the signers do: UTF-8, every byte outside
 * `A–Z a–z 0–9 - _ . ~` becomes `%XX` with uppercase hex.
 */
export function encodeSegment(text: string): string {
    let out = "";
    for (const byte of Buffer.from(text, "utf8")) {
        const c = String.fromCharCode(byte);
        if (/[A-Za-z0-9\-_.~]/.test(c)) {
            out += c;
        } else {
            out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
        }
    }
    return out;
}

/** Decodes percent escapes leniently: a malformed escape is kept as it is rather than throwing. */
function decodeLenient(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/**
 * {@link splitUrl} splits a request target into its raw path and raw query. `url` may be a full URL
 * (`https://host/path?q`) or an origin-form target as a server receives it (`/path?q`).
 */
export function splitUrl(url: string): { host?: string; path: string; query: string } {
    let rest = url;
    let host: string | undefined;
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(rest);
    if (scheme) {
        host = scheme[1];
        rest = rest.slice(scheme[0].length);
    }
    const hash = rest.indexOf("#");
    if (hash >= 0) rest = rest.slice(0, hash);
    const q = rest.indexOf("?");
    const path = q >= 0 ? rest.slice(0, q) : rest;
    const query = q >= 0 ? rest.slice(q + 1) : "";
    return { host, path: path === "" ? "/" : path, query };
}

/**
 * {@link canonicalUri} turns a raw (possibly percent-encoded) path into the canonical URI: each segment
 * decoded, re-encoded with {@link encodeSegment}, and a trailing `/` added when missing.
 */
export function canonicalUri(rawPath: string): string {
    const joined = rawPath
        .split("/")
        .map((segment) => encodeSegment(decodeLenient(segment)))
        .join("/");
    return joined.endsWith("/") ? joined : joined + "/";
}

/**
 * {@link canonicalQueryString} turns a raw query string (`b=2&a=1&a=0`) into the canonical one
 * (`a=0&a=1&b=2`). `+` is read as a space, as Go's and Node's query parsers do. Empty pairs are dropped.
 */
export function canonicalQueryString(rawQuery: string): string {
    const pairs: Array<[string, string]> = [];
    for (const part of rawQuery.split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        const k = eq >= 0 ? part.slice(0, eq) : part;
        const v = eq >= 0 ? part.slice(eq + 1) : "";
        pairs.push([decodeLenient(k.replace(/\+/g, " ")), decodeLenient(v.replace(/\+/g, " "))]);
    }
    pairs.sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]));
    return pairs.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join("&");
}

function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Finds a header value case-insensitively; arrays (repeated headers) are joined with `,`. */
function headerValue(headers: HeaderBag, name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const key of Object.keys(headers)) {
        if (key.toLowerCase() !== lower) continue;
        const value = headers[key];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(",") : String(value);
    }
    return undefined;
}

/** {@link sha256Hex} is the lowercase hex SHA-256 of `data` (strings are hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
    return createHash("sha256").update(data).digest("hex");
}

/** {@link hmacSha256Hex} is the lowercase hex HMAC-SHA256 of `data` keyed with the UTF-8 bytes of `key`. */
export function hmacSha256Hex(key: string, data: string): string {
    return createHmac("sha256", key).update(data).digest("hex");
}

/** The SHA-256 of the exact body bytes. Never re-serialise JSON before hashing. */
function bodyHash(body: Body): string {
    return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
}

/**
 * {@link payloadHash} is the last line of the canonical request a *signer* builds: the `X-Sdk-Content-Sha256`
 * header when the caller declares one, else the SHA-256 of the exact body bytes (a trailing newline or a
 * different key order changes the hash).
 */
export function payloadHash(headers: HeaderBag, body: Body): string {
    const declared = headerValue(headers, CONTENT_SHA256_HEADER);
    if (declared !== undefined && declared !== "") return declared;
    return bodyHash(body);
}

/**
 * {@link receivedPayloadHash} is the payload hash a *verifier* may use, always derived from the received
 * bytes: a declared `X-Sdk-Content-Sha256` counts only when it is among the signed headers, and then it must
 * equal the body's real SHA-256, or be `UNSIGNED-PAYLOAD` on a request without a body (the SDKs declare
 * that only for non-JSON content, and every body of the VPC API is JSON). An unsigned declaration is ignored
 * (a signature computed over it then fails); a signed false one is refused with the reason.
 */
export function receivedPayloadHash(
    headers: HeaderBag,
    signedHeaders: readonly string[],
    body: Body,
): { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly message: string } {
    const real = bodyHash(body);
    const declared = headerValue(headers, CONTENT_SHA256_HEADER)?.trim();
    const signed = normaliseSignedHeaders(signedHeaders).includes(CONTENT_SHA256_HEADER.toLowerCase());
    if (declared === undefined || declared === "" || !signed) return { ok: true, hash: real };
    if (declared.toLowerCase() === real) return { ok: true, hash: declared };
    if (declared === UNSIGNED_PAYLOAD) {
        if (real === EMPTY_BODY_SHA256) return { ok: true, hash: declared };
        return {
            ok: false,
            message: `${CONTENT_SHA256_HEADER}: ${UNSIGNED_PAYLOAD} is accepted only on a request without a body; sign the JSON body (its SHA-256 is ${real})`,
        };
    }
    return {
        ok: false,
        message: `the body's SHA-256 is ${real}, not the declared ${CONTENT_SHA256_HEADER} ${JSON.stringify(declared.slice(0, 80))}`,
    };
}

/** {@link CanonicalRequestInput} is everything the canonical request is built from. */
export interface CanonicalRequestInput {
    /** The HTTP method, any case. */
    readonly method: string;
    /** A full URL or an origin-form target (`/path?query`), exactly as sent or received. */
    readonly url: string;
    /** The request headers; only those named in `signedHeaders` are used. */
    readonly headers: HeaderBag;
    /** The names of the signed headers, any case and order. */
    readonly signedHeaders: readonly string[];
    /** The raw body bytes. */
    readonly body?: Body;
    /** The payload hash to use instead of {@link payloadHash} (the verifier passes {@link receivedPayloadHash}'s). */
    readonly payloadHash?: string;
}

/** {@link normaliseSignedHeaders} lowercases, de-duplicates and sorts header names. */
export function normaliseSignedHeaders(names: readonly string[]): string[] {
    return [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ""))].sort(compareStrings);
}

/**
 * {@link canonicalRequest} builds the six-line canonical request of reference §4.3: method, canonical URI,
 * canonical query, canonical headers (ending with an empty line), signed header names, payload hash.
 * A signed header that is absent contributes an empty value (the signature then fails, as it should).
 */
export function canonicalRequest(input: CanonicalRequestInput): string {
    const { path, query } = splitUrl(input.url);
    const names = normaliseSignedHeaders(input.signedHeaders);
    let headerBlock = "";
    for (const name of names) {
        headerBlock += `${name}:${(headerValue(input.headers, name) ?? "").trim()}\n`;
    }
    return [
        input.method.toUpperCase(),
        canonicalUri(path),
        canonicalQueryString(query),
        headerBlock,
        names.join(";"),
        input.payloadHash ?? payloadHash(input.headers, input.body),
    ].join("\n");
}

/** {@link stringToSign} is `SDK-HMAC-SHA256\n<date>\n<hex sha256(canonical request)>`. */
export function stringToSign(canonical: string, sdkDate: string): string {
    return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** {@link signature} is the hex HMAC-SHA256 of the string to sign, keyed with the secret key. */
export function signature(secretKey: string, toSign: string): string {
    return hmacSha256Hex(secretKey, toSign);
}

/** {@link formatSdkDate} formats an instant as `YYYYMMDDTHHMMSSZ` in UTC (e.g. `20191115T033655Z`). */
export function formatSdkDate(date: Date): string {
    return date
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
}

/** {@link parseSdkDate} reads a `YYYYMMDDTHHMMSSZ` value; `undefined` when the text is not one. */
export function parseSdkDate(text: string): Date | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!m) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
    if (h > 23 || mi > 59 || s > 59) return undefined;
    return date;
}

/** {@link SignRequestInput} describes a request to sign. */
export interface SignRequestInput {
    /** The HTTP method. */
    readonly method: string;
    /**
     * The full URL the request goes to (`http://127.0.0.1:8080/ap-southeast-1/v2.0/vpc/peerings?limit=2`).
     * The path that is signed is the whole path the server will receive, including any region prefix.
     */
    readonly url: string;
    /** Headers that will be sent; by default all of them are signed (see `signedHeaders`). */
    readonly headers?: HeaderBag;
    /** The exact body bytes that will be sent (serialise once, sign and send the same string). */
    readonly body?: Body;
    /** The access key (AK). */
    readonly accessKey: string;
    /** The secret key (SK). */
    readonly secretKey: string;
    /**
     * The signing time; a `Date` or a ready `YYYYMMDDTHHMMSSZ` string. An `X-Sdk-Date` already present in
     * `headers` wins over this.
     * @default the current time
     */
    readonly date?: Date | string;
    /**
     * The headers to sign. `x-sdk-date` is always added.
     * @default every header in `headers` except `authorization` and names containing `_` (as the Go SDK does)
     */
    readonly signedHeaders?: readonly string[];
}

/** {@link SignatureHeaders} are the headers {@link signRequest} asks the caller to add to the request. */
export interface SignatureHeaders {
    readonly "X-Sdk-Date": string;
    readonly Authorization: string;
}

/**
 * {@link signRequest} signs a request with `SDK-HMAC-SHA256` and returns the two headers to add:
 * `X-Sdk-Date` and `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>`.
 *
 * Sign exactly what is sent: the body bytes, the path including any region prefix, and header values
 * as they go on the wire. To sign `host`, put it in `headers` (as the Node SDK does).
 */
export function signRequest(input: SignRequestInput): SignatureHeaders {
    const given = input.headers ?? {};
    const presentDate = headerValue(given, DATE_HEADER);
    const sdkDate =
        presentDate ??
        (typeof input.date === "string"
            ? input.date
            : formatSdkDate(input.date instanceof Date ? input.date : new Date()));
    const headers: Record<string, string | number | readonly string[] | undefined> = { ...given };
    if (presentDate === undefined) headers[DATE_HEADER] = sdkDate;
    const names =
        input.signedHeaders !== undefined
            ? [...input.signedHeaders, "x-sdk-date"]
            : Object.keys(headers).filter((n) => n.toLowerCase() !== "authorization" && !n.includes("_"));
    const signed = normaliseSignedHeaders(names);
    const canonical = canonicalRequest({
        method: input.method,
        url: input.url,
        headers,
        signedHeaders: signed,
        body: input.body,
    });
    const sig = signature(input.secretKey, stringToSign(canonical, sdkDate));
    return {
        "X-Sdk-Date": sdkDate,
        Authorization: `${SIGNING_ALGORITHM} Access=${input.accessKey}, SignedHeaders=${signed.join(";")}, Signature=${sig}`,
    };
}

/** {@link ParsedAuthorization} is the content of an `SDK-HMAC-SHA256` `Authorization` header. */
export interface ParsedAuthorization {
    readonly accessKey: string;
    /** Lowercase names, in the order the client listed them. */
    readonly signedHeaders: readonly string[];
    /** Lowercase hex. */
    readonly signature: string;
}

/**
 * {@link parseAuthorization} reads `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`. Whitespace
 * around the separators is tolerated; the three parts may come in any order. `undefined` when the header
 * is not of that shape (another algorithm, a missing part, a duplicate part, a non-hex signature).
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
    if (typeof header !== "string") return undefined;
    const trimmed = header.trim();
    if (!trimmed.startsWith(SIGNING_ALGORITHM + " ")) return undefined;
    const parts = new Map<string, string>();
    for (const piece of trimmed.slice(SIGNING_ALGORITHM.length + 1).split(",")) {
        const eq = piece.indexOf("=");
        if (eq < 0) return undefined;
        const key = piece.slice(0, eq).trim();
        const value = piece.slice(eq + 1).trim();
        if (parts.has(key)) return undefined;
        parts.set(key, value);
    }
    const accessKey = parts.get("Access");
    const signedHeaders = parts.get("SignedHeaders");
    const sig = parts.get("Signature");
    if (!accessKey || !signedHeaders || !sig || parts.size !== 3) return undefined;
    if (!/^[0-9a-fA-F]{64}$/.test(sig)) return undefined;
    const names = signedHeaders.split(";").map((n) => n.trim().toLowerCase());
    if (names.some((n) => n === "")) return undefined;
    return { accessKey, signedHeaders: names, signature: sig.toLowerCase() };
}

/** {@link VerifyRequestInput} is a received request plus the verifier's key lookup and clock. */
export interface VerifyRequestInput {
    /** The received method. */
    readonly method: string;
    /** The received request target, `/path?query`, exactly as it arrived (not decoded). */
    readonly url: string;
    /** The received headers (Node's `IncomingHttpHeaders` fits). The `host` value is the received Host. */
    readonly headers: HeaderBag;
    /** The raw received body bytes. */
    readonly body?: Body;
    /** Returns the secret key of an access key, or `undefined` when the key is unknown. */
    readonly lookupSecret: (accessKey: string) => string | undefined;
    /** @default the current time */
    readonly now?: Date;
    /** @default {@link DEFAULT_MAX_CLOCK_SKEW_MS} (15 minutes) */
    readonly maxClockSkewMs?: number;
}

/** {@link VerifyFailureReason} names why a signature was not accepted. */
export type VerifyFailureReason =
    | "missing" // no Authorization header
    | "malformed" // not an SDK-HMAC-SHA256 header of the documented shape
    | "date-missing" // no X-Sdk-Date, or it is not signed, or it is not YYYYMMDDTHHMMSSZ
    | "expired" // X-Sdk-Date is too far from the verifier's clock
    | "unknown-key" // the access key is not known
    | "payload-hash" // a signed X-Sdk-Content-Sha256 that is not the body's hash (see receivedPayloadHash)
    | "mismatch"; // the signature does not match

/** {@link VerifyResult} is the outcome of {@link verifySignature}. */
export type VerifyResult =
    | { readonly ok: true; readonly accessKey: string; readonly signedHeaders: readonly string[] }
    | {
          readonly ok: false;
          readonly reason: VerifyFailureReason;
          readonly message: string;
          readonly accessKey?: string;
          /** The canonical request the verifier built (only for `mismatch`), to help debug a client. */
          readonly canonicalRequest?: string;
      };

/**
 * {@link verifySignature} checks an `SDK-HMAC-SHA256` signature the way the gateway does: it rebuilds the
 * canonical request from the received method, path, query and raw body (hashed here, see
 * {@link receivedPayloadHash}) and from exactly the headers the
 * client listed in `SignedHeaders` (extra unsigned headers are fine), requires a signed `X-Sdk-Date` within
 * the allowed clock skew, and compares signatures in constant time.
 */
export function verifySignature(input: VerifyRequestInput): VerifyResult {
    const header = headerValue(input.headers, "authorization");
    if (header === undefined || header === "") {
        return { ok: false, reason: "missing", message: "the request has no Authorization header" };
    }
    const auth = parseAuthorization(header);
    if (!auth) {
        return {
            ok: false,
            reason: "malformed",
            message: `the Authorization header is not "${SIGNING_ALGORITHM} Access=<AK>, SignedHeaders=<names>, Signature=<hex>"`,
        };
    }
    const sdkDate = headerValue(input.headers, DATE_HEADER);
    const when = sdkDate === undefined ? undefined : parseSdkDate(sdkDate.trim());
    if (sdkDate === undefined || !when || !auth.signedHeaders.includes("x-sdk-date")) {
        return {
            ok: false,
            reason: "date-missing",
            accessKey: auth.accessKey,
            message: "X-Sdk-Date must be present, signed, and formatted YYYYMMDDTHHMMSSZ",
        };
    }
    const now = input.now ?? new Date();
    const skew = input.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    if (Math.abs(now.getTime() - when.getTime()) > skew) {
        return {
            ok: false,
            reason: "expired",
            accessKey: auth.accessKey,
            message: `signature expired, signature time:${sdkDate.trim()}, server time:${formatSdkDate(now)}`,
        };
    }
    const secret = input.lookupSecret(auth.accessKey);
    if (secret === undefined) {
        return { ok: false, reason: "unknown-key", accessKey: auth.accessKey, message: "the access key is not known" };
    }
    const payload = receivedPayloadHash(input.headers, auth.signedHeaders, input.body);
    if (!payload.ok) return { ok: false, reason: "payload-hash", accessKey: auth.accessKey, message: payload.message };
    const canonical = canonicalRequest({
        method: input.method,
        url: input.url,
        headers: input.headers,
        signedHeaders: auth.signedHeaders,
        payloadHash: payload.hash,
    });
    const expected = Buffer.from(signature(secret, stringToSign(canonical, sdkDate.trim())), "hex");
    const given = Buffer.from(auth.signature, "hex");
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return {
            ok: false,
            reason: "mismatch",
            accessKey: auth.accessKey,
            message: "verify aksk signature fail",
            canonicalRequest: canonical,
        };
    }
    return { ok: true, accessKey: auth.accessKey, signedHeaders: normaliseSignedHeaders(auth.signedHeaders) };
}
