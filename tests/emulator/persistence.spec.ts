// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Persistence across restarts (file database in a temp dir), the accounts file, and the `peering-api` CLI
// as a child process (start, request log, SIGTERM shutdown, usage errors).

import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { AccountsFile, AccountsFileError, validateAccountsFile } from "../../emulator/accounts";
import type { RunningServer } from "../../emulator/server";
import { startServer } from "../../emulator/server";
import {
    createPeering,
    createRoute,
    createVpc,
    projectOf,
    R1,
    R3,
    raw,
    startTestServer,
    v2,
    vpcClient,
} from "./harness";

const CLI = resolve(__dirname, "../../emulator/cli.js");

describe("API server: persistence", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "peering-api-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    it("keeps VPCs, peerings, routes and tokens across a restart", async () => {
        let s: RunningServer = await startTestServer({ dataDir: dir });
        expect(s.databaseLocation).to.equal(join(dir, "peering-api.db"));
        const a = await createVpc(s, "alice", R1, "10.1.0.0/16", "a");
        const b = await createVpc(s, "bob", R1, "10.2.0.0/16", "b");
        const p = await createPeering(s, "alice", R1, a, b, projectOf(s, "bob", R1), "ab");
        await vpcClient(s, "bob", R1).acceptVpcPeering(new v2.AcceptVpcPeeringRequest().withPeeringId(p.id!));
        const r = await createRoute(s, "alice", R1, a, "10.2.0.0/16", p.id!);
        const bob = s.accounts.find((x) => x.name === "bob")!;
        const token = (
            await raw(s, "POST", "/v3/auth/tokens", {
                unsigned: true,
                body: {
                    auth: {
                        identity: {
                            methods: ["hw_ak_sk"],
                            hw_ak_sk: { access: { key: bob.accessKey }, secret: { key: bob.secretKey } },
                        },
                        scope: { project: { name: R1 } },
                    },
                },
            })
        ).headers.get("x-subject-token")!;
        const before = s.snapshot();
        await s.close();

        s = await startTestServer({ dataDir: dir });
        try {
            expect(s.snapshot()).to.deep.equal(before);
            const shown: any = await vpcClient(s, "bob", R1).showVpcPeering(
                new v2.ShowVpcPeeringRequest().withPeeringId(p.id!),
            );
            expect(shown.peering).to.include({ name: "ab", status: "ACTIVE" });
            const route: any = await vpcClient(s, "alice", R1).showVpcRoute(
                new v2.ShowVpcRouteRequest().withRouteId(r.id!),
            );
            expect(route.route.destination).to.equal("10.2.0.0/16");
            const viaToken = await fetch(`${s.url}/${R1}/v2.0/vpc/peerings`, { headers: { "x-auth-token": token } });
            expect(viaToken.status).to.equal(200);
            // And the data is live: the cascade still works after the restart.
            await vpcClient(s, "alice", R1).deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(p.id!));
            expect(s.snapshot().routes).to.deep.equal([]);
        } finally {
            await s.close();
        }
    });

    it("starts empty in memory", async () => {
        const s = await startTestServer({ dataDir: dir, inMemory: true });
        try {
            expect(s.databaseLocation).to.equal(":memory:");
            expect(existsSync(join(dir, "peering-api.db"))).to.equal(false);
        } finally {
            await s.close();
        }
    });

    it("a refused request leaves the database file unchanged", async () => {
        let s = await startTestServer({ dataDir: dir });
        const a = await createVpc(s, "alice", R1, "10.1.0.0/16", "a");
        const before = s.snapshot();
        const p = projectOf(s, "alice", R1);
        await raw(s, "POST", `/${R1}/v1/${p}/vpcs`, { as: "alice", body: { vpc: { name: "a", cidr: "10.3.0.0/16" } } });
        await raw(s, "POST", `/${R1}/v2.0/vpc/peerings`, {
            as: "alice",
            body: { peering: { name: "self", request_vpc_info: { vpc_id: a }, accept_vpc_info: { vpc_id: a } } },
        });
        await raw(s, "DELETE", `/${R1}/v1/${p}/vpcs/${a}`, { as: "bob" });
        await s.close();
        s = await startTestServer({ dataDir: dir });
        try {
            expect(s.snapshot()).to.deep.equal(before);
        } finally {
            await s.close();
        }
    });
});

