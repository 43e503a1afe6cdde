// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Accounts and regions the server knows. The accounts file has exactly this shape (one reader and schema for the
// whole package, in core/accountsFile.ts), so that other tools can provision the server:
//
//   {"regions": ["ap-southeast-1", ...],
//    "accounts": [{"name": "alice", "domainId": "...", "accessKey": "...", "secretKey": "...",
//                  "projects": {"ap-southeast-1": "<32 hex>", ...}}]}
//
// Without a file the server uses two demo accounts (alice, bob) in two regions with deterministic credentials.

import { createHash } from "node:crypto";
import { AccountsFileError, readAccountsJson, validateAccountsDocument } from "../core/accountsFile";

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

export { AccountsFileError };

/**
 * {@link validateAccountsFile} checks `value` against the accounts-file shape the server needs (the shared schema of
 * core/accountsFile.ts) and returns it typed, or throws an {@link AccountsFileError} naming every
 * problem: missing or mistyped fields, region names, project ids that are not 32 hex, projects in undeclared
 * regions, and duplicate names, access keys or project ids.
 */
export function validateAccountsFile(value: unknown, source = "(inline)"): AccountsFile {
    const doc = validateAccountsDocument(value, source, "server");
    return {
        regions: [...doc.regions!],
        accounts: doc.accounts.map((a) => ({
            name: a.name,
            domainId: a.domainId!,
            accessKey: a.accessKey!,
            secretKey: a.secretKey!,
            projects: { ...a.projects! },
        })),
    };
}

/** {@link loadAccountsFile} reads (with the one reader) and validates an accounts file. */
export function loadAccountsFile(path: string): AccountsFile {
    return validateAccountsFile(readAccountsJson(path), path);
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
