// End-to-end: cancelling `peering-stacks up` on the real engine, the way a terminal's Ctrl-C or a CI cancel does it —
// SIGINT to the whole process group — while a stack's VPC create is in flight (driven by the API server's request
// hook and its state clock, no sleeps). The run stops starting stacks, lets the engine finish its in-flight steps,
// prints what finished / was cancelled / did not start, exits 130, and leaves no lock and no process behind: the
// next `up` continues where it stopped.

import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";

import { E2eFixture, exampleDir, REPO_ROOT, startE2e } from "../helpers/e2e";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist", "orchestrator", "cli.js");
/** Longer than any test: a VPC stays CREATING until the test moves the server's clock. */
const READY_DELAY_MS = 60 * 60_000;

interface Proc {
    pid: number;
    ppid: number;
    pgid: number;
    stat: string;
    args: string;
}

async function processTable(): Promise<Proc[]> {
    const { stdout } = await execFileAsync("ps", ["-eo", "pid=,ppid=,pgid=,stat=,args="]);
    return stdout
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => {
            const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l)!;
            return { pid: +m[1], ppid: +m[2], pgid: +m[3], stat: m[4], args: m[5] };
        });
}

/** `root` and everything below it (by parent pid), with their process groups. */
async function descendants(root: number): Promise<Proc[]> {
    const all = await processTable();
    const out = all.filter((p) => p.pid === root);
    for (let i = 0; i < out.length; i++) out.push(...all.filter((p) => p.ppid === out[i].pid));
    return out;
}

function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

describe("e2e: peering-stacks cancellation", function () {
    it("SIGINT to the process group mid-up: summary, exit 130, no lock, no process left; the next up continues", async () => {
        let onVpcCreate: () => void = () => undefined;
        const fx: E2eFixture = await startE2e({
            vpcReadyDelayMs: READY_DELAY_MS,
            onRequest: (e) => {
                if (e.method === "POST" && /\/vpcs$/.test(e.path) && e.status < 300) onVpcCreate();
            },
        });
        const dir = path.join(fx.backend.dir, "cancel");
        fs.mkdirSync(dir, { recursive: true });
        const plan = path.join(dir, "plan.yaml");
        fs.writeFileSync(
            plan,
            [
                "parallel: 1",
                "stacks:",
                `    first: { program: ${exampleDir("quickstart")} }`,
                `    second: { program: ${exampleDir("valid/adjacent")}, dependsOn: [first] }`,
            ].join("\n"),
        );
        const env = {
            ...process.env,
            VPCPEERING_ENDPOINT: fx.server.url,
            VPCPEERING_POLL_INTERVAL: "100ms",
            VPCPEERING_TIMEOUT: "2m",
            PULUMI_BACKEND_URL: `file://${fx.backend.backendDir}`,
            PULUMI_HOME: fx.backend.pulumiHome,
            VPCPEERING_ACCOUNTS_FILE: fx.accountsFile,
        };
        const args = (cmd: string) => [CLI, cmd, "--plan", plan, "--work-dir", path.join(dir, "work")];
        const cli = async (cmd: string) => {
            try {
                return { code: 0, ...(await execFileAsync(process.execPath, args(cmd), { cwd: dir, env })) };
            } catch (e) {
                const err = e as { code?: number; stdout?: string; stderr?: string };
                return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
            }
        };
        let down: Awaited<ReturnType<typeof cli>>;
        try {
            // The run in its own process group, as a CI job's shell would be.
            const child: ChildProcess = spawn(process.execPath, args("up"), {
                cwd: dir,
                env,
                detached: true,
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            let cancelling: () => void = () => undefined;
            child.stdout!.setEncoding("utf8").on("data", (d: string) => {
                stdout += d;
                if (stdout.includes("SIGINT received: cancelling")) cancelling();
            });
            child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
            const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

            // The first VPC create reached the API: the stack is in flight. Note every process of the run, then
            // signal the whole group; once the run says it is cancelling, let the VPCs become ACTIVE.
            const tree = new Promise<Proc[]>((resolve, reject) => {
                onVpcCreate = () => {
                    onVpcCreate = () => undefined;
                    descendants(child.pid!).then((procs) => {
                        process.kill(-child.pid!, "SIGINT");
                        resolve(procs);
                    }, reject);
                };
            });
            const seenCancelling = new Promise<void>((resolve) => (cancelling = resolve));
            const procs = await tree;
            await seenCancelling;
            fx.server.advanceTime(READY_DELAY_MS + 1);
            const code = await exited;

            expect(code, stdout + stderr).to.equal(130);
            expect(stdout).to.contain("up CANCELLED (SIGINT): 0 succeeded, 0 failed, 1 cancelled, 1 not started");
            expect(stdout).to.match(/⊘ first: cancelled \(SIGINT\) after [\d.]+s: \d created/);
            expect(stdout).to.contain("its in-flight steps finished and its state was saved");
            expect(stdout).to.contain("· second: not started (cancelled before it started)");
            expect(stdout).to.contain("peering-stacks: up cancelled by SIGINT");
            // Stopped between steps: the VPCs in flight were finished, nothing after them was started.
            const snap = fx.server.snapshot();
            expect((snap.vpcs ?? []).length).to.be.within(1, 2);
            expect((snap.peerings ?? []).length).to.equal(0);

            // Every process of the run — the CLI, its language host, the program, the provider — is gone (not
            // even a zombie), and nothing is left in any of their process groups.
            expect(procs.map((p) => p.args).join("\n")).to.match(/pulumi-language-nodejs/);
            expect(procs.some((p) => / up .*--stack/.test(p.args))).to.equal(true);
            const pids = new Set(procs.map((p) => p.pid));
            const groups = new Set(procs.map((p) => p.pgid));
            const left = (await processTable()).filter((p) => pids.has(p.pid) || groups.has(p.pgid));
            expect(left, JSON.stringify(left)).to.deep.equal([]);

            // No lock in the backend, and the next up continues: the rest of first, then second.
            expect(filesUnder(path.join(fx.backend.backendDir, ".pulumi", "locks"))).to.deep.equal([]);
            onVpcCreate = () => setImmediate(() => fx.server.advanceTime(READY_DELAY_MS + 1));
            const again = await cli("up");
            expect(again.code, again.stdout + again.stderr).to.equal(0);
            expect(again.stdout).to.contain("up succeeded: 2 succeeded, 0 failed, 0 not started");
            expect((fx.server.snapshot().peerings ?? []).length).to.equal(2);
        } finally {
            onVpcCreate = () => setImmediate(() => fx.server.advanceTime(READY_DELAY_MS + 1));
            down = await cli("destroy");
            await fx.cleanup();
        }
        expect(down.code, down.stdout + down.stderr).to.equal(0);
    });
});
