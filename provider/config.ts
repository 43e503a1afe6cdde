// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Account profiles and run-time settings of the provider. Resources name an account profile (`account: "alice"`);
// the credentials behind it are looked up here, at call time, from (first match wins, per profile):
//
//   1. stack config `vpcpeering:profiles` (read in the provider's `configure`; secret values arrive decrypted),
//   2. environment variables `VPCPEERING_PROFILE_<NAME>_*`,
//   3. for the profile `default` only: the Huawei Cloud variables `HW_ACCESS_KEY`, `HW_SECRET_KEY`, … (as the
//      Terraform provider and the SDKs read them),
//   4. the accounts file named by `vpcpeering:accountsFile` / `VPCPEERING_ACCOUNTS_FILE` (the API server's shape).
//
// Nothing here is ever captured by a serialized provider, and credentials never become resource inputs or outputs.

import { statSync } from "node:fs";

import { ApiAuth, ApiClient, createApiClient } from "./client/client";
import {
    AccountsDocument,
    AccountsFileEntry,
    AccountsFileError,
    readAccountsFile as readAccountsDocument,
} from "../core/accountsFile";
import { requireDuration } from "../core/duration";

/**
 * {@link AccountProfile} is the credentials and project mapping of one named account: the client-side fields of an
 * accounts-file entry (one schema, core/accountsFile.ts), and where the profile was found.
 */
export type AccountProfile = Pick<
    AccountsFileEntry,
    "name" | "accessKey" | "secretKey" | "securityToken" | "token" | "projectId" | "projects" | "endpoint"
> & {
    /** Where the profile was found, for messages (never includes values). */
    readonly source: string;
};

/** {@link OperationKind} is an operation that has a timeout. */
export type OperationKind = "create" | "update" | "delete";

/** {@link Timeouts} are per-operation timeouts as duration strings (`"90s"`, `"10m"`, `"1h"`) or milliseconds. */
export interface Timeouts {
    readonly create?: string | number;
    readonly update?: string | number;
    readonly delete?: string | number;
}

/** {@link DEFAULT_ENDPOINT_TEMPLATE} is the local API server: region `R` is served under `/R`. */
export const DEFAULT_ENDPOINT_TEMPLATE = "http://127.0.0.1:8080/{region}";

/** {@link HUAWEI_CLOUD_ENDPOINT_TEMPLATE} is the real cloud's VPC endpoint. */
export const HUAWEI_CLOUD_ENDPOINT_TEMPLATE = "https://vpc.{region}.myhuaweicloud.com";

/** {@link DEFAULT_TIMEOUT_MS} is the default timeout of create, update and delete: 10 minutes. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** {@link ConfigError} is a configuration problem; its message says which key or variable to set. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/** The stack config captured by `configure` (module state of the provider process; never serialized). */
interface StackSettings {
    profiles?: Record<string, Omit<AccountProfile, "name" | "source">>;
    endpoint?: string;
    timeouts?: Timeouts;
    accountsFile?: string;
}

let stack: StackSettings = {};

/** {@link ConfigureRequestLike} is the part of Pulumi's `ConfigureRequest` the provider uses. */
export interface ConfigureRequestLike {
    readonly config: { get(key: string): unknown };
}

/**
 * {@link configure} reads the stack config keys of the `vpcpeering` namespace. Called by every provider's
 * `configure` (once per provider process); later calls replace earlier ones.
 *
 * Keys: `vpcpeering:profiles` (object of profiles), `vpcpeering:endpoint` (template), `vpcpeering:timeouts`
 * (`{create, update, delete}` or one duration for all), `vpcpeering:accountsFile` (path).
 */
export function configure(req: ConfigureRequestLike): void {
    const get = (k: string) => parseMaybeJson(req.config.get(`vpcpeering:${k}`));
    const next: StackSettings = {};
    const profiles = get("profiles");
    if (profiles !== undefined) {
        if (!isObject(profiles))
            throw new ConfigError("vpcpeering:profiles must be an object: {<name>: {accessKey, secretKey, ...}}");
        next.profiles = {};
        for (const [name, p] of Object.entries(profiles)) {
            if (!isObject(p)) throw new ConfigError(`vpcpeering:profiles.${name} must be an object`);
            next.profiles[name] = profileFields(p);
        }
    }
    const endpoint = get("endpoint");
    if (typeof endpoint === "string" && endpoint !== "") next.endpoint = endpoint;
    const timeouts = get("timeouts");
    if (typeof timeouts === "string" || typeof timeouts === "number") {
        next.timeouts = { create: timeouts, update: timeouts, delete: timeouts };
    } else if (isObject(timeouts)) {
        next.timeouts = timeouts as Timeouts;
    }
    const file = get("accountsFile");
    if (typeof file === "string" && file !== "") next.accountsFile = file;
    stack = next;
}

