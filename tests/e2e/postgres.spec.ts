// End-to-end: `peering-stacks` on a shared PostgreSQL backend (Pulumi's DIY `postgres://` backend) — a real,
// throwaway PostgreSQL server, the real engine, the real API server. A plan deployed and reported with no secret
// anywhere (output, reports, saved events, work files, the state in the database); two runs of one plan at once, as
// two CI runners would start them, the second waiting for the first's lock (driven by the API server's request hook
// and state clock, no sleeps); a stale lock left by a killed run, refused after --lock-timeout and cleared by
// `peering-stacks unlock`.

import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";

import { E2eFixture, REPO_ROOT, startE2e } from "../helpers/e2e";
import { Postgres, startPostgres } from "../helpers/postgres";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist", "orchestrator", "cli.js");
const SPLIT = path.join(REPO_ROOT, "examples", "split-stacks");
/** A VPC stays CREATING until the state clock moves past this (the tests move it). */
const READY_DELAY_MS = 60 * 60_000;

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

function planText(stackName: string): string {
    return [
        `stackName: ${stackName}`,
        "stacks:",
        "    accepter-vpc:",
        `        program: ${SPLIT}/accepter-vpc`,
        "        accounts: [bob]",
        "        config: { cidr: 10.40.0.0/16 }",
        "    requester:",
        `        program: ${SPLIT}/requester`,
        "        accounts: [alice]",
        "        config:",
        "            cidr: 10.30.0.0/16",
        "            accepterVpcId: ${accepter-vpc.vpcId}",
        "            peerProjectId: ${accepter-vpc.projectId}",
        "            accepterCidr: ${accepter-vpc.cidr}",
    ].join("\n");
}

function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

