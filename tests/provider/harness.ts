// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Test harness for the provider tier: an in-process API server on port 0 with the demo accounts (alice, bob),
// the provider pointed at it through the same environment variables a user sets (VPCPEERING_ENDPOINT,
// VPCPEERING_ACCOUNTS_FILE), fast polling and retries, and captured warnings.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { RunningServer, ServerOptions, startServer } from "../../emulator";
import { resetConfiguration } from "../../provider/config";
import { setWarningSink } from "../../provider/resources/common";

/** The region every test uses. */
export const REGION = "ap-southeast-1";
/** The second demo region. */
export const OTHER_REGION = "ap-southeast-3";

/** {@link Harness} is a running server plus the environment the provider reads. */
export interface Harness {
    readonly server: RunningServer;
    readonly accountsFile: string;
    /** Warnings emitted by the providers since the last {@link Harness.clearWarnings}. */
    readonly warnings: string[];
    clearWarnings(): void;
    /** The project id of a demo account in a region. */
    project(account: string, region?: string): string;
    /** A unique name for a test object. */
    unique(prefix: string): string;
    close(): Promise<void>;
}

const ENV_KEYS = [
    "VPCPEERING_ENDPOINT",
    "VPCPEERING_ACCOUNTS_FILE",
    "VPCPEERING_POLL_INTERVAL",
    "VPCPEERING_RETRY_BASE_DELAY",
    "VPCPEERING_RETRY_MAX_DELAY",
    "VPCPEERING_TIMEOUT",
    "VPCPEERING_REQUEST_TIMEOUT",
];

let counter = 0;

