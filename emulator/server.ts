// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The HTTP server: one process, several regions, region R under the path prefix `/R`. Each request goes
// through one pipeline (`handleRequest`): read the body (size-limited) → fault hook → route → authenticate
// → project → handler inside one store transaction → reply. Every refusal is an ApiError from the catalogue
// (errors.ts); this file's `respondError` is the only place that turns errors into responses, and anything
// that is not an ApiError becomes a logged 500 — always a bug to fix.
//
// One file on purpose: `startServer`'s closure is that pipeline and the server's lifecycle (listen, close)
// over one store, clock, request log and fault hook; the handlers are handlers/, the refusals errors.ts.

import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { DEFAULT_VPC_CIDR_POLICY, VpcCidrPolicy } from "../core/cidr";
import { MAX_ROUTES_PER_VPC, PENDING_ACCEPTANCE_MS } from "../core/rules";
import { DEFAULT_MAX_CLOCK_SKEW_MS, splitUrl } from "../provider/signing/akskSigner";
import {
    AccountDirectory,
    AccountsFile,
    AccountSpec,
    demoAccounts,
    loadAccountsFile,
    validateAccountsFile,
} from "./accounts";
import { authenticate, resolveProject } from "./auth";
import type { HandlerContext, Principal, Quotas, Reply, ServerSettings } from "./context";
import { ApiError, Errors, inconsistentTenantIn, renderError } from "./errors";
import { FaultInjector, FaultProfile, FiredFault } from "./faults";
import { matchRoute } from "./router";
import { Store } from "./store";

/** {@link ServerOptions} configures {@link startServer}. Every field is optional. */
export interface ServerOptions {
    /** TCP port; 0 picks a free one. @default 0 */
    readonly port?: number;
    /** Interface to listen on. @default "127.0.0.1" */
    readonly host?: string;
    /** Directory of the SQLite database file (`peering-api.db`); created when missing. @default in memory */
    readonly dataDir?: string;
    /** Use an in-memory database even if `dataDir` is set. @default true when `dataDir` is not set */
    readonly inMemory?: boolean;
    /** Accounts: an accounts-file object or the path of one. @default the demo accounts (alice, bob) */
    readonly accounts?: AccountsFile | string;
    /** How long a new VPC stays `CREATING` before it reads `OK`. @default 300 */
    readonly vpcReadyDelayMs?: number;
    /** How long a peering stays `PENDING_ACCEPTANCE` before it reads `EXPIRED`. @default PENDING_ACCEPTANCE_MS (7 days) */
    readonly pendingTtlMs?: number;
    /** How long an IAM token is valid. @default 24 hours */
    readonly tokenTtlMs?: number;
    /** Limits; unspecified ones keep their defaults (50 peerings and 100 VPCs per project, 200 routes per VPC). */
    readonly quotas?: Partial<Quotas>;
    /** Which blocks a VPC CIDR may use. @default DEFAULT_VPC_CIDR_POLICY (RFC 1918, /8–/24) */
    readonly vpcCidrPolicy?: VpcCidrPolicy;
    /** The largest accepted request body. @default 1 MiB */
    readonly maxBodyBytes?: number;
    /** How far X-Sdk-Date may be from the wall clock. @default 15 minutes */
    readonly maxClockSkewMs?: number;
    /**
     * The state clock in ms since the epoch (VPC readiness, peering expiry, tokens, timestamps). Signature
     * dates are always checked against the wall clock. @default Date.now
     */
    readonly clock?: () => number;
    /** Called with every request-log entry as it completes (the CLI prints them as JSON lines). */
    readonly onRequest?: (entry: RequestLogEntry) => void;
    /** Called with unexpected exceptions (500s). @default print to stderr */
    readonly onInternalError?: (error: unknown, entry: RequestLogEntry) => void;
    /** Random faults in the server's own traffic (see faults.ts, `--faults`). @default none */
    readonly faults?: FaultProfile;
    /** How many entries `requests()` keeps (oldest dropped first). @default 10000 */
    readonly requestLogLimit?: number;
}