describe("API server: accounts", () => {
    const good: AccountsFile = {
        regions: ["eu-west-101", "eu-west-102"],
        accounts: [
            {
                name: "carol",
                domainId: "d-carol",
                accessKey: "CAROLAK",
                secretKey: "carol-secret",
                projects: { "eu-west-101": "a".repeat(32), "eu-west-102": "b".repeat(32) },
            },
            {
                name: "dave",
                domainId: "d-dave",
                accessKey: "DAVEAK",
                secretKey: "dave-secret",
                projects: { "eu-west-101": "c".repeat(32) },
            },
        ],
    };

    it("serves the regions and accounts of an accounts file", async () => {
        const s = await startServer({ accounts: good, vpcReadyDelayMs: 0 });
        try {
            expect(s.regions).to.deep.equal(["eu-west-101", "eu-west-102"]);
            expect(s.endpoint("eu-west-102")).to.equal(`${s.url}/eu-west-102`);
            expect(() => s.endpoint(R1)).to.throw(/not served/);
            const id = await createVpc(s, "carol", "eu-west-102", "10.0.0.0/16");
            expect(id).to.be.a("string");
            // dave has no project in eu-west-102.
            const r = await raw(s, "GET", "/eu-west-102/v2.0/vpc/peerings", { as: "dave" });
            expect(r.status).to.equal(401);
            // The demo regions are not served.
            expect((await raw(s, "GET", `/${R1}/v2.0/vpc/peerings`, { as: "carol" })).status).to.equal(404);
        } finally {
            await s.close();
        }
    });

    it("names every problem of a bad accounts file", () => {
        const bad = {
            regions: ["eu-west-101", "v3", "eu-west-101"],
            accounts: [
                { ...good.accounts[0], projects: { "eu-west-101": "XYZ", "mars-1": "d".repeat(32) } },
                { ...good.accounts[0], secretKey: 5 },
            ],
        };
        let err: AccountsFileError | undefined;
        try {
            validateAccountsFile(bad, "bad.json");
        } catch (e) {
            err = e as AccountsFileError;
        }
        expect(err).to.be.instanceOf(AccountsFileError);
        const text = err!.problems.join("\n");
        expect(text).to.contain('region "v3"');
        expect(text).to.contain('region "eu-west-101" is listed twice');
        expect(text).to.contain("must be 32 lowercase hex");
        expect(text).to.contain('region "mars-1" is not in "regions"');
        expect(text).to.contain('account name "carol" is used twice');
        expect(text).to.contain("access key");
        expect(text).to.contain("accounts[1].secretKey must be a non-empty string");
        expect(() => validateAccountsFile([], "x")).to.throw(AccountsFileError);
    });

    it("demo accounts: alice and bob in two regions, stable credentials", async () => {
        const s1 = await startServer();
        const s2 = await startServer();
        try {
            expect(s1.accounts.map((a) => a.name)).to.deep.equal(["alice", "bob"]);
            expect(s1.regions).to.deep.equal([R1, R3]);
            expect(s2.accounts).to.deep.equal(s1.accounts);
            for (const a of s1.accounts)
                for (const p of Object.values(a.projects)) expect(p).to.match(/^[0-9a-f]{32}$/);
        } finally {
            await s1.close();
            await s2.close();
        }
    });
});

interface CliRun {
    child: ChildProcess;
    stdout: string[];
    stderr: string;
    exit: Promise<number | null>;
    /** Both output pipes are closed: nothing more will arrive. */
    closed: boolean;
    /** Called after each chunk of output and when the pipes close (see `waitFor`). */
    readonly onChange: Set<() => void>;
}

function runCli(args: string[]): CliRun {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const run: CliRun = {
        child,
        stdout: [],
        stderr: "",
        exit: Promise.resolve(null),
        closed: false,
        onChange: new Set(),
    };
    const changed = () => [...run.onChange].forEach((f) => f());
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        run.stdout.push(...lines);
        changed();
    });
    child.stderr!.on("data", (d: Buffer) => {
        run.stderr += d.toString();
        changed();
    });
    child.on("close", () => {
        run.closed = true;
        changed();
    });
    run.exit = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    return run;
}

/** Resolves with `fn()`'s first defined value, checked on each chunk of the CLI's output (no polling). */
function waitFor<T>(run: CliRun, what: string, fn: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
        const check = (): void => {
            let v: T | undefined;
            try {
                v = fn();
            } catch (e) {
                run.onChange.delete(check);
                return reject(e);
            }
            if (v !== undefined) {
                run.onChange.delete(check);
                resolve(v);
            } else if (run.closed) {
                run.onChange.delete(check);
                reject(new Error(`the CLI ended before ${what}; stderr: ${run.stderr}`));
            }
        };
        run.onChange.add(check);
        check();
    });
}

