// End-to-end fixture: a fresh in-process API server, an accounts file for the provider, a temporary file
// backend, and the environment the real `pulumi` CLI (and the dynamic-provider host it starts) runs with.

import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { startServer, RunningServer, ServerOptions } from "../../emulator";
import { ApiClient, createApiClient } from "../../provider/client/client";
import { getPulumiCommand, TempBackend, withTempBackend } from "./pulumi";

/** The repository root (tests run from dist/tests/...). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The folder of an example program. */
export function exampleDir(name: string): string {
    return path.join(REPO_ROOT, "examples", name);
}

export interface E2eFixture {
    readonly server: RunningServer;
    readonly backend: TempBackend;
    readonly accountsFile: string;
    /** Environment for the CLI and the provider: offline settings + API endpoint + accounts file. */
    readonly envVars: Record<string, string>;
    /** An API client acting as `account` in `region` (for assertions and changes behind Pulumi's back). */
    client(account: string, region?: string): ApiClient;
    /** Opens (or creates) a stack of a program folder with this fixture's environment. */
    stack(workDir: string, stackName: string, config?: Record<string, string>): Promise<Stack>;
    /** Every write (POST/PUT/DELETE) the API server answered since the fixture started or `markWrites()`. */
    writes(): Array<{ method: string; path: string; status: number }>;
    markWrites(): void;
    cleanup(): Promise<void>;
}

export async function startE2e(options: ServerOptions = {}): Promise<E2eFixture> {
    const server = await startServer({ vpcReadyDelayMs: 50, ...options });
    const backend = withTempBackend();
    const accountsFile = path.join(backend.dir, "accounts.json");
    fs.writeFileSync(accountsFile, JSON.stringify({ regions: server.regions, accounts: server.accounts }), {
        mode: 0o600,
    });
    const envVars = {
        ...backend.envVars,
        VPCPEERING_ENDPOINT: server.url,
        VPCPEERING_ACCOUNTS_FILE: accountsFile,
        VPCPEERING_POLL_INTERVAL: "100ms",
        VPCPEERING_TIMEOUT: "2m",
    };
    const pulumiCommand = await getPulumiCommand();
    let mark = 0;
    return {
        server,
        backend,
        accountsFile,
        envVars,
        client(account: string, region = "ap-southeast-1") {
            const a = server.accounts.find((x) => x.name === account);
            if (!a) throw new Error(`no account ${account}`);
            return createApiClient({
                endpoint: server.endpoint(region),
                projectId: a.projects[region]!,
                auth: { type: "aksk", accessKey: a.accessKey, secretKey: a.secretKey },
                deadline: Date.now() + 60_000,
                account,
                retryBaseDelayMs: 50,
            });
        },
        async stack(workDir: string, stackName: string, config: Record<string, string> = {}) {
            const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { pulumiCommand, envVars });
            for (const [k, v] of Object.entries(config)) await stack.setConfig(k, { value: v });
            return stack;
        },
        writes() {
            return server
                .requests()
                .filter((r) => r.seq > mark && r.method !== "GET")
                .map((r) => ({ method: r.method, path: r.path, status: r.status }));
        },
        markWrites() {
            const all = server.requests();
            mark = all.length ? all[all.length - 1]!.seq : 0;
        },
        async cleanup() {
            await server.close();
            backend.cleanup();
        },
    };
}