/** {@link RequestLogEntry} records one request the server answered (or dropped). */
export interface RequestLogEntry {
    /** 1, 2, 3… in arrival order. */
    readonly seq: number;
    /** When the request arrived (wall clock, ISO 8601). */
    readonly time: string;
    readonly requestId: string;
    readonly method: string;
    /** The received path, region prefix included, query excluded. */
    readonly path: string;
    /** The raw query string, without `?` (empty when none). */
    readonly query: string;
    /** The status answered; for a dropped connection, the status the request would have had (0 when it never ran). */
    readonly status: number;
    /** The region of the path prefix. */
    readonly region?: string;
    /** The project the request acted in. */
    readonly project?: string;
    /** The account name of the caller. */
    readonly account?: string;
    /** The error code (VPC.xxxx, APIGW.xxxx or Neutron type) of a refusal. */
    readonly errorCode?: string;
    /** How an injected fault fired, if one did. */
    readonly fault?: FiredFault["kind"];
    /** True when the connection was dropped without an answer. */
    readonly dropped?: boolean;
    readonly durationMs: number;
}

/** {@link RunningServer} is a started server. */
export interface RunningServer {
    /** `http://host:port`, without a trailing slash. */
    readonly url: string;
    readonly host: string;
    readonly port: number;
    /** The regions served, each at `<url>/<region>`. */
    readonly regions: readonly string[];
    /** The accounts the server accepts (demo accounts when none were given). */
    readonly accounts: readonly AccountSpec[];
    /** Where the database is: a file path or `:memory:`. */
    readonly databaseLocation: string;
    /** The SDK endpoint of a region: `<url>/<region>`. Throws for a region the server does not serve. */
    endpoint(region: string): string;
    /** The fault-injection hook (see faults.ts). */
    readonly faults: FaultInjector;
    /** A copy of the request log, oldest first. */
    requests(): RequestLogEntry[];
    /** Empties the request log. */
    clearRequests(): void;
    /** Moves the state clock forward (e.g. past the pending TTL, or past VPC readiness). */
    advanceTime(ms: number): void;
    /** The state clock now, in ms. */
    now(): number;
    /** A dump of every table, for "a rejected request changed nothing" assertions. */
    snapshot(): Record<string, unknown[]>;
    /** Stops listening, drops open connections and closes the database. */
    close(): Promise<void>;
}

const DEFAULTS = {
    vpcReadyDelayMs: 300,
    pendingTtlMs: PENDING_ACCEPTANCE_MS,
    tokenTtlMs: 24 * 3600 * 1000,
    maxBodyBytes: 1024 * 1024,
    requestLogLimit: 10000,
    quotas: { peeringsPerProject: 50, vpcsPerProject: 100, routesPerVpc: MAX_ROUTES_PER_VPC },
} as const;

