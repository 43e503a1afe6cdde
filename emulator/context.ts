// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What a handler receives and returns. Handlers are synchronous functions run inside one store transaction;
// they throw an ApiError (from errors.ts) to refuse, and return a Reply to answer.

import type { AccountDirectory, AccountSpec, ProjectRef } from "./accounts";
import { ApiError, ErrorFamily, invalidInput, malformedBody } from "./errors";
import type { Store } from "./store";
import type { VpcCidrPolicy } from "../core/cidr";
import { characterCount, descriptionProblem, nameProblem, unsafeCharacterProblem } from "../core/text";

/** {@link Reply} is a handler's answer: status, JSON body (none for 204) and extra headers. */
export interface Reply {
    readonly status: number;
    readonly body?: unknown;
    readonly headers?: Readonly<Record<string, string>>;
}

/** {@link Quotas} are the per-project and per-VPC limits the server enforces. */
export interface Quotas {
    /** Peerings per project (pending ones count for the requester only). @default 50 */
    readonly peeringsPerProject: number;
    /** VPCs per project. @default 100 (emulator-defined; the real default is lower) */
    readonly vpcsPerProject: number;
    /** Routes per VPC. @default MAX_ROUTES_PER_VPC (200, the platform quota of the shared rules) */
    readonly routesPerVpc: number;
}

/** {@link ServerSettings} are the behaviour knobs handlers read. */
export interface ServerSettings {
    readonly vpcReadyDelayMs: number;
    readonly pendingTtlMs: number;
    readonly tokenTtlMs: number;
    readonly quotas: Quotas;
    readonly vpcCidrPolicy: VpcCidrPolicy;
}

/** {@link Principal} is who made the request. */
export interface Principal {
    readonly account: AccountSpec;
    readonly via: "aksk" | "token";
    /** The project the request acts in (set for project-scoped routes). */
    readonly project?: ProjectRef;
}

/** {@link HandlerContext} is everything a handler may use. */
export interface HandlerContext {
    readonly requestId: string;
    readonly method: string;
    /** The region of the path prefix, or `undefined` for global (IAM) paths. */
    readonly region: string | undefined;
    /** Path parameters by name, decoded. */
    readonly params: Readonly<Record<string, string>>;
    readonly query: URLSearchParams;
    readonly rawBody: Buffer;
    /** The error family of the matched route. */
    readonly family: ErrorFamily;
    /** The state clock in ms (VPC readiness, peering expiry, tokens, timestamps). */
    readonly now: number;
    /** `http://host:port` of the server itself (its bound address; never the client's Host header). */
    readonly origin: string;
    /** The raw received path (no query). */
    readonly path: string;
    readonly principal: Principal | undefined;
    readonly store: Store;
    readonly directory: AccountDirectory;
    readonly settings: ServerSettings;
}

/** {@link projectOf} returns the request's project; only called by project-scoped routes, where it is set. */
export function projectOf(ctx: HandlerContext): { id: string; region: string } {
    const p = ctx.principal?.project;
    if (!p) throw new Error("project-scoped handler called without a project");
    return p;
}

/** {@link regionOf} returns the request's region; only called by regional routes. */
export function regionOf(ctx: HandlerContext): string {
    if (ctx.region === undefined) throw new Error("regional handler called without a region");
    return ctx.region;
}

/** {@link JsonObject} is a parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** {@link isJsonObject} is true for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Decodes strictly: invalid UTF-8 is refused, never replaced by U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The first string (key or value) in `v` that carries a refused character, with its JSON path. */
function unsafeString(v: unknown, where: string): string | undefined {
    if (typeof v === "string") {
        const problem = unsafeCharacterProblem(v);
        return problem ? `${where} ${problem}` : undefined;
    }
    if (typeof v !== "object" || v === null) return undefined;
    for (const [k, inner] of Object.entries(v)) {
        const path = Array.isArray(v) ? `${where}[${k}]` : `${where}.${k}`;
        const keyProblem = Array.isArray(v) ? undefined : unsafeCharacterProblem(k);
        if (keyProblem) return `the key ${JSON.stringify(k)} of ${where} ${keyProblem}`;
        const found = unsafeString(inner, path);
        if (found) return found;
    }
    return undefined;
}

