// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The environment of each stack's CLI runs: the backend and the offline toolchain (scripts/toolchain.js), the plan's
// and the caller's variables, each stack's own, and its accounts file — filtered to the stack's `accounts`, so a stack
// never sees another team's keys. Every credential met on the way (backend URL, secret-looking variables, the
// accounts files) is registered with the redaction first, so no progress line or report can print it.

import * as fs from "node:fs";
import * as path from "node:path";

import { readAccountsFile, readAccountsJson } from "../core/accountsFile";
import type { PlanStack } from "./plan";
import { rememberAccountsSecrets, rememberEnvSecrets, rememberUrlSecrets } from "./redact";
import type { OrchestratorOptions } from "./runTypes";

/** What scripts/toolchain.js offers (plain CommonJS, loaded at run time: it runs before the build). */
export interface ToolchainModule {
    ensurePulumi(): { root: string; binDir: string; version: string };
    offlineEnv(opts: {
        backendDir?: string;
        pulumiHome?: string;
        passphrase?: string;
        binDir?: string;
        create?: boolean;
    }): Record<string, string>;
}

/** The package root (where scripts/toolchain.js is), from dist/orchestrator or orchestrator/. */
function packageRoot(): string {
    let dir = __dirname;
    for (;;) {
        if (fs.existsSync(path.join(dir, "scripts", "toolchain.js")) && fs.existsSync(path.join(dir, "package.json"))) {
            return dir;
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`scripts/toolchain.js not found above ${__dirname}`);
        dir = parent;
    }
}

/** {@link loadToolchain} loads the package's scripts/toolchain.js (the pinned CLI and its offline environment). */
export function loadToolchain(): ToolchainModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(packageRoot(), "scripts", "toolchain.js")) as ToolchainModule;
}

/**
 * {@link EnvironmentOptions} are the orchestrator's options the environment depends on, with the work dir and the
 * log resolved.
 */
export interface EnvironmentOptions extends Pick<
    OrchestratorOptions,
    "plan" | "backend" | "pulumiHome" | "passphrase" | "pulumiRoot" | "env" | "accountsFile"
> {
    /** Where the filtered accounts files (and the default file backend) go. */
    readonly workDir: string;
    /** Progress lines (the accounts warning). */
    readonly log: (line: string) => void;
}

/** {@link StackEnvironment} resolves the environment of a plan's stacks (the base one computed once). */
export class StackEnvironment {
    private readonly opts: EnvironmentOptions;
    private baseEnvCache?: Record<string, string>;
    private readonly warnedAccounts = new Set<string>();
    private readonly readAccounts = new Set<string>();

    /** Registers every credential the options name with the redaction. */
    constructor(opts: EnvironmentOptions) {
        this.opts = opts;
        const { plan } = opts;
        rememberUrlSecrets(opts.backend ?? plan.backend);
        rememberEnvSecrets({ ...process.env, ...plan.env, ...opts.env });
        for (const s of plan.stacks) rememberEnvSecrets(s.env);
        const accounts = opts.accountsFile ?? plan.accountsFile ?? process.env.VPCPEERING_ACCOUNTS_FILE;
        if (accounts) this.rememberAccounts(path.resolve(accounts));
    }

    /** The toolchain's offline environment with the backend: file backends by folder, others by URL. */
    baseEnv(): Record<string, string> {
        if (this.baseEnvCache) return this.baseEnvCache;
        const o = this.opts;
        const tc = loadToolchain();
        const binDir = o.pulumiRoot ? path.join(o.pulumiRoot, "bin") : tc.ensurePulumi().binDir;
        const backend = o.backend ?? o.plan.backend ?? process.env.PULUMI_BACKEND_URL;
        let env: Record<string, string>;
        if (backend === undefined || backend.startsWith("file://") || !/^[a-z0-9]+:\/\//i.test(backend)) {
            const dir = backend
                ? backend.startsWith("file://")
                    ? backend.slice("file://".length)
                    : backend
                : path.join(o.workDir, "state");
            env = tc.offlineEnv({ backendDir: dir, pulumiHome: o.pulumiHome, passphrase: o.passphrase, binDir });
        } else {
            env = {
                ...tc.offlineEnv({
                    backendDir: path.join(o.workDir, "state"),
                    pulumiHome: o.pulumiHome,
                    passphrase: o.passphrase,
                    binDir,
                    create: false,
                }),
                PULUMI_BACKEND_URL: backend,
            };
        }
        this.baseEnvCache = env;
        return env;
    }

    /** The environment of one stack's CLI runs. */
    stackEnv(s: PlanStack): Record<string, string> {
        const o = this.opts;
        const env: Record<string, string> = { ...this.baseEnv(), ...o.plan.env, ...(o.env ?? {}), ...s.env };
        const accountsFile =
            o.accountsFile ??
            o.plan.accountsFile ??
            env.VPCPEERING_ACCOUNTS_FILE ??
            process.env.VPCPEERING_ACCOUNTS_FILE;
        if (accountsFile) {
            env.VPCPEERING_ACCOUNTS_FILE = path.resolve(accountsFile);
            this.rememberAccounts(env.VPCPEERING_ACCOUNTS_FILE);
        }
        if (s.accounts && accountsFile)
            env.VPCPEERING_ACCOUNTS_FILE = this.filteredAccounts(s, path.resolve(accountsFile));
        if (s.accounts && !accountsFile && !this.warnedAccounts.has(s.name)) {
            this.warnedAccounts.add(s.name);
            o.log(
                `[${s.name}] warning: accounts ${s.accounts.join(", ")} cannot be enforced: no accounts file ` +
                    `(plan accountsFile, --accounts-file or VPCPEERING_ACCOUNTS_FILE); the stack sees every profile`,
            );
        }
        return env;
    }

    /** Registers the credentials of an accounts file with the redaction (once per file). */
    private rememberAccounts(file: string): void {
        if (this.readAccounts.has(file)) return;
        this.readAccounts.add(file);
        try {
            rememberAccountsSecrets(readAccountsJson(file)); // every secret, even of an invalid file
        } catch {
            // Unreadable here: the provider reports it; nothing of it can be printed by us either.
        }
    }

    /** Writes an accounts file holding only the stack's profiles: a stack never sees another team's keys. */
    private filteredAccounts(s: PlanStack, file: string): string {
        const doc = readAccountsFile(file, "profiles");
        const accounts = doc.accounts.filter((a) => s.accounts!.includes(a.name));
        const missing = s.accounts!.filter((n) => !accounts.some((a) => a.name === n));
        if (missing.length) throw new Error(`${s.name}: accounts ${missing.join(", ")} are not in ${file}`);
        const dir = path.join(this.opts.workDir, "accounts");
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const out = path.join(dir, `${s.name}.json`);
        fs.writeFileSync(out, JSON.stringify({ ...doc, accounts }, null, 2), { mode: 0o600 });
        return out;
    }
}