/** Past this many bytes an oversize body is no longer drained: the connection is closed. */
const DRAIN_LIMIT_FACTOR = 16;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a non-negative number, not ${value}`);
    return v;
}

/** Everything one request carries through the pipeline. */
interface Exchange {
    readonly req: IncomingMessage;
    /** Absent for a request answered on the raw socket (CONNECT). */
    readonly res?: ServerResponse;
    readonly requestId: string;
    readonly started: number;
    readonly method: string;
    readonly path: string;
    readonly query: string;
    region?: string;
    principal?: Principal;
    fault?: FiredFault;
}

/**
 * {@link startServer} starts the API server and resolves once it listens.
 *
 * ```ts
 * const server = await startServer({ vpcReadyDelayMs: 0 });
 * const endpoint = server.endpoint("ap-southeast-1"); // http://127.0.0.1:<port>/ap-southeast-1
 * server.faults.inject({ method: "POST", pathPattern: "/vpc/peerings", dropAfterCommit: true });
 * ...
 * expect(server.requests().filter((r) => r.method !== "GET")).to.have.length(0);
 * await server.close();
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
    const accountsFile =
        options.accounts === undefined
            ? demoAccounts()
            : typeof options.accounts === "string"
              ? loadAccountsFile(options.accounts)
              : validateAccountsFile(options.accounts);
    const directory = new AccountDirectory(accountsFile);
    const settings: ServerSettings = {
        vpcReadyDelayMs: nonNegative("vpcReadyDelayMs", options.vpcReadyDelayMs, DEFAULTS.vpcReadyDelayMs),
        pendingTtlMs: nonNegative("pendingTtlMs", options.pendingTtlMs, DEFAULTS.pendingTtlMs),
        tokenTtlMs: nonNegative("tokenTtlMs", options.tokenTtlMs, DEFAULTS.tokenTtlMs),
        quotas: {
            peeringsPerProject: nonNegative(
                "quotas.peeringsPerProject",
                options.quotas?.peeringsPerProject,
                DEFAULTS.quotas.peeringsPerProject,
            ),
            vpcsPerProject: nonNegative(
                "quotas.vpcsPerProject",
                options.quotas?.vpcsPerProject,
                DEFAULTS.quotas.vpcsPerProject,
            ),
            routesPerVpc: nonNegative(
                "quotas.routesPerVpc",
                options.quotas?.routesPerVpc,
                DEFAULTS.quotas.routesPerVpc,
            ),
        },
        vpcCidrPolicy: options.vpcCidrPolicy ?? DEFAULT_VPC_CIDR_POLICY,
    };
    const maxBodyBytes = nonNegative("maxBodyBytes", options.maxBodyBytes, DEFAULTS.maxBodyBytes);
    const maxClockSkewMs = nonNegative("maxClockSkewMs", options.maxClockSkewMs, DEFAULT_MAX_CLOCK_SKEW_MS);
    const logLimit = nonNegative("requestLogLimit", options.requestLogLimit, DEFAULTS.requestLogLimit);
    const inMemory = options.inMemory ?? options.dataDir === undefined;
    const store = new Store({ dataDir: inMemory ? undefined : options.dataDir });
    const baseClock = options.clock ?? Date.now;
    let offset = 0;
    const now = () => baseClock() + offset;
    const faults = new FaultInjector();
    faults.useProfile(options.faults);
    let closing = false;
    const log: RequestLogEntry[] = [];
    let seq = 0;
    const onInternalError =
        options.onInternalError ??
        ((error: unknown, entry: RequestLogEntry) => {
            process.stderr.write(
                `peering-api: internal error on ${entry.method} ${entry.path} (request ${entry.requestId}): ${
                    error instanceof Error ? (error.stack ?? error.message) : String(error)
                }\n`,
            );
        });

    function record(x: Exchange, status: number, extra: Partial<RequestLogEntry>): RequestLogEntry {
        const entry: RequestLogEntry = {
            seq: ++seq,
            time: new Date(x.started).toISOString(),
            requestId: x.requestId,
            method: x.method,
            path: x.path,
            query: x.query,
            status,
            region: x.region,
            project: x.principal?.project?.id,
            account: x.principal?.account.name,
            fault: x.fault?.kind,
            durationMs: Date.now() - x.started,
            ...extra,
        };
        log.push(entry);
        if (log.length > logLimit) log.splice(0, log.length - logLimit);
        try {
            options.onRequest?.(entry);
        } catch {
            // A failing log sink must not break the server.
        }
        return entry;
    }

    function exchange(req: IncomingMessage, res: ServerResponse | undefined): Exchange {
        const { path, query } = splitUrl(req.url ?? "/");
        return {
            req,
            res,
            requestId: randomUUID().replace(/-/g, ""),
            started: Date.now(),
            method: (req.method ?? "GET").toUpperCase(),
            path,
            query,
        };
    }

    function send(x: Exchange, status: number, body: unknown, headers: Readonly<Record<string, string>>): void {
        const res = x.res!;
        res.statusCode = status;
        res.setHeader("X-Request-Id", x.requestId);
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        if (status === 204 || body === undefined) {
            res.end();
            return;
        }
        const text = JSON.stringify(body);
        res.setHeader("Content-Type", "application/json;charset=UTF-8");
        res.setHeader("Content-Length", Buffer.byteLength(text));
        res.end(text);
    }

    /** The one place where errors become responses. */
    function respondError(x: Exchange, error: unknown): void {
        if (error instanceof ApiError) {
            const rendered = renderError(error, x.requestId);
            send(x, rendered.status, rendered.body, rendered.headers);
            record(x, rendered.status, { errorCode: error.code });
            return;
        }
        const internal = Errors.internal(x.requestId);
        const rendered = renderError(internal, x.requestId);
        send(x, rendered.status, rendered.body, rendered.headers);
        onInternalError(error, record(x, rendered.status, { errorCode: internal.code }));
    }

    function respond(x: Exchange, reply: Reply): void {
        const fault = x.fault;
        if (fault?.kind === "drop-after-commit") {
            x.res!.socket?.destroy();
            record(x, reply.status, { dropped: true });
            return;
        }
        if (fault?.kind === "error-after-commit") {
            respondError(x, Errors.injected(fault.status, fault.retryAfter));
            return;
        }
        send(x, reply.status, reply.body, reply.headers ?? {});
        record(x, reply.status, {});
    }

    function dispatch(x: Exchange, body: Buffer): Reply {
        const segments: string[] = [];
        for (const raw of x.path.split("/").slice(1)) {
            try {
                segments.push(decodeURIComponent(raw));
            } catch {
                throw Errors.apiNotFound(x.method, x.path);
            }
        }
        if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
        const regional = segments.length > 0 && directory.hasRegion(segments[0]!);
        if (regional) x.region = segments[0];
        // HEAD is GET without the body (RFC 9110 §9.3.2); node leaves the body out of a HEAD reply. The
        // signature still covers the received method, HEAD.
        const routeMethod = x.method === "HEAD" ? "GET" : x.method;
        const match = matchRoute(routeMethod, regional ? segments.slice(1) : segments, regional);
        if (!match) throw Errors.apiNotFound(x.method, x.path);
        const { def, params } = match;
        const stateNow = now();
        return store.transaction(() => {
            let principal: Principal | undefined;
            if (def.auth !== "none") {
                const caller = authenticate(
                    { method: x.method, url: x.req.url ?? x.path, headers: x.req.headers, body },
                    { directory, store, wallNow: new Date(), stateNow, maxClockSkewMs },
                );
                principal = caller.principal;
                x.principal = principal;
                if (def.auth === "project") {
                    const headerProject = x.req.headers["x-project-id"];
                    const project = resolveProject(
                        caller,
                        directory,
                        x.region!,
                        Array.isArray(headerProject) ? headerProject[0] : headerProject,
                        params.project_id,
                    );
                    principal = { ...principal, project };
                    x.principal = principal;
                    if (params.project_id !== undefined && params.project_id !== project.id) {
                        throw inconsistentTenantIn(def.family, params.project_id, project.id);
                    }
                }
            }
            const ctx: HandlerContext = {
                requestId: x.requestId,
                method: x.method,
                region: x.region,
                params,
                query: new URLSearchParams(x.query),
                rawBody: body,
                family: def.family,
                now: stateNow,
                origin: advertisedOrigin,
                path: x.path,
                principal,
                store,
                directory,
                settings,
            };
            return def.handler(ctx);
        });
    }

    function handleRequest(req: IncomingMessage, res: ServerResponse): void {
        const x = exchange(req, res);
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
                tooLarge = true;
                if (size > maxBodyBytes * DRAIN_LIMIT_FACTOR + 65536) {
                    respondError(x, Errors.bodyTooLarge(maxBodyBytes));
                    req.destroy();
                }
                return;
            }
            chunks.push(chunk);
        });
        req.on("error", () => {
            // The client went away mid-body; there is no one to answer.
        });
        req.on("end", () => {
            if (res.headersSent || res.writableEnded) return;
            if (tooLarge) {
                respondError(x, Errors.bodyTooLarge(maxBodyBytes));
                return;
            }
            const run = () => {
                if (closing || res.destroyed) return;
                try {
                    respond(x, dispatch(x, Buffer.concat(chunks)));
                } catch (e) {
                    respondError(x, e);
                }
            };
            try {
                // HTTP/1.1 requires Host (RFC 9112 §3.2); node's own check would answer an empty 400.
                if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
                    throw Errors.hostMissing();
                }
                x.fault = faults.take(x.method, x.path);
                if (x.fault?.kind === "refused") {
                    throw x.fault.status === 429
                        ? Errors.throttled(x.fault.retryAfter)
                        : Errors.injected(x.fault.status, x.fault.retryAfter);
                }
            } catch (e) {
                respondError(x, e);
                return;
            }
            if (x.fault?.kind === "drop-before-commit") {
                res.socket?.destroy();
                record(x, 0, { dropped: true });
            } else if (x.fault?.kind === "delay") {
                setTimeout(run, x.fault.delayMs ?? 0);
            } else {
                run();
            }
        });
    }

    /** Answers on the raw socket, in the gateway shape, for what never becomes a request/response pair. */
    function answerOnSocket(socket: Duplex, error: ApiError, statusText: string, x?: Exchange): void {
        const requestId = x?.requestId ?? randomUUID().replace(/-/g, "");
        const body = JSON.stringify(renderError(error, requestId).body);
        socket.end(
            `HTTP/1.1 ${error.status} ${statusText}\r\n` +
                `X-Request-Id: ${requestId}\r\nContent-Type: application/json;charset=UTF-8\r\n` +
                `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        if (x) record(x, error.status, { errorCode: error.code });
    }

    const server: Server = createServer({ requireHostHeader: false }, handleRequest);
    // Replies made below the router — what node's HTTP layer would answer itself (a parse error, an
    // unsupported Expect, CONNECT) — carry an X-Request-Id and a gateway error body too.
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
        if (!socket.writable) {
            socket.destroy();
            return;
        }
        const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
        answerOnSocket(
            socket,
            tooLarge ? Errors.headersTooLarge() : Errors.malformedHttp(err.code ?? "malformed HTTP"),
            tooLarge ? "Request Header Fields Too Large" : "Bad Request",
        );
    });
    server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
        const x = exchange(req, res);
        res.setHeader("Connection", "close");
        respondError(x, Errors.expectationFailed(String(req.headers.expect)));
    });
    server.on("connect", (req: IncomingMessage, socket: Duplex) => {
        socket.on("error", () => socket.destroy());
        answerOnSocket(socket, Errors.methodNotAllowed("CONNECT"), "Method Not Allowed", exchange(req, undefined));
    });
    const requestedHost = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, requestedHost, () => {
            server.off("error", reject);
            resolve();
        });
    }).catch((e) => {
        store.close();
        throw e;
    });
    const address = server.address() as AddressInfo;
    const listenHost = requestedHost.includes(":") ? `[${requestedHost}]` : requestedHost;
    const listenPort = address.port;
    const url = `http://${listenHost}:${listenPort}`;
    // The origin of the links the server hands out (IAM catalog, paging): its own address, never the
    // client's Host header; a wildcard bind is advertised as loopback.
    const advertisedOrigin =
        requestedHost === "0.0.0.0" || requestedHost === "::"
            ? `http://${requestedHost === "::" ? "[::1]" : "127.0.0.1"}:${listenPort}`
            : url;
    let closed: Promise<void> | undefined;

    return {
        url,
        host: requestedHost,
        port: listenPort,
        regions: directory.regions,
        accounts: directory.accounts,
        databaseLocation: store.location,
        endpoint(region: string): string {
            if (!directory.hasRegion(region)) {
                throw new Error(`region ${region} is not served; the regions are ${directory.regions.join(", ")}`);
            }
            return `${url}/${region}`;
        },
        faults,
        requests: () => log.slice(),
        clearRequests: () => {
            log.length = 0;
        },
        advanceTime(ms: number): void {
            if (!Number.isFinite(ms) || ms < 0)
                throw new TypeError(`advanceTime needs a non-negative number, not ${ms}`);
            offset += ms;
        },
        now,
        snapshot: () => store.snapshot(),
        close(): Promise<void> {
            closing = true;
            closed ??= new Promise<void>((resolve) => {
                server.close(() => {
                    store.close();
                    resolve();
                });
                server.closeAllConnections();
            });
            return closed;
        },
    };
}