/** {@link startHarness} starts the server and points the provider at it. Call `close()` in `after`. */
export async function startHarness(options: ServerOptions = {}): Promise<Harness> {
    const server = await startServer({ vpcReadyDelayMs: 30, ...options });
    const dir = mkdtempSync(join(tmpdir(), "vpcpeering-test-"));
    const accountsFile = join(dir, "accounts.json");
    writeFileSync(accountsFile, JSON.stringify({ regions: server.regions, accounts: server.accounts }));
    const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    process.env["VPCPEERING_ENDPOINT"] = `${server.url}/{region}`;
    process.env["VPCPEERING_ACCOUNTS_FILE"] = accountsFile;
    process.env["VPCPEERING_POLL_INTERVAL"] = "20ms";
    process.env["VPCPEERING_RETRY_BASE_DELAY"] = "10ms";
    process.env["VPCPEERING_RETRY_MAX_DELAY"] = "100ms";
    process.env["VPCPEERING_TIMEOUT"] = "20s";
    process.env["VPCPEERING_REQUEST_TIMEOUT"] = "5s";
    resetConfiguration();
    const warnings: string[] = [];
    const prevSink = setWarningSink((m) => warnings.push(m));
    return {
        server,
        accountsFile,
        warnings,
        clearWarnings: () => {
            warnings.length = 0;
        },
        project(account, region = REGION) {
            const a = server.accounts.find((x) => x.name === account);
            if (!a) throw new Error(`no demo account ${account}`);
            return a.projects[region]!;
        },
        unique(prefix) {
            counter++;
            return `${prefix}-${process.pid}-${counter}`;
        },
        async close() {
            setWarningSink(prevSink);
            for (const k of ENV_KEYS) {
                if (saved[k] === undefined) delete process.env[k];
                else process.env[k] = saved[k];
            }
            resetConfiguration();
            await server.close();
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** {@link withEnv} runs `fn` with some environment variables set, restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

/** {@link expectRejection} awaits a promise that must reject and returns the error. */
export async function expectRejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
    try {
        await p;
    } catch (e) {
        return e as Error & Record<string, unknown>;
    }
    throw new Error("expected the promise to reject, but it resolved");
}

/** {@link TestVpc} is a VPC created through the provider for a test. */
export interface TestVpc {
    readonly id: string;
    readonly name: string;
    readonly cidr: string;
    readonly region: string;
    readonly account: string;
    readonly projectId: string;
}

/** {@link makeVpc} creates a VPC through the Vpc provider (and waits until it is OK). */
export async function makeVpc(h: Harness, account: string, cidr: string, region: string = REGION): Promise<TestVpc> {
    const { vpcProvider } = await import("../../provider/resources/vpcProvider");
    const name = h.unique(`vpc-${account}`);
    const r = await vpcProvider.create({ name, cidr, region, account });
    return { id: r.id, name, cidr, region, account, projectId: (r.outs as { projectId: string }).projectId };
}

/**
 * {@link requestPeering} creates alice's VPC (10.0.0.0/16) and `accepterAccount`'s (10.1.0.0/16), and a peering from
 * alice's to the other through the PeeringConnection provider: PENDING_ACCEPTANCE across accounts, ACTIVE within.
 */
export async function requestPeering(
    h: Harness,
    accepterAccount: string,
): Promise<{ id: string; a: TestVpc; b: TestVpc }> {
    const { peeringConnectionProvider } = await import("../../provider/resources/peeringConnectionProvider");
    const a = await makeVpc(h, "alice", "10.0.0.0/16");
    const b = await makeVpc(h, accepterAccount, "10.1.0.0/16");
    const c = await peeringConnectionProvider.create({
        name: h.unique("pcx"),
        region: REGION,
        account: "alice",
        requesterVpcId: a.id,
        accepterVpcId: b.id,
        ...(accepterAccount !== "alice" ? { peerProjectId: b.projectId } : {}),
    });
    return { id: c.id, a, b };
}

/** {@link facts} turns a test VPC into the facts object the SDK would pass. */
export function facts(v: TestVpc, name = v.name): Record<string, string> {
    return { name, id: v.id, cidr: v.cidr, region: v.region, account: v.account, projectId: v.projectId };
}

/** {@link LaggingProxy} is a proxy in front of the API server that can pretend objects are not visible yet. */
export interface LaggingProxy {
    /** `http://127.0.0.1:<port>/{region}`, for VPCPEERING_ENDPOINT. */
    readonly endpointTemplate: string;
    /** How many requests were answered 404 by the proxy. */
    hidden(): number;
    close(): Promise<void>;
}

/**
 * {@link startLaggingProxy} forwards every request unchanged (signatures stay valid: the Host header is kept) except
 * the first `hideCount` requests matching `hide`, which get the API's 404 — as if the object had not propagated yet.
 * `rewrite`, when given, may change the body of every answer (e.g. a status the local server never sends).
 */
export async function startLaggingProxy(
    target: string,
    hide: (method: string, path: string) => boolean,
    hideCount: number,
    rewrite?: (method: string, path: string, body: string) => string,
): Promise<LaggingProxy> {
    const http = await import("node:http");
    const t = new URL(target);
    let hidden = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const path = (req.url ?? "/").split("?")[0]!;
            if (hidden < hideCount && hide(req.method ?? "GET", path)) {
                hidden++;
                const id = path.split("/").pop();
                res.writeHead(404, { "Content-Type": "application/json", "X-Request-Id": `proxy-${hidden}` });
                res.end(
                    JSON.stringify({
                        NeutronError: {
                            type: "PeeringNotFound",
                            message: `Peering ${id} could not be found.`,
                            detail: "",
                        },
                    }),
                );
                return;
            }
            const fwd = http.request(
                { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
                (up) => {
                    if (!rewrite) {
                        res.writeHead(up.statusCode ?? 502, up.headers);
                        up.pipe(res);
                        return;
                    }
                    const parts: Buffer[] = [];
                    up.on("data", (c: Buffer) => parts.push(c));
                    up.on("end", () => {
                        const body = Buffer.from(rewrite(req.method ?? "GET", path, Buffer.concat(parts).toString()));
                        res.writeHead(up.statusCode ?? 502, { ...up.headers, "content-length": String(body.length) });
                        res.end(body);
                    });
                },
            );
            fwd.on("error", () => res.destroy());
            fwd.end(Buffer.concat(chunks));
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    return {
        endpointTemplate: `http://127.0.0.1:${port}/{region}`,
        hidden: () => hidden,
        close: () => new Promise<void>((r) => server.close(() => r())),
    };
}

/**
 * {@link until} resolves once `condition` holds — checked after every turn of the event loop — so a test waits for
 * the event it needs (a request answered, a warning printed) instead of guessing a delay. Rejects after `turns`.
 */
export async function until(condition: () => boolean, what: string, turns = 1_000_000): Promise<void> {
    for (let i = 0; i < turns; i++) {
        if (condition()) return;
        await new Promise((res) => setImmediate(res));
    }
    throw new Error(`gave up waiting for ${what}`);
}