describe("e2e: peering-stacks on a shared PostgreSQL backend", function () {
    let pg: Postgres;
    let fx: E2eFixture;
    let dir: string;
    /** Set to hold a VPC create in flight; by default every create becomes ACTIVE right away. */
    let onVpcCreate: (() => void) | undefined;
    const release = () => setImmediate(() => fx.server.advanceTime(READY_DELAY_MS + 1));

    before(async () => {
        pg = await startPostgres();
        fx = await startE2e({
            vpcReadyDelayMs: READY_DELAY_MS,
            onRequest: (e) => {
                if (e.method === "POST" && /\/vpcs$/.test(e.path) && e.status < 300) (onVpcCreate ?? release)();
            },
        });
        dir = path.join(fx.backend.dir, "pg");
        fs.mkdirSync(dir, { recursive: true });
    });

    after(async () => {
        await fx?.cleanup();
        await pg?.stop();
    });

    const env = () => ({
        ...process.env,
        VPCPEERING_ENDPOINT: fx.server.url,
        VPCPEERING_POLL_INTERVAL: "100ms",
        VPCPEERING_TIMEOUT: "2m",
        PULUMI_BACKEND_URL: pg.url,
        PULUMI_HOME: fx.backend.pulumiHome,
        VPCPEERING_ACCOUNTS_FILE: fx.accountsFile,
    });
    const argv = (args: string[], work: string) => [CLI, ...args, "--work-dir", path.join(dir, work)];
    async function cli(args: string[], work = "work"): Promise<Run> {
        try {
            const r = await execFileAsync(process.execPath, argv(args, work), { cwd: dir, env: env() });
            return { code: 0, ...r };
        } catch (e) {
            const err = e as { code?: number; stdout?: string; stderr?: string };
            if (typeof err.code !== "number") throw e;
            return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
        }
    }
    function start(args: string[], work: string): { child: ChildProcess; out: () => string; done: Promise<Run> } {
        const child = spawn(process.execPath, argv(args, work), { cwd: dir, env: env() });
        let stdout = "";
        let stderr = "";
        child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
        return { child, out: () => stdout, done };
    }
    const writePlan = (name: string, stackName: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, planText(stackName));
        return file;
    };
    const count = (text: string, needle: string) => text.split(needle).length - 1;
    const tables = () => {
        const snap = fx.server.snapshot();
        return { vpcs: (snap.vpcs ?? []).length, peerings: (snap.peerings ?? []).length };
    };

    it("up, preview and status on postgres://: no password or account key in output, reports, events or state", async () => {
        const plan = writePlan("one.yaml", "pg1");
        const runs: Run[] = [];
        let down: Run;
        try {
            const up = await cli(["up", "--plan", plan, "--json", "up.json"]);
            runs.push(up);
            expect(up.code, up.stdout + up.stderr).to.equal(0);
            expect(up.stdout).to.match(/backend postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/postgres/);
            expect(tables()).to.deep.equal({ vpcs: 2, peerings: 1 });
            const preview = await cli([
                "preview",
                ...["--plan", plan, "--report", "out/r.md", "--json", "out/r.json", "--events", "out/events"],
            ]);
            runs.push(preview);
            expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
            expect(fs.readFileSync(path.join(dir, "out", "r.md"), "utf8")).to.contain("PENDING_ACCEPTANCE");
            const status = await cli(["status", "--plan", plan, "--json", "out/status.json"]);
            runs.push(status);
            expect(status.code, status.stdout + status.stderr).to.equal(0);
            expect(status.stdout).to.match(/requester: \d+ resources/);

            const secrets = [pg.password, ...fx.server.accounts.flatMap((a) => [a.accessKey, a.secretKey])].filter(
                (s): s is string => typeof s === "string" && s.length > 0,
            );
            expect(secrets.length).to.be.greaterThan(4);
            const files = filesUnder(dir).filter((f) => !f.includes(`${path.sep}accounts${path.sep}`));
            expect(files.some((f) => f.endsWith(".jsonl"))).to.equal(true); // the saved events are checked too
            const state = (await pg.query("SELECT key, data::text FROM pulumi_state")).flat().join("\n");
            expect(state).to.contain("vpc-peering-split-requester");
            const places: [string, string][] = [
                ...runs.flatMap((r, i): [string, string][] => [
                    [`run ${i} stdout`, r.stdout],
                    [`run ${i} stderr`, r.stderr],
                ]),
                ...files.map((f): [string, string] => [f, fs.readFileSync(f, "utf8")]),
                ["the state in PostgreSQL", state],
            ];
            for (const [where, text] of places) {
                for (const secret of secrets) expect(text.includes(secret), `a secret in ${where}`).to.equal(false);
            }
            // The per-stack accounts files are the one place credentials must be (for the provider), private.
            for (const f of filesUnder(path.join(dir, "work", "accounts"))) {
                expect(fs.statSync(f).mode & 0o077, f).to.equal(0);
            }
        } finally {
            down = await cli(["destroy", "--plan", plan]);
        }
        expect(down.code, down.stdout + down.stderr).to.equal(0);
        expect(tables()).to.deep.equal({ vpcs: 0, peerings: 0 });
    });

    it("two runs of one plan at once (two runners, one backend): the second waits for the lock, both succeed", async () => {
        const plan = writePlan("two.yaml", "pg2");
        try {
            // Run A's first VPC create is held in flight: A holds accepter-vpc's lock.
            const aHolds = new Promise<void>((resolve) => (onVpcCreate = resolve));
            const a = start(["up", "--plan", plan], "runner-a");
            await aHolds;
            // Run B reaches the same stack, finds it locked and says it waits; then A's VPC becomes ACTIVE.
            const b = start(["up", "--plan", plan], "runner-b");
            await new Promise<void>((resolve) => {
                const poll = () => (b.out().includes("[accepter-vpc] waiting for the lock") ? resolve() : undefined);
                b.child.stdout!.on("data", poll);
                poll();
            });
            onVpcCreate = undefined;
            fx.server.advanceTime(READY_DELAY_MS + 1);
            const [ra, rb] = await Promise.all([a.done, b.done]);
            expect(ra.code, ra.stdout + ra.stderr).to.equal(0);
            expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
            expect(ra.stdout).to.contain("up succeeded: 2 succeeded, 0 failed, 0 not started");
            expect(rb.stdout).to.contain("up succeeded: 2 succeeded, 0 failed, 0 not started");
            // One message while waiting (not one per try), naming who holds the lock.
            expect(count(rb.stdout, "[accepter-vpc] waiting for the lock")).to.equal(1);
            expect(rb.stdout).to.match(
                /\[accepter-vpc\] waiting for the lock: the stack is locked by another run \(\S+ \(pid \d+\) at /,
            );
            // The second run found everything deployed: nothing was created twice.
            expect(tables()).to.deep.equal({ vpcs: 2, peerings: 1 });
            expect(await pg.query("SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%'")).to.deep.equal([]);
        } finally {
            onVpcCreate = undefined;
        }
    });

    it("a stale lock of a killed run: up gives up after --lock-timeout with one message; unlock clears it", async () => {
        const plan = path.join(dir, "two.yaml"); // deployed by the test before
        let down: Run;
        try {
            // The row a killed run leaves: its lock file, under the backend's key prefix (the URL's path, i.e. the
            // database name), its content base64 in the backend's JSON wrapper.
            const [[stackKey]] = await pg.query(
                "SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/stacks/%accepter-vpc/pg2.json%'",
            );
            const prefix = stackKey.slice(0, stackKey.indexOf(".pulumi/"));
            const lock = `${prefix}.pulumi/locks/organization/vpc-peering-split-accepter-vpc/pg2/0a1b2c3d.json`;
            const holder = { pid: 99999, username: "runner", hostname: "ci-gone", timestamp: "2026-12-02T05:00:00Z" };
            const data = JSON.stringify({ data: Buffer.from(JSON.stringify(holder)).toString("base64") });
            await pg.query(`INSERT INTO pulumi_state (key, data) VALUES ('${lock}', '${data}')`);

            const up = await cli([
                "up",
                "--plan",
                plan,
                "--stack",
                "accepter-vpc",
                "--lock-timeout",
                "1s",
                "--json",
                "locked.json",
            ]);
            expect(up.code, up.stdout + up.stderr).to.equal(1);
            const message =
                "the stack is locked by another run (runner@ci-gone (pid 99999) at 2026-12-02T05:00:00Z) and stayed " +
                "locked for 1s (--lock-timeout); if no run is using it any more (a killed or cancelled job), clear " +
                "the lock with `peering-stacks unlock --stack accepter-vpc`";
            const report = JSON.parse(fs.readFileSync(path.join(dir, "locked.json"), "utf8"));
            expect(report.stacks[0]).to.include({ name: "accepter-vpc", status: "failed", reason: message });
            expect(up.stdout).to.contain(`✘ accepter-vpc: FAILED: ${message}\n`);
            expect(count(up.stdout, "currently locked")).to.equal(0);

            const unlock = await cli(["unlock", "--plan", plan, "--stack", "accepter-vpc"]);
            expect(unlock.code, unlock.stdout + unlock.stderr).to.equal(0);
            expect(unlock.stdout).to.contain(
                "[accepter-vpc] warning: removing the lock of organization/vpc-peering-split-accepter-vpc/pg2",
            );
            expect(unlock.stdout).to.contain("[accepter-vpc] unlocked");
            expect(await pg.query("SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%'")).to.deep.equal([]);

            const again = await cli(["up", "--plan", plan, "--stack", "accepter-vpc"]);
            expect(again.code, again.stdout + again.stderr).to.equal(0);
        } finally {
            down = await cli(["destroy", "--plan", plan]);
        }
        expect(down.code, down.stdout + down.stderr).to.equal(0);
        expect(tables()).to.deep.equal({ vpcs: 0, peerings: 0 });
    });
});