/**
 * {@link parseJsonBody} parses the raw body as a JSON object, or throws the family's malformed-body error.
 * An empty body is refused too: every route that calls this needs one. Invalid UTF-8 and strings with
 * control characters or lone surrogates (`"\u0000"`, `"\uD800"`) are refused here, for every field: stored,
 * they would be cut at the NUL or replaced by U+FFFD.
 */
export function parseJsonBody(ctx: HandlerContext): JsonObject {
    if (ctx.rawBody.length === 0) throw malformedBody(ctx.family, "the request has no body");
    let text: string;
    try {
        text = UTF8.decode(ctx.rawBody);
    } catch {
        throw malformedBody(ctx.family, "the body is not valid UTF-8");
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw malformedBody(ctx.family, `not valid JSON (${(e as Error).message})`);
    }
    if (!isJsonObject(parsed)) throw malformedBody(ctx.family, "the top level must be a JSON object");
    const unsafe = unsafeString(parsed, "body");
    if (unsafe) throw invalidInput(ctx.family, unsafe);
    return parsed;
}

/** {@link wrapped} returns `body[key]` as an object (e.g. the `peering` of `{"peering": {...}}`), or throws. */
export function wrapped(ctx: HandlerContext, body: JsonObject, key: string): JsonObject {
    const inner = body[key];
    if (!isJsonObject(inner)) throw invalidInput(ctx.family, `the body must be {"${key}": {...}}`);
    return inner;
}

/** {@link StringRule} constrains one string field. */
export interface StringRule {
    readonly required?: boolean;
    readonly min?: number;
    readonly max?: number;
    readonly pattern?: RegExp;
    /** What the pattern allows, for the message. */
    readonly patternText?: string;
    /** The field's shared validator (e.g. {@link NAME_RULE}'s): says why a value is refused, or `undefined`. */
    readonly check?: (value: string) => string | undefined;
}

/** {@link Fields} reads and checks the fields of one request object, with messages naming the field. */
export class Fields {
    constructor(
        private readonly family: ErrorFamily,
        private readonly obj: JsonObject,
        private readonly where: string,
    ) {}

    /** Refuses any key outside `allowed` (Neutron refuses unrecognised attributes). */
    onlyKeys(allowed: readonly string[]): this {
        const extra = Object.keys(this.obj).filter((k) => !allowed.includes(k));
        if (extra.length > 0) {
            throw invalidInput(
                this.family,
                `Unrecognized attribute(s) '${extra.join("', '")}' in ${this.where} (allowed: ${allowed.join(", ")})`,
            );
        }
        return this;
    }

    has(name: string): boolean {
        return this.obj[name] !== undefined;
    }

    string(name: string, rule: StringRule & { required: true }): string;
    string(name: string, rule?: StringRule): string | undefined;
    string(name: string, rule: StringRule = {}): string | undefined {
        const v = this.obj[name];
        const field = `${this.where}.${name}`;
        if (v === undefined || v === null) {
            if (rule.required) throw invalidInput(this.family, `${field} is required`);
            return undefined;
        }
        if (typeof v !== "string") throw invalidInput(this.family, `${field} must be a string, not ${describe(v)}`);
        const length = characterCount(v);
        if (rule.min !== undefined && length < rule.min) {
            throw invalidInput(this.family, `${field} must have at least ${rule.min} character(s)`);
        }
        if (rule.max !== undefined && length > rule.max) {
            throw invalidInput(this.family, `${field} is ${length} characters long; at most ${rule.max} are allowed`);
        }
        if (rule.pattern && v.length > 0 && !rule.pattern.test(v)) {
            throw invalidInput(this.family, `${field} ${JSON.stringify(v)} may contain only ${rule.patternText}`);
        }
        const problem = rule.check?.(v);
        if (problem) throw invalidInput(this.family, `${field} ${problem}`);
        return v;
    }