describe("peering-api CLI", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "peering-api-cli-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    it("serves, logs each request as a JSON line, prints demo credentials, and stops cleanly on SIGTERM", async () => {
        const run = runCli(["serve", "--port", "0", "--data", dir, "--vpc-ready-delay", "0"]);
        try {
            const listening = await waitFor(run, "listening", () =>
                run.stdout.map((l) => JSON.parse(l)).find((l: any) => l.msg === "listening"),
            );
            expect(listening.regions[R1]).to.equal(`${listening.url}/${R1}`);
            expect(listening.database).to.equal(join(dir, "peering-api.db"));
            const alice = listening.accounts.find((a: any) => a.name === "alice");
            expect(alice.secretKey).to.be.a("string");
            // stderr is a separate pipe: its notice may arrive after the listening line on stdout.
            await waitFor(run, "the demo accounts on stderr", () =>
                run.stderr.includes("demo accounts") ? true : undefined,
            );
            expect(run.stderr).not.to.contain("ExperimentalWarning");

            const client = v2.VpcClient.newBuilder()
                .withCredential(
                    new (require("@huaweicloud/huaweicloud-sdk-core").BasicCredentials)()
                        .withAk(alice.accessKey)
                        .withSk(alice.secretKey)
                        .withProjectId(alice.projects[R1]),
                )
                .withEndpoint(listening.regions[R1])
                .build();
            const res: any = await client.listVpcPeerings(new v2.ListVpcPeeringsRequest());
            expect(res.httpStatusCode).to.equal(200);
            const logged = await waitFor(run, "request line", () =>
                run.stdout.map((l) => JSON.parse(l)).find((l: any) => l.msg === "request"),
            );
            expect(logged).to.include({
                method: "GET",
                path: `/${R1}/v2.0/vpc/peerings`,
                status: 200,
                account: "alice",
            });

            run.child.kill("SIGTERM");
            expect(await run.exit).to.equal(0);
            expect(run.stdout.map((l) => JSON.parse(l).msg)).to.include("stopped");
            expect(existsSync(join(dir, "peering-api.db"))).to.equal(true);
        } finally {
            run.child.kill("SIGKILL");
        }
    });

    it("takes an accounts file and does not print its secret keys", async () => {
        const file = join(dir, "accounts.json");
        writeFileSync(
            file,
            JSON.stringify({
                regions: ["eu-west-101"],
                accounts: [
                    {
                        name: "carol",
                        domainId: "d",
                        accessKey: "CAROLAK",
                        secretKey: "carol-top-secret",
                        projects: { "eu-west-101": "a".repeat(32) },
                    },
                ],
            }),
        );
        const run = runCli(["serve", "--port", "0", "--in-memory", "--accounts", file, "--quiet"]);
        try {
            const listening = await waitFor(run, "listening", () =>
                run.stdout.map((l) => JSON.parse(l)).find((l: any) => l.msg === "listening"),
            );
            expect(Object.keys(listening.regions)).to.deep.equal(["eu-west-101"]);
            expect(listening.database).to.equal(":memory:");
            expect(run.stdout.join("\n") + run.stderr).not.to.contain("carol-top-secret");
            run.child.kill("SIGINT");
            expect(await run.exit).to.equal(0);
        } finally {
            run.child.kill("SIGKILL");
        }
    });

    it("--write-accounts writes the served accounts (mode 0600) for the provider's VPCPEERING_ACCOUNTS_FILE", async () => {
        const out = join(dir, "served-accounts.json");
        const run = runCli(["serve", "--port", "0", "--in-memory", "--quiet", "--write-accounts", out]);
        try {
            await waitFor(run, "listening", () =>
                run.stdout.map((l) => JSON.parse(l)).find((l: any) => l.msg === "listening"),
            );
            const written = JSON.parse(readFileSync(out, "utf8"));
            expect(written.regions).to.deep.equal([R1, "ap-southeast-3"]);
            expect(written.accounts.map((a: any) => a.name)).to.deep.equal(["alice", "bob"]);
            expect(Object.keys(written.accounts[0])).to.include.members(["accessKey", "secretKey", "projects"]);
            expect(statSync(out).mode & 0o777).to.equal(0o600);
            run.child.kill("SIGTERM");
            expect(await run.exit).to.equal(0);
        } finally {
            run.child.kill("SIGKILL");
        }
    });

    it("exits 1 on a bad accounts file and 2 on a bad command line", async () => {
        const file = join(dir, "bad.json");
        writeFileSync(file, "{ nope");
        const bad = runCli(["serve", "--port", "0", "--accounts", file]);
        expect(await bad.exit).to.equal(1);
        expect(bad.stderr).to.contain("invalid accounts file");
        for (const args of [
            ["serve", "--bogus"],
            ["launch"],
            [],
            ["serve", "--port", "x"],
            ["serve", "--data", dir, "--in-memory"],
        ]) {
            const run = runCli(args);
            expect(await run.exit, args.join(" ")).to.equal(2);
            expect(run.stderr).to.contain("Usage: peering-api serve");
        }
        const help = runCli(["--help"]);
        expect(await help.exit).to.equal(0);
        expect(help.stdout.join("\n")).to.contain("--pending-ttl");
    });
});
