#!/usr/bin/env node
// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// `peering-api serve`: runs the local API server until SIGINT/SIGTERM. Logs are JSON lines on stdout (one
// per request, plus start and stop); usage errors go to stderr with exit code 2, start failures exit 1.

import { parseArgs } from "node:util";
import * as fs from "node:fs";
import { DURATION_EXAMPLES, requireDuration } from "../core/duration";
import { MAX_ROUTES_PER_VPC, PENDING_ACCEPTANCE_DAYS } from "../core/rules";
import { packageVersion } from "../provider/packageInfo";
import { AccountsFileError } from "./accounts";
import { FaultProfile, parseFaultProfile } from "./faults";
import { RequestLogEntry, startServer, ServerOptions } from "./server";

const DEFAULT_PORT = 8080;
const DEFAULT_DATA_DIR = ".peering-api";

/** {@link USAGE} is the `--help` text. */
export const USAGE = `Usage: peering-api serve [options]

Runs a local, wire-compatible Huawei Cloud VPC / peering / route API. Region R is served under
http://HOST:PORT/R (e.g. http://127.0.0.1:${DEFAULT_PORT}/ap-southeast-1/v2.0/vpc/peerings); point an SDK
at the endpoint http://HOST:PORT/R. IAM tokens: POST http://HOST:PORT/v3/auth/tokens.

Options:
  --port <n>               TCP port (0 picks a free one)                  [default: ${DEFAULT_PORT}]
  --host <address>         interface to listen on                         [default: 127.0.0.1]
  --data <dir>             keep the SQLite database in <dir>/peering-api.db [default: ${DEFAULT_DATA_DIR}]
  --in-memory              keep everything in memory (lost on exit)
  --accounts <file>        accounts file (JSON); without it, demo accounts alice and bob
                           in ap-southeast-1 and ap-southeast-3 are created and printed
  --vpc-ready-delay <dur>  how long a new VPC stays CREATING               [default: 300ms]
  --pending-ttl <dur>      how long a peering stays PENDING_ACCEPTANCE     [default: ${PENDING_ACCEPTANCE_DAYS}d]
  --token-ttl <dur>        how long an IAM token is valid                  [default: 24h]
  --peering-quota <n>      peerings per project                            [default: 50]
  --vpc-quota <n>          VPCs per project                                [default: 100]
  --route-quota <n>        routes per VPC                                  [default: ${MAX_ROUTES_PER_VPC}]
  --max-body <bytes>       largest accepted request body                   [default: 1048576]
  --write-accounts <file>  write the accounts the server accepts to <file> (mode 0600), for the
                           provider's VPCPEERING_ACCOUNTS_FILE
  --faults <profile>       inject random faults into the server's own traffic (soak runs), e.g.
                           rate=0.1,seed=7[,kinds=error+throttle+reset-before+reset-after+latency]
                           [,latency=200][,retry-after=1]; also from PEERING_API_FAULTS
  --quiet                  do not log requests
  -h, --help               show this help
  --version                print the version

Durations: ${DURATION_EXAMPLES}; units ms, s, m, h, d (Go/Pulumi syntax, as in customTimeouts).

Accounts file:
  {"regions": ["ap-southeast-1", "ap-southeast-3"],
   "accounts": [{"name": "alice", "domainId": "<id>", "accessKey": "<AK>", "secretKey": "<SK>",
                 "projects": {"ap-southeast-1": "<32 hex>", "ap-southeast-3": "<32 hex>"}}]}
`;

/** {@link UsageError} is a bad command line. */
export class UsageError extends Error {}