    boolean(name: string): boolean | undefined {
        const v = this.obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "boolean") {
            throw invalidInput(this.family, `${this.where}.${name} must be a boolean, not ${describe(v)}`);
        }
        return v;
    }

    object(name: string, required: true): JsonObject;
    object(name: string, required?: boolean): JsonObject | undefined;
    object(name: string, required = false): JsonObject | undefined {
        const v = this.obj[name];
        if (v === undefined || v === null) {
            if (required) throw invalidInput(this.family, `${this.where}.${name} is required`);
            return undefined;
        }
        if (!isJsonObject(v))
            throw invalidInput(this.family, `${this.where}.${name} must be an object, not ${describe(v)}`);
        return v;
    }

    array(name: string): unknown[] | undefined {
        const v = this.obj[name];
        if (v === undefined || v === null) return undefined;
        if (!Array.isArray(v)) {
            throw invalidInput(this.family, `${this.where}.${name} must be an array, not ${describe(v)}`);
        }
        return v;
    }

    /** Checks that `name`, when present, is of the given JSON type (for fields the server accepts but ignores). */
    typed(name: string, type: "string" | "boolean" | "array" | "object"): this {
        const v = this.obj[name];
        if (v === undefined || v === null) return this;
        const ok = type === "array" ? Array.isArray(v) : type === "object" ? isJsonObject(v) : typeof v === type;
        if (!ok)
            throw invalidInput(
                this.family,
                `${this.where}.${name} must be ${type === "array" ? "an" : "a"} ${type}, not ${describe(v)}`,
            );
        return this;
    }
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    return `a ${typeof v}`;
}

/** {@link NAME_RULE} is a required name of a peering (the shared validator of core/text.ts). */
export const NAME_RULE = { required: true, check: (v: string) => nameProblem(v) } as const;
/** {@link OPTIONAL_NAME_RULE} is the name of a VPC: optional, may be empty. */
export const OPTIONAL_NAME_RULE = { check: (v: string) => nameProblem(v, true) } as const;
/** {@link DESCRIPTION_RULE} is a description of a VPC or a peering. */
export const DESCRIPTION_RULE = { check: descriptionProblem } as const;

/** {@link Paging} is a parsed `limit`/`marker` pair. */
export interface Paging {
    readonly limit: number;
    readonly marker?: string;
}

/** {@link MAX_LIMIT} is the largest page (and the default page size). */
export const MAX_LIMIT = 2000;

/**
 * {@link singleQuery} returns the one value of a query parameter, `undefined` when absent, and refuses a
 * parameter given more than once or empty.
 */
export function singleQuery(ctx: HandlerContext, name: string): string | undefined {
    const values = ctx.query.getAll(name);
    if (values.length === 0) return undefined;
    if (values.length > 1) throw invalidInput(ctx.family, `query parameter ${name} is given ${values.length} times`);
    const problem = unsafeCharacterProblem(values[0]!);
    if (problem) throw invalidInput(ctx.family, `query parameter ${name} ${problem}`);
    return values[0];
}

/**
 * {@link parsePaging} reads `limit` (integer 0–2000; 0 or absent means 2000) and `marker`. `page_reverse=True`
 * is not supported (emulator-defined refusal).
 */
export function parsePaging(ctx: HandlerContext): Paging {
    const rawLimit = singleQuery(ctx, "limit");
    let limit = MAX_LIMIT;
    if (rawLimit !== undefined) {
        if (!/^\d{1,6}$/.test(rawLimit) || Number(rawLimit) > MAX_LIMIT) {
            throw invalidInput(
                ctx.family,
                `limit must be an integer from 0 to ${MAX_LIMIT}, not ${JSON.stringify(rawLimit)}`,
            );
        }
        limit = Number(rawLimit) === 0 ? MAX_LIMIT : Number(rawLimit);
    }
    const reverse = singleQuery(ctx, "page_reverse");
    if (reverse !== undefined && !/^false$/i.test(reverse)) {
        throw invalidInput(ctx.family, "page_reverse=True is not supported by this server; page forwards with marker");
    }
    const marker = singleQuery(ctx, "marker");
    if (marker !== undefined && marker.length === 0) throw invalidInput(ctx.family, "marker must not be empty");
    return { limit, marker };
}

/** {@link nextLink} builds the `href` of the next page: the same URL with `limit` and `marker` replaced. */
export function nextLink(ctx: HandlerContext, limit: number, marker: string): { href: string; rel: "next" } {
    const q = new URLSearchParams(ctx.query);
    q.set("limit", String(limit));
    q.set("marker", marker);
    return { href: `${ctx.origin}${ctx.path}?${q.toString()}`, rel: "next" };
}

/** {@link formatTime} renders an instant as `yyyy-MM-ddTHH:mm:ss` in UTC, with no zone suffix (reference §1.2). */
export function formatTime(ms: number): string {
    return new Date(ms).toISOString().slice(0, 19);
}

/** {@link ensure} throws `err` unless `condition` holds. */
export function ensure(condition: unknown, err: () => ApiError): asserts condition {
    if (!condition) throw err();
}