/** {@link resetConfiguration} forgets the stack config (tests). */
export function resetConfiguration(): void {
    stack = {};
}

/** {@link envName} turns a profile or region name into an environment variable fragment: `my-acct` → `MY_ACCT`. */
export function envName(name: string): string {
    return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** {@link findProfile} returns the named profile, or `undefined` when no source defines it. */
export function findProfile(name: string, env: NodeJS.ProcessEnv = process.env): AccountProfile | undefined {
    const fromStack = stack.profiles?.[name];
    if (fromStack) return { ...fromStack, name, source: `stack config vpcpeering:profiles.${name}` };

    const prefix = `VPCPEERING_PROFILE_${envName(name)}_`;
    const keys = Object.keys(env).filter((k) => k.startsWith(prefix));
    if (keys.length > 0) {
        const projects: Record<string, string> = {};
        for (const k of keys) {
            const m = /^PROJECT_ID_(.+)$/.exec(k.slice(prefix.length));
            if (m && env[k]) projects[m[1]!] = env[k]!;
        }
        return {
            name,
            accessKey: env[`${prefix}ACCESS_KEY`] || undefined,
            secretKey: env[`${prefix}SECRET_KEY`] || undefined,
            securityToken: env[`${prefix}SECURITY_TOKEN`] || undefined,
            token: env[`${prefix}TOKEN`] || undefined,
            projectId: env[`${prefix}PROJECT_ID`] || undefined,
            // Region keys are stored in env form; matched with envName(region) in projectFor.
            projects: Object.keys(projects).length > 0 ? projects : undefined,
            endpoint: env[`${prefix}ENDPOINT`] || undefined,
            source: `environment ${prefix}*`,
        };
    }

    if (name === HW_PROFILE_NAME) {
        const fromHw = huaweiEnvProfile(env);
        if (fromHw) return fromHw;
    }

    const file = stack.accountsFile ?? env["VPCPEERING_ACCOUNTS_FILE"];
    if (file) {
        const acct = readAccountsFile(file).find((a) => a.name === name);
        if (acct) return { ...acct, name, source: `accounts file ${file}` };
    }
    return undefined;
}

/**
 * {@link HW_PROFILE_NAME} is the profile that the Huawei Cloud Terraform provider's and SDKs' environment variables
 * define (`account: "default"`), so that CI secrets set up for them work unchanged.
 */
export const HW_PROFILE_NAME = "default";

/**
 * {@link huaweiEnvProfile} reads the `default` profile from the variables of the Huawei Cloud Terraform provider:
 * `HW_ACCESS_KEY`, `HW_SECRET_KEY`, `HW_SECURITY_TOKEN` (temporary AK/SK), `HW_AUTH_TOKEN` (an IAM token) and
 * `HW_PROJECT_ID` — the project of `HW_REGION_NAME` when that is set, else of every region. `undefined` when
 * neither `HW_ACCESS_KEY` nor `HW_AUTH_TOKEN` is set.
 */
export function huaweiEnvProfile(env: NodeJS.ProcessEnv = process.env): AccountProfile | undefined {
    const v = (k: string) => env[k] || undefined;
    if (!v("HW_ACCESS_KEY") && !v("HW_AUTH_TOKEN")) return undefined;
    const projectId = v("HW_PROJECT_ID");
    const region = v("HW_REGION_NAME");
    return {
        name: HW_PROFILE_NAME,
        accessKey: v("HW_ACCESS_KEY"),
        secretKey: v("HW_SECRET_KEY"),
        securityToken: v("HW_SECURITY_TOKEN"),
        token: v("HW_AUTH_TOKEN"),
        projectId: region ? undefined : projectId,
        projects: region && projectId ? { [region]: projectId } : undefined,
        source: "environment HW_ACCESS_KEY / HW_SECRET_KEY / HW_PROJECT_ID",
    };
}

/** {@link profileSources} describes where profiles are looked up, for "profile not found" messages. */
export function profileSources(name: string, env: NodeJS.ProcessEnv = process.env): string {
    const file = stack.accountsFile ?? env["VPCPEERING_ACCOUNTS_FILE"];
    return (
        `set stack config vpcpeering:profiles.${name} (e.g. \`pulumi config set --path --secret ` +
        `vpcpeering:profiles.${name}.secretKey ...\`), or VPCPEERING_PROFILE_${envName(name)}_ACCESS_KEY / ` +
        `_SECRET_KEY / _PROJECT_ID, ${name === HW_PROFILE_NAME ? "or HW_ACCESS_KEY / HW_SECRET_KEY / HW_PROJECT_ID, " : ""}` +
        `or add an account "${name}" to ` +
        (file ? `the accounts file ${file}` : "an accounts file named by VPCPEERING_ACCOUNTS_FILE")
    );
}

/** {@link requireProfile} returns the named profile or throws a {@link ConfigError} saying how to define it. */
export function requireProfile(name: string, env: NodeJS.ProcessEnv = process.env): AccountProfile {
    const p = findProfile(name, env);
    if (!p) throw new ConfigError(`account profile '${name}' is not defined: ${profileSources(name, env)}`);
    return p;
}

/** {@link projectFor} returns the profile's project id in `region`, or throws saying how to set it. */
export function projectFor(profile: AccountProfile, region: string): string {
    const projects = profile.projects ?? {};
    const id = projects[region] ?? projects[envName(region)] ?? profile.projectId;
    if (!id) {
        throw new ConfigError(
            `account profile '${profile.name}' (${profile.source}) has no project id for region ${region}: ` +
                `set projects.${region} (or projectId), or VPCPEERING_PROFILE_${envName(profile.name)}_PROJECT_ID_${envName(region)}`,
        );
    }
    return id;
}

/** {@link authFor} returns how the profile authenticates, or throws when it has neither AK/SK nor a token. */
export function authFor(profile: AccountProfile): ApiAuth {
    if (profile.token) return { type: "token", token: profile.token };
    if (profile.accessKey && profile.secretKey) {
        return {
            type: "aksk",
            accessKey: profile.accessKey,
            secretKey: profile.secretKey,
            securityToken: profile.securityToken,
        };
    }
    throw new ConfigError(
        `account profile '${profile.name}' (${profile.source}) has no credentials: set accessKey and secretKey, or token`,
    );
}

/**
 * {@link endpointFor} expands the endpoint template for a region. Template precedence: the profile's `endpoint`,
 * stack config `vpcpeering:endpoint`, `VPCPEERING_ENDPOINT`, then {@link DEFAULT_ENDPOINT_TEMPLATE}. `{region}` is
 * replaced by the region; a template without `{region}` gets `/<region>` appended (the local API server's layout).
 */
export function endpointFor(region: string, profile?: AccountProfile, env: NodeJS.ProcessEnv = process.env): string {
    const template = profile?.endpoint ?? stack.endpoint ?? env["VPCPEERING_ENDPOINT"] ?? DEFAULT_ENDPOINT_TEMPLATE;
    const t = template.replace(/\/+$/, "");
    return t.includes("{region}") ? t.split("{region}").join(region) : `${t}/${region}`;
}

/**
 * {@link timeoutFor} returns the timeout in ms of an operation: the resource's `timeouts` input (which the SDK
 * also fills from Pulumi's `customTimeouts`), then stack config `vpcpeering:timeouts`, then
 * `VPCPEERING_TIMEOUT_<OP>` / `VPCPEERING_TIMEOUT`, then 10 minutes. A malformed value is a {@link ConfigError}
 * naming where it came from — never a silent fallback to the default.
 */
export function timeoutFor(op: OperationKind, resource?: Timeouts, env: NodeJS.ProcessEnv = process.env): number {
    const candidates: Array<[string, string | number | undefined]> = [
        [`timeouts.${op}`, resource?.[op]],
        [`vpcpeering:timeouts.${op}`, stack.timeouts?.[op]],
        [`VPCPEERING_TIMEOUT_${op.toUpperCase()}`, env[`VPCPEERING_TIMEOUT_${op.toUpperCase()}`]],
        ["VPCPEERING_TIMEOUT", env["VPCPEERING_TIMEOUT"]],
    ];
    for (const [source, value] of candidates) {
        if (value === undefined || value === "") continue;
        return durationSetting(source, value);
    }
    return DEFAULT_TIMEOUT_MS;
}

/** {@link pollIntervalMs} is the waiters' poll interval: `VPCPEERING_POLL_INTERVAL`, default 2 s. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
    return optionalDuration("VPCPEERING_POLL_INTERVAL", env) ?? 2000;
}

/** A duration setting, or a {@link ConfigError} that names it. */
function durationSetting(source: string, value: string | number): number {
    try {
        return requireDuration(source, value);
    } catch (e) {
        throw new ConfigError((e as Error).message);
    }
}

function optionalDuration(variable: string, env: NodeJS.ProcessEnv): number | undefined {
    const v = env[variable];
    return v === undefined || v === "" ? undefined : durationSetting(variable, v);
}

/** {@link ClientRequest} names what {@link clientFor} needs. */
export interface ClientRequest {
    readonly account: string;
    readonly region: string;
    readonly op: OperationKind | "read" | "check";
    readonly timeouts?: Timeouts;
}

/**
 * {@link clientFor} creates an API client for an account profile in a region, with a deadline from the operation's
 * timeout (reads use the create timeout's budget). Retry delays can be tuned with `VPCPEERING_RETRY_BASE_DELAY`
 * and `VPCPEERING_RETRY_MAX_DELAY`, the per-request timeout with `VPCPEERING_REQUEST_TIMEOUT`.
 */
export function clientFor(r: ClientRequest, env: NodeJS.ProcessEnv = process.env): ApiClient {
    const profile = requireProfile(r.account, env);
    const op: OperationKind = r.op === "update" || r.op === "delete" ? r.op : "create";
    return createApiClient({
        endpoint: endpointFor(r.region, profile, env),
        projectId: projectFor(profile, r.region),
        auth: authFor(profile),
        account: r.account,
        // `check` runs during preview: its read-only lookups get a short budget and never block a preview long.
        deadline:
            Date.now() +
            (r.op === "check" ? Math.min(10_000, timeoutFor(op, r.timeouts, env)) : timeoutFor(op, r.timeouts, env)),
        retryBaseDelayMs: optionalDuration("VPCPEERING_RETRY_BASE_DELAY", env),
        retryMaxDelayMs: optionalDuration("VPCPEERING_RETRY_MAX_DELAY", env),
        requestTimeoutMs: optionalDuration("VPCPEERING_REQUEST_TIMEOUT", env),
    });
}

/**
 * {@link listAccountProfiles} returns the profiles of an accounts file (the API server's shape), for tools that
 * work over every account (`peering-stacks verify`). Throws a {@link ConfigError} when the file cannot be read.
 */
export function listAccountProfiles(file: string): AccountProfile[] {
    return readAccountsFile(file).map((a) => ({ ...a, source: `accounts file ${file}` }));
}

/**
 * The accounts files parsed by this process, by path, with the file's identity when it was read. Every provider
 * call looks its profile up, and the provider host makes thousands of calls per `up`: the file is parsed again only
 * when it changed. (Process memory only; nothing here reaches the state.)
 */
const accountsFiles = new Map<string, { stamp: string; accounts: Array<Omit<AccountProfile, "source">> }>();

function readAccountsFile(file: string): Array<Omit<AccountProfile, "source">> {
    let stamp: string;
    try {
        const st = statSync(file);
        stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch (e) {
        throw new ConfigError(
            `cannot read the accounts file ${file} (VPCPEERING_ACCOUNTS_FILE): ${(e as Error).message}`,
        );
    }
    const cached = accountsFiles.get(file);
    if (cached?.stamp === stamp) return cached.accounts;
    const accounts = parseAccountsFile(file);
    accountsFiles.set(file, { stamp, accounts });
    return accounts;
}

function parseAccountsFile(file: string): Array<Omit<AccountProfile, "source">> {
    let doc: AccountsDocument;
    try {
        doc = readAccountsDocument(file, "profiles");
    } catch (e) {
        if (!(e instanceof AccountsFileError)) throw e;
        const why = e.problems.join("; ");
        throw new ConfigError(`cannot read the accounts file ${file} (VPCPEERING_ACCOUNTS_FILE): ${why}`);
    }
    return doc.accounts.map((a) => ({ name: a.name, ...profileFields(a) }));
}

function profileFields(p: Record<string, unknown>): Omit<AccountProfile, "name" | "source"> {
    const s = (k: string) => (typeof p[k] === "string" && p[k] !== "" ? (p[k] as string) : undefined);
    const projects = isObject(p["projects"])
        ? (Object.fromEntries(Object.entries(p["projects"]).filter(([, v]) => typeof v === "string")) as Record<
              string,
              string
          >)
        : undefined;
    return {
        accessKey: s("accessKey"),
        secretKey: s("secretKey"),
        securityToken: s("securityToken"),
        token: s("token"),
        projectId: s("projectId"),
        projects,
        endpoint: s("endpoint"),
    };
}

function parseMaybeJson(v: unknown): unknown {
    if (typeof v !== "string") return v;
    const t = v.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return v;
        }
    }
    return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
