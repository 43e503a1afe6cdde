// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The accounts file (README "The accounts file"): one JSON shape, one reader and one schema for everyone who
// reads it — the API server (which needs every account's domain id, key pair and projects), the provider's account
// profiles, and the orchestrator (the plan's `accounts:` lists, per-stack filtered files, redaction). A client-side
// profile may leave the server's fields out and carry its own (`projectId`, `token`, `endpoint`, ...).
//
//   {"regions": ["ap-southeast-1", ...],
//    "accounts": [{"name": "alice", "domainId": "...", "accessKey": "...", "secretKey": "...",
//                  "projects": {"ap-southeast-1": "<32 hex>", ...}}]}

import { readFileSync } from "node:fs";

/** {@link AccountsFileEntry} is one account of the accounts file; every field but `name` is optional here. */
export interface AccountsFileEntry {
    /** The account's unique name: the profile name (`account: "alice"`), and the server's IAM user and domain name. */
    readonly name: string;
    /** The account (domain) id (the server requires it). */
    readonly domainId?: string;
    readonly accessKey?: string;
    readonly secretKey?: string;
    /** A temporary AK/SK's security token (client side). */
    readonly securityToken?: string;
    /** An IAM token instead of AK/SK (client side). */
    readonly token?: string;
    /** One project id for every region (client side). */
    readonly projectId?: string;
    /** One project id per region. */
    readonly projects?: Readonly<Record<string, string>>;
    /** The endpoint template for this account (client side). */
    readonly endpoint?: string;
    readonly [field: string]: unknown;
}

/** {@link AccountsDocument} is a whole accounts file; fields this package does not know are kept as they are. */
export interface AccountsDocument {
    readonly regions?: readonly string[];
    readonly accounts: readonly AccountsFileEntry[];
    readonly [field: string]: unknown;
}

/**
 * {@link AccountsFileUse} is what the file is read for: `server` (the API server's accounts: regions, and per
 * account a domain id, an AK/SK pair and a project per region, all unique) or `profiles` (a client's account
 * profiles: unique names, string fields).
 */
export type AccountsFileUse = "server" | "profiles";

/** {@link AccountsFileError} lists every problem found in an accounts file. */
export class AccountsFileError extends Error {
    constructor(
        readonly source: string,
        readonly problems: readonly string[],
    ) {
        super(`invalid accounts file ${source}:\n  - ${problems.join("\n  - ")}`);
        this.name = "AccountsFileError";
    }
}

const REGION_SHAPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;
const PROJECT_SHAPE = /^[0-9a-f]{32}$/;
/** First path segments the server uses itself; a region cannot be named like them. */
const RESERVED_REGION_NAMES = new Set(["v1", "v2", "v2.0", "v3"]);
/** The string fields of an account; the server requires the first four. */
const SERVER_FIELDS = ["name", "domainId", "accessKey", "secretKey"] as const;
const STRING_FIELDS = [...SERVER_FIELDS, "securityToken", "token", "projectId", "endpoint"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** {@link readAccountsJson} is the one reader of the file: its JSON, or an {@link AccountsFileError}. */
export function readAccountsJson(file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new AccountsFileError(file, [`cannot read the file: ${(e as Error).message}`]);
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new AccountsFileError(file, [`not valid JSON: ${(e as Error).message}`]);
    }
}

/**
 * {@link validateAccountsDocument} checks `value` against the accounts-file shape for `use` and returns it typed,
 * or throws an {@link AccountsFileError} naming every problem. Always: a JSON object with an `accounts` array of
 * objects, each with a unique non-empty `name`, string fields that are strings and `projects` mapping regions to
 * strings. For the server also: a non-empty `regions` list of region names, a non-empty `accounts` list, each with
 * a domain id, an AK/SK pair and at least one project (32 lowercase hex, in a listed region), keys and projects
 * unique.
 */
export function validateAccountsDocument(value: unknown, source: string, use: AccountsFileUse): AccountsDocument {
    if (!isObject(value)) throw new AccountsFileError(source, ["the file must hold a JSON object"]);
    const server = use === "server";
    const problems: string[] = [];
    const regions = server ? serverRegions(value.regions, problems) : undefined;
    if (!Array.isArray(value.accounts) || (server && value.accounts.length === 0)) {
        problems.push(server ? `"accounts" must be a non-empty array` : `"accounts" must be an array`);
    } else {
        const seen = { names: new Set<string>(), keys: new Set<string>(), projects: new Set<string>() };
        value.accounts.forEach((a: unknown, i: number) => checkAccount(a, `accounts[${i}]`, regions, seen, problems));
    }
    if (problems.length > 0) throw new AccountsFileError(source, problems);
    return value as unknown as AccountsDocument;
}

/** {@link readAccountsFile} reads and validates an accounts file for `use`. */
export function readAccountsFile(file: string, use: AccountsFileUse): AccountsDocument {
    return validateAccountsDocument(readAccountsJson(file), file, use);
}

function serverRegions(value: unknown, problems: string[]): string[] {
    const regions: string[] = [];
    if (!Array.isArray(value) || value.length === 0) {
        problems.push(`"regions" must be a non-empty array of region names`);
        return regions;
    }
    for (const r of value) {
        if (typeof r !== "string" || !REGION_SHAPE.test(r) || RESERVED_REGION_NAMES.has(r)) {
            problems.push(`region ${JSON.stringify(r)} is not a region name like "ap-southeast-1"`);
        } else if (regions.includes(r)) {
            problems.push(`region "${r}" is listed twice`);
        } else {
            regions.push(r);
        }
    }
    return regions;
}

/** Checks one account; `regions` is set for the server's stricter shape. */
function checkAccount(
    a: unknown,
    where: string,
    regions: readonly string[] | undefined,
    seen: { names: Set<string>; keys: Set<string>; projects: Set<string> },
    problems: string[],
): void {
    if (!isObject(a)) {
        problems.push(`${where} must be an object`);
        return;
    }
    const required: readonly string[] = regions ? SERVER_FIELDS : ["name"];
    for (const field of STRING_FIELDS) {
        const v = a[field];
        if (
            required.includes(field)
                ? typeof v !== "string" || v.length === 0
                : v !== undefined && typeof v !== "string"
        ) {
            problems.push(`${where}.${field} must be a${required.includes(field) ? " non-empty" : ""} string`);
        }
    }
    if (typeof a.name === "string") {
        if (seen.names.has(a.name)) problems.push(`${where}: account name "${a.name}" is used twice`);
        seen.names.add(a.name);
    }
    if (regions && typeof a.accessKey === "string") {
        if (seen.keys.has(a.accessKey)) problems.push(`${where}: access key "${a.accessKey}" is used twice`);
        seen.keys.add(a.accessKey);
    }
    if (a.projects === undefined && !regions) return;
    if (!isObject(a.projects) || (regions && Object.keys(a.projects).length === 0)) {
        problems.push(`${where}.projects must be an object mapping region to project id`);
        return;
    }
    for (const [region, id] of Object.entries(a.projects)) {
        if (!regions) {
            if (typeof id !== "string") problems.push(`${where}.projects["${region}"] must be a string`);
            continue;
        }
        if (!regions.includes(region)) problems.push(`${where}.projects: region "${region}" is not in "regions"`);
        if (typeof id !== "string" || !PROJECT_SHAPE.test(id)) {
            problems.push(`${where}.projects["${region}"] must be 32 lowercase hex characters`);
            continue;
        }
        if (seen.projects.has(id)) problems.push(`${where}: project id ${id} is used twice`);
        seen.projects.add(id);
    }
}
