// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Accounts and regions the server knows. The accounts file has exactly this shape, so that other tools can
// provision the server:
//
//   {"regions": ["ap-southeast-1", ...],
//    "accounts": [{"name": "alice", "domainId": "...", "accessKey": "...", "secretKey": "...",
//                  "projects": {"ap-southeast-1": "<32 hex>", ...}}]}
//
// Without a file the server uses two demo accounts (alice, bob) in two regions with deterministic credentials.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** {@link AccountSpec} is one account of the accounts file. */
export interface AccountSpec {
    /** A unique name (also the IAM user and domain name for password tokens). */
    readonly name: string;
    /** The account (domain) id. */
    readonly domainId: string;
    /** The AK of the account's AK/SK pair. */
    readonly accessKey: string;
    /** The SK of the account's AK/SK pair. */
    readonly secretKey: string;
    /** One project id (32 lowercase hex) per region the account uses. */
    readonly projects: Readonly<Record<string, string>>;
}

/** {@link AccountsFile} is the whole accounts file. */
export interface AccountsFile {
    /** The regions the server serves, each under the path prefix `/<region>`. */
    readonly regions: readonly string[];
    readonly accounts: readonly AccountSpec[];
}

/** {@link ProjectRef} is one project: its id, region and owning account. */
export interface ProjectRef {
    readonly id: string;
    readonly region: string;
    readonly account: AccountSpec;
}

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

/**
 * {@link validateAccountsFile} checks `value` against the accounts-file shape and returns it typed, or throws
 * an {@link AccountsFileError} naming every problem: missing or mistyped fields, region names, project ids
 * that are not 32 hex, projects in undeclared regions, and duplicate names, access keys or project ids.
 */
export function validateAccountsFile(value: unknown, source = "(inline)"): AccountsFile {
    const problems: string[] = [];
    const isObject = (v: unknown): v is Record<string, unknown> =>
        typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObject(value)) throw new AccountsFileError(source, ["the file must hold a JSON object"]);
    const regions: string[] = [];
    if (!Array.isArray(value.regions) || value.regions.length === 0) {
        problems.push(`"regions" must be a non-empty array of region names`);
    } else {
        for (const r of value.regions) {
            if (typeof r !== "string" || !REGION_SHAPE.test(r) || RESERVED_REGION_NAMES.has(r)) {
                problems.push(`region ${JSON.stringify(r)} is not a region name like "ap-southeast-1"`);
            } else if (regions.includes(r)) {
                problems.push(`region "${r}" is listed twice`);
            } else {
                regions.push(r);
            }
        }
    }
    const accounts: AccountSpec[] = [];
    if (!Array.isArray(value.accounts) || value.accounts.length === 0) {
        problems.push(`"accounts" must be a non-empty array`);
    } else {
        const seenNames = new Set<string>();
        const seenKeys = new Set<string>();
        const seenProjects = new Set<string>();
        value.accounts.forEach((a: unknown, i: number) => {
            const where = `accounts[${i}]`;
            if (!isObject(a)) {
                problems.push(`${where} must be an object`);
                return;
            }
            for (const field of ["name", "domainId", "accessKey", "secretKey"] as const) {
                if (typeof a[field] !== "string" || (a[field] as string).length === 0) {
                    problems.push(`${where}.${field} must be a non-empty string`);
                }
            }
            const name = a.name as string;
            if (typeof name === "string") {
                if (seenNames.has(name)) problems.push(`${where}: account name "${name}" is used twice`);
                seenNames.add(name);
            }
            if (typeof a.accessKey === "string") {
                if (seenKeys.has(a.accessKey)) problems.push(`${where}: access key "${a.accessKey}" is used twice`);
                seenKeys.add(a.accessKey);
            }
            const projects: Record<string, string> = {};
            if (!isObject(a.projects) || Object.keys(a.projects).length === 0) {
                problems.push(`${where}.projects must be an object mapping region to project id`);
            } else {
                for (const [region, id] of Object.entries(a.projects)) {
                    if (!regions.includes(region)) {
                        problems.push(`${where}.projects: region "${region}" is not in "regions"`);
                    }
                    if (typeof id !== "string" || !PROJECT_SHAPE.test(id)) {
                        problems.push(`${where}.projects["${region}"] must be 32 lowercase hex characters`);
                        continue;
                    }
                    if (seenProjects.has(id)) problems.push(`${where}: project id ${id} is used twice`);
                    seenProjects.add(id);
                    projects[region] = id;
                }
            }
            accounts.push({
                name: String(a.name),
                domainId: String(a.domainId),
                accessKey: String(a.accessKey),
                secretKey: String(a.secretKey),
                projects,
            });
        });
    }
    if (problems.length > 0) throw new AccountsFileError(source, problems);
    return { regions, accounts };
}

/** {@link loadAccountsFile} reads and validates an accounts file. */
export function loadAccountsFile(path: string): AccountsFile {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        throw new AccountsFileError(path, [`cannot read the file: ${(e as Error).message}`]);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new AccountsFileError(path, [`not valid JSON: ${(e as Error).message}`]);
    }
    return validateAccountsFile(parsed, path);
}

/** {@link DEMO_REGIONS} are the two regions of the demo accounts. */
export const DEMO_REGIONS = ["ap-southeast-1", "ap-southeast-3"] as const;

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * {@link demoAccounts} returns the built-in accounts used when no file is given: `alice` and `bob`, each
 * with a project in `ap-southeast-1` and `ap-southeast-3`. Credentials are deterministic (derived from the
 * names), so they are the same on every start; never use them outside a local test setup.
 */
export function demoAccounts(): AccountsFile {
    const make = (name: string): AccountSpec => ({
        name,
        domainId: hex(`demo-domain:${name}`, 32),
        accessKey: `${name.toUpperCase()}DEMOACCESSKEY`.padEnd(20, "0").slice(0, 20),
        secretKey: `demo-${name}-` + hex(`demo-secret:${name}`, 30),
        projects: Object.fromEntries(DEMO_REGIONS.map((r) => [r, hex(`demo-project:${name}:${r}`, 32)])),
    });
    return { regions: [...DEMO_REGIONS], accounts: [make("alice"), make("bob")] };
}

/** {@link AccountDirectory} indexes an {@link AccountsFile} for the lookups authentication needs. */
export class AccountDirectory {
    private readonly byAccessKey = new Map<string, AccountSpec>();
    private readonly byName = new Map<string, AccountSpec>();
    private readonly byProject = new Map<string, ProjectRef>();

    constructor(readonly file: AccountsFile) {
        for (const a of file.accounts) {
            this.byAccessKey.set(a.accessKey, a);
            this.byName.set(a.name, a);
            for (const [region, id] of Object.entries(a.projects)) this.byProject.set(id, { id, region, account: a });
        }
    }

    get regions(): readonly string[] {
        return this.file.regions;
    }

    get accounts(): readonly AccountSpec[] {
        return this.file.accounts;
    }

    hasRegion(region: string): boolean {
        return this.file.regions.includes(region);
    }

    accountByAccessKey(ak: string): AccountSpec | undefined {
        return this.byAccessKey.get(ak);
    }

    accountByName(name: string): AccountSpec | undefined {
        return this.byName.get(name);
    }

    project(id: string): ProjectRef | undefined {
        return this.byProject.get(id);
    }
}