function parseDurationFlag(flag: string, text: string): number {
    try {
        return requireDuration(flag, text);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

function parseCount(flag: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
        throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
    }
    return Number(text);
}

function faultProfile(text: string | undefined): FaultProfile | undefined {
    if (text === undefined || text.trim() === "") return undefined;
    try {
        return parseFaultProfile(text);
    } catch (e) {
        throw new UsageError(`--faults / PEERING_API_FAULTS: ${(e as Error).message}`);
    }
}

/** {@link CliConfig} is a parsed command line. */
export type CliConfig =
    | { help: true }
    | { version: true; help?: undefined }
    | { help: false; version?: undefined; quiet: boolean; writeAccounts?: string; options: ServerOptions };

/**
 * {@link parseCommandLine} turns `argv` (without node and script) into server options; `env` supplies
 * `PEERING_API_FAULTS` when `--faults` is not given.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliConfig {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                port: { type: "string" },
                host: { type: "string" },
                data: { type: "string" },
                "in-memory": { type: "boolean" },
                accounts: { type: "string" },
                "vpc-ready-delay": { type: "string" },
                "pending-ttl": { type: "string" },
                "token-ttl": { type: "string" },
                "peering-quota": { type: "string" },
                "vpc-quota": { type: "string" },
                "route-quota": { type: "string" },
                "max-body": { type: "string" },
                "write-accounts": { type: "string" },
                faults: { type: "string" },
                quiet: { type: "boolean" },
                help: { type: "boolean", short: "h" },
                version: { type: "boolean" },
            },
        });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help || parsed.positionals[0] === "help") return { help: true };
    if (v.version) return { version: true };
    if (parsed.positionals.length !== 1 || parsed.positionals[0] !== "serve") {
        throw new UsageError(
            parsed.positionals.length === 0
                ? "missing command: use `peering-api serve`"
                : `unknown command ${JSON.stringify(parsed.positionals.join(" "))}: use \`peering-api serve\``,
        );
    }
    if (v.data !== undefined && v["in-memory"]) throw new UsageError("--data and --in-memory cannot be used together");
    const quotas: { peeringsPerProject?: number; vpcsPerProject?: number; routesPerVpc?: number } = {};
    if (v["peering-quota"] !== undefined) quotas.peeringsPerProject = parseCount("--peering-quota", v["peering-quota"]);
    if (v["vpc-quota"] !== undefined) quotas.vpcsPerProject = parseCount("--vpc-quota", v["vpc-quota"]);
    if (v["route-quota"] !== undefined) quotas.routesPerVpc = parseCount("--route-quota", v["route-quota"]);
    const options: ServerOptions = {
        port: v.port !== undefined ? parseCount("--port", v.port, 0, 65535) : DEFAULT_PORT,
        host: v.host ?? "127.0.0.1",
        inMemory: Boolean(v["in-memory"]),
        dataDir: v["in-memory"] ? undefined : (v.data ?? DEFAULT_DATA_DIR),
        accounts: v.accounts,
        vpcReadyDelayMs:
            v["vpc-ready-delay"] !== undefined
                ? parseDurationFlag("--vpc-ready-delay", v["vpc-ready-delay"])
                : undefined,
        pendingTtlMs: v["pending-ttl"] !== undefined ? parseDurationFlag("--pending-ttl", v["pending-ttl"]) : undefined,
        tokenTtlMs: v["token-ttl"] !== undefined ? parseDurationFlag("--token-ttl", v["token-ttl"]) : undefined,
        quotas,
        maxBodyBytes: v["max-body"] !== undefined ? parseCount("--max-body", v["max-body"], 1) : undefined,
        faults: faultProfile(v.faults ?? env.PEERING_API_FAULTS),
    };
    return { help: false, quiet: Boolean(v.quiet), writeAccounts: v["write-accounts"], options };
}

function line(obj: Record<string, unknown>): void {
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...obj }) + "\n");
}

/** {@link main} runs the CLI; resolves with the process exit code once the server has stopped (or failed). */
export async function main(argv: readonly string[]): Promise<number> {
    let config: CliConfig;
    try {
        config = parseCommandLine(argv);
    } catch (e) {
        process.stderr.write(`peering-api: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (config.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    if (config.version) {
        process.stdout.write(`peering-api ${packageVersion()}\n`);
        return 0;
    }
    const demo = config.options.accounts === undefined;
    let server;
    try {
        server = await startServer({
            ...config.options,
            onRequest: config.quiet
                ? undefined
                : (entry: RequestLogEntry) =>
                      line({ level: entry.status >= 500 ? "error" : "info", msg: "request", ...entry }),
        });
    } catch (e) {
        const message = e instanceof AccountsFileError ? e.message : `cannot start: ${(e as Error).message}`;
        process.stderr.write(`peering-api: ${message}\n`);
        return 1;
    }
    if (config.writeAccounts) {
        try {
            const body = { regions: server.regions, accounts: server.accounts };
            fs.writeFileSync(config.writeAccounts, JSON.stringify(body, null, 2) + "\n", { mode: 0o600 });
        } catch (e) {
            process.stderr.write(`peering-api: cannot write ${config.writeAccounts}: ${(e as Error).message}\n`);
            await server.close();
            return 1;
        }
    }
    // The handlers go in before the listening line: whoever reads that line may signal at once.
    const stopped = new Promise<number>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
            if (stopping) return;
            stopping = true;
            line({ level: "info", msg: "stopping", signal });
            server.close().then(
                () => {
                    line({ level: "info", msg: "stopped" });
                    resolve(0);
                },
                (e: unknown) => {
                    process.stderr.write(`peering-api: error while stopping: ${(e as Error).message}\n`);
                    resolve(1);
                },
            );
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
    });
    line({
        level: "info",
        msg: "listening",
        url: server.url,
        database: server.databaseLocation,
        regions: Object.fromEntries(server.regions.map((r) => [r, server.endpoint(r)])),
        iam: `${server.url}/v3`,
        accounts: server.accounts.map((a) => ({
            name: a.name,
            domainId: a.domainId,
            projects: a.projects,
            // Demo credentials are printed so that they can be used; credentials from a file are not.
            ...(demo ? { accessKey: a.accessKey, secretKey: a.secretKey } : { accessKey: a.accessKey }),
        })),
    });
    if (demo) {
        process.stderr.write(
            `peering-api: demo accounts (no --accounts file given):\n` +
                server.accounts
                    .map(
                        (a) =>
                            `  ${a.name}: AK ${a.accessKey}  SK ${a.secretKey}\n` +
                            Object.entries(a.projects)
                                .map(([r, p]) => `    ${r}: project ${p}  endpoint ${server.endpoint(r)}\n`)
                                .join(""),
                    )
                    .join(""),
        );
    }
    return stopped;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
