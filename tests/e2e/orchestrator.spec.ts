// End-to-end: the `peering-stacks` orchestrator on the real Pulumi engine (CLI built from Go modules) and the real
// API server. The one-program and split-stack examples up and destroyed through it, with the order checked in the
// server's request log; a failing stack stops its dependents; the PR report for a plan with an invalid stack and
// for a pending cross-account request. Every test has its own server, backend and work dir, destroyed in `finally`.
// One file on purpose: the tests share one setup (server, backend, CLI runner, plan writer) and the request-order
// helpers; each runs the real CLI, so splitting would only copy that setup.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";

import { loadPlan, Orchestrator, Plan } from "../../orchestrator";
import type { RequestLogEntry } from "../../emulator";
import { E2eFixture, exampleDir, REPO_ROOT, startE2e } from "../helpers/e2e";

/** What `Orchestrator.destroy` (and `up`) answer. */
type RunResult = Awaited<ReturnType<Orchestrator["destroy"]>>;
/** What the `peering-stacks` CLI run answers. */
type CliResult = Awaited<ReturnType<Setup["cli"]>>;

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist", "orchestrator", "cli.js");
const NODE = process.execPath;

interface Setup {
    fx: E2eFixture;
    dir: string;
    lines: string[];
    orchestrator(plan: Plan): Orchestrator;
    /** Runs the peering-stacks CLI as a child process; resolves to its exit code and output. */
    cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
    writePlan(name: string, text: string): string;
}

async function setup(): Promise<Setup> {
    const fx = await startE2e({ vpcReadyDelayMs: 0 });
    const dir = path.join(fx.backend.dir, "orchestrator");
    fs.mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    const env = {
        VPCPEERING_ENDPOINT: fx.server.url,
        VPCPEERING_POLL_INTERVAL: "200ms",
        VPCPEERING_TIMEOUT: "2m",
    };
    return {
        fx,
        dir,
        lines,
        orchestrator: (plan) =>
            new Orchestrator({
                plan,
                workDir: path.join(dir, "work"),
                backend: fx.backend.backendDir,
                pulumiHome: fx.backend.pulumiHome,
                accountsFile: fx.accountsFile,
                env,
                log: (l) => lines.push(l),
            }),
        async cli(args) {
            try {
                const r = await execFileAsync(NODE, [CLI, ...args, "--work-dir", path.join(dir, "work")], {
                    cwd: dir,
                    env: {
                        ...process.env,
                        ...env,
                        PULUMI_BACKEND_URL: `file://${fx.backend.backendDir}`,
                        PULUMI_HOME: fx.backend.pulumiHome,
                        VPCPEERING_ACCOUNTS_FILE: fx.accountsFile,
                    },
                    maxBuffer: 32 * 1024 * 1024,
                });
                return { code: 0, stdout: r.stdout, stderr: r.stderr };
            } catch (e) {
                const err = e as { code?: number; stdout?: string; stderr?: string };
                if (typeof err.code !== "number") throw e;
                return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
            }
        },
        writePlan(name, text) {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            return file;
        },
    };
}

/** The seq of the first request matching, or Infinity. */
function firstSeq(log: RequestLogEntry[], method: string, pathPattern: RegExp, account?: string): number {
    const r = log.find(
        (x) => x.method === method && pathPattern.test(x.path) && x.status < 300 && (!account || x.account === account),
    );
    return r ? r.seq : Infinity;
}

function lastSeq(log: RequestLogEntry[], method: string, pathPattern: RegExp, account?: string): number {
    const r = [...log]
        .reverse()
        .find(
            (x) =>
                x.method === method &&
                pathPattern.test(x.path) &&
                x.status < 300 &&
                (!account || x.account === account),
        );
    return r ? r.seq : -Infinity;
}

const VPCS = /\/vpcs$/;
const VPC = /\/vpcs\/[^/]+$/;
const PEERINGS = /\/v2\.0\/vpc\/peerings$/;
const PEERING = /\/v2\.0\/vpc\/peerings\/[^/]+$/;
const ACCEPT = /\/peerings\/[^/]+\/accept$/;
const ROUTES = /\/v2\.0\/vpc\/routes$/;
const ROUTE = /\/v2\.0\/vpc\/routes\/[^/]+$/;

function tables(fx: E2eFixture): Record<string, number> {
    const snap = fx.server.snapshot();
    return Object.fromEntries(["vpcs", "peerings", "routes"].map((t) => [t, (snap[t] ?? []).length]));
}

/** Pulumi.<stack>.yaml files in the example folders: the orchestrator must leave none behind. */
function stackFilesIn(dir: string): string[] {
    const out: string[] = [];
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory() && !ent.name.startsWith(".")) out.push(...stackFilesIn(p));
        else if (/^Pulumi\..+\.ya?ml$/.test(ent.name)) out.push(path.relative(REPO_ROOT, p));
    }
    return out.sort();
}

describe("e2e: peering-stacks orchestrator", function () {
    const examplesBefore = stackFilesIn(path.join(REPO_ROOT, "examples"));

    afterEach(() => {
        expect(stackFilesIn(path.join(REPO_ROOT, "examples"))).to.deep.equal(examplesBefore);
    });

    it("refuses a plan with a cycle or an unknown reference before touching anything (exit 2)", async () => {
        const s = await setup();
        try {
            const plan = s.writePlan(
                "bad.yaml",
                [
                    "stacks:",
                    `    a: { program: ${exampleDir("quickstart")}, config: { x: "\${b.out}" } }`,
                    `    b: { program: ${exampleDir("cross-account")}, dependsOn: [a] }`,
                    `    c: { program: ${exampleDir("quickstart")}, stackName: other, config: { y: "\${ghost.id}" } }`,
                ].join("\n"),
            );
            const r = await s.cli(["up", "--plan", plan]);
            expect(r.code).to.equal(2);
            expect(r.stderr).to.contain("nothing was run");
            expect(r.stderr).to.contain("dependency cycle: a → b → a");
            expect(r.stderr).to.contain('${ghost.id} refers to unknown stack "ghost"');
            expect(fs.existsSync(path.join(s.dir, "work"))).to.equal(false);
            expect(s.fx.server.requests()).to.deep.equal([]);
        } finally {
            await s.fx.cleanup();
        }
    });

    it("one program, two accounts (examples/cross-account): up and destroy through the orchestrator", async () => {
        const s = await setup();
        const plan = loadPlan(
            s.writePlan("one.yaml", `stacks:\n    shop-payments:\n        program: ${exampleDir("cross-account")}\n`),
        );
        const orch = s.orchestrator(plan);
        let down: RunResult;
        let left: Record<string, number>;
        try {
            const up = await orch.up();
            expect(up.ok, s.lines.join("\n")).to.equal(true);
            expect(up.stacks[0]).to.include({ name: "shop-payments", status: "succeeded" });
            expect(up.stacks[0].outputs).to.include({ acceptedStatus: "ACTIVE" });
            expect(tables(s.fx)).to.deep.equal({ vpcs: 2, peerings: 1, routes: 2 });
            const log = s.fx.server.requests();
            const request = firstSeq(log, "POST", PEERINGS, "alice");
            const accept = firstSeq(log, "PUT", ACCEPT, "bob");
            expect(request).to.be.lessThan(accept);
            expect(accept).to.be.lessThan(firstSeq(log, "POST", ROUTES, "alice"));
            expect(accept).to.be.lessThan(firstSeq(log, "POST", ROUTES, "bob"));
            expect(s.lines).to.include("[shop-payments] created PeeringAccepter shop-payments");
            // What is in flight is printed when it starts, before it finishes.
            const starting = s.lines.indexOf("[shop-payments] creating PeeringAccepter shop-payments …");
            expect(starting).to.be.greaterThan(-1);
            expect(starting).to.be.lessThan(s.lines.indexOf("[shop-payments] created PeeringAccepter shop-payments"));
            // The program's 6 resources (2 VPCs, request, accepter, 2 routes), as status counts them: not the stack.
            const status = await orch.status();
            expect(up.stacks[0]!.changes).to.deep.equal({ create: status.stacks[0]!.resources });
        } finally {
            down = await orch.destroy();
            left = tables(s.fx);
            await s.fx.cleanup();
        }
        expect(down.ok, s.lines.join("\n")).to.equal(true);
        expect(down.stacks[0]!.changes).to.deep.include({ delete: 6 });
        expect(left).to.deep.equal({ vpcs: 0, peerings: 0, routes: 0 });
    });

    it("split stacks: up in dependency order with outputs passed on, preview and status, destroy in reverse", async () => {
        const s = await setup();
        const plan = loadPlan(path.join(REPO_ROOT, "examples", "split-stacks", "plan.yaml"));
        const orch = s.orchestrator(plan);
        let down: RunResult;
        let log: RequestLogEntry[];
        let left: Record<string, number>;
        try {
            const up = await orch.up();
            expect(up.ok, s.lines.join("\n")).to.equal(true);
            expect(up.stacks.map((x) => `${x.name} ${x.status}`)).to.deep.equal([
                "accepter-vpc succeeded",
                "requester succeeded",
                "accepter succeeded",
                "requester-routes succeeded",
            ]);
            expect(tables(s.fx)).to.deep.equal({ vpcs: 2, peerings: 1, routes: 2 });

            // Order, from the API server's point of view.
            const log = s.fx.server.requests();
            const bobVpc = firstSeq(log, "POST", VPCS, "bob");
            const request = firstSeq(log, "POST", PEERINGS, "alice");
            const accept = firstSeq(log, "PUT", ACCEPT, "bob");
            const bobRoute = firstSeq(log, "POST", ROUTES, "bob");
            const aliceRoute = firstSeq(log, "POST", ROUTES, "alice");
            expect(bobVpc).to.be.lessThan(request); // bob's VPC exists before alice can request
            expect(request).to.be.lessThan(accept); // the accept reads the requester's outputs
            expect(accept).to.be.lessThan(bobRoute);
            expect(accept).to.be.lessThan(aliceRoute); // alice's routes stack runs after bob's accepter stack

            // Outputs went downstream as config; each stack saw only its own team's account.
            const peering = s.fx.server.snapshot().peerings[0] as Record<string, unknown>;
            expect(JSON.stringify(peering)).to.contain(String(up.stacks[0].outputs!.vpcId));
            const requesterAccounts = JSON.parse(
                fs.readFileSync(path.join(s.dir, "work", "accounts", "requester.json"), "utf8"),
            ) as { accounts: { name: string }[] };
            expect(requesterAccounts.accounts.map((a) => a.name)).to.deep.equal(["alice"]);

            // A preview of the deployed plan: no changes, the peering ACTIVE (the accepter knows), routes both ways.
            const preview = await orch.preview();
            expect(preview.ok).to.equal(true);
            const { buildReport, renderMarkdown } = await import("../../orchestrator/report");
            const report = buildReport(preview);
            expect(report.totals).to.include({ create: 0, update: 0, replace: 0, delete: 0, failures: 0, pending: 0 });
            expect(report.topology.peerings.map((p) => p.status)).to.deep.equal(["ACTIVE"]);
            expect(report.topology.routes.filter((r) => r.to)).to.have.length(2);
            expect(renderMarkdown(report)).to.contain("shop-payments: ACTIVE");

            // A refresh reads the live state in the same order: the request's recorded status catches up.
            const refreshed = await orch.refresh();
            expect(refreshed.ok, s.lines.join("\n")).to.equal(true);
            expect(refreshed.stacks.map((x) => x.name)).to.deep.equal([
                "accepter-vpc",
                "requester",
                "accepter",
                "requester-routes",
            ]);

            const status = await orch.status();
            expect(status.stacks.map((x) => `${x.name} ${x.exists}`)).to.deep.equal([
                "accepter-vpc true",
                "requester true",
                "accepter true",
                "requester-routes true",
            ]);
            expect(status.stacks.flatMap((x) => x.pending)).to.deep.equal([]);
        } finally {
            s.fx.markWrites();
            down = await orch.destroy();
            log = s.fx.server.requests();
            left = tables(s.fx);
            await s.fx.cleanup();
        }
        expect(down.ok, s.lines.join("\n")).to.equal(true);
        expect(down.stacks.map((x) => x.name)).to.deep.equal([
            "requester-routes",
            "accepter",
            "requester",
            "accepter-vpc",
        ]);
        const peeringDelete = firstSeq(log, "DELETE", PEERING, "alice");
        expect(lastSeq(log, "DELETE", ROUTE)).to.be.lessThan(peeringDelete); // routes (both sides) first
        expect(peeringDelete).to.be.lessThan(firstSeq(log, "DELETE", VPC, "bob")); // bob's VPC last
        expect(left).to.deep.equal({ vpcs: 0, peerings: 0, routes: 0 });
    });

    it("a failing stack stops its dependents: the CLI reports what ran, what failed and what did not start", async () => {
        const s = await setup();
        const file = s.writePlan(
            "failing.yaml",
            [
                "parallel: 1",
                "stacks:",
                "    overlap:",
                `        program: ${exampleDir("invalid/peering-cidr-overlap")}`,
                "    after-overlap:",
                `        program: ${exampleDir("quickstart")}`,
                "        dependsOn: [overlap]",
                "    independent:",
                `        program: ${exampleDir("valid/adjacent")}`,
            ].join("\n"),
        );
        let down: CliResult;
        try {
            const r = await s.cli(["up", "--plan", file, "--json", "run.json"]);
            expect(r.code, r.stdout + r.stderr).to.equal(1);
            expect(r.stdout).to.contain("up FAILED: 0 succeeded, 1 failed, 2 not started");
            expect(r.stdout).to.contain("✘ overlap: FAILED: preview failed, nothing was changed");
            expect(r.stdout).to.match(/PeeringConnection a-b: \[peering-cidr-overlap\]/);
            expect(r.stdout).to.contain("· after-overlap: not started (overlap failed)");
            expect(r.stdout).to.contain("· independent: not started (stopped after overlap failed)");
            const run = JSON.parse(fs.readFileSync(path.join(s.dir, "run.json"), "utf8"));
            expect(run.firstFailure).to.equal("overlap");
            expect(s.fx.writes()).to.deep.equal([]); // the preview failed before anything was created
        } finally {
            down = await s.cli(["destroy", "--plan", file]);
            await s.fx.cleanup();
        }
        expect(down.code, down.stdout + down.stderr).to.equal(0);
    });

    it("PR report for a plan with an invalid stack: constraint failure, the valid stack's changes, exit 1", async () => {
        const s = await setup();
        const file = s.writePlan(
            "pr.yaml",
            [
                "stacks:",
                "    quickstart:",
                `        program: ${exampleDir("quickstart")}`,
                "    overlap:",
                `        program: ${exampleDir("invalid/peering-cidr-overlap")}`,
            ].join("\n"),
        );
        try {
            const r = await s.cli([
                "preview",
                "--plan",
                file,
                "--report",
                "out/report.md",
                "--json",
                "out/report.json",
            ]);
            expect(r.code, r.stdout + r.stderr).to.equal(1);
            expect(r.stdout).to.contain("preview FAILED");
            // Each stack says when its preview starts, not only when it ends.
            expect(r.stdout.indexOf("[overlap] preview started")).to.be.within(
                0,
                r.stdout.indexOf("[overlap] preview failed"),
            );
            const md = fs.readFileSync(path.join(s.dir, "out", "report.md"), "utf8");
            expect(md).to.contain("**1 failed**");
            expect(md).to.match(/- `peering-cidr-overlap` \*\*PeeringConnection a-b\*\*: .*overlap/);
            expect(md).to.contain("| + create | `PeeringConnection app-data` |");
            expect(md).to.contain("```mermaid");
            expect(md).not.to.match(/__provider|__checks/);
            const json = JSON.parse(fs.readFileSync(path.join(s.dir, "out", "report.json"), "utf8"));
            expect(json.ok).to.equal(false);
            expect(json.totals.failures).to.equal(1);
            expect(json.stacks.map((x: { name: string; status: string }) => `${x.name} ${x.status}`)).to.deep.equal([
                "quickstart ok",
                "overlap failed",
            ]);
            const svg = fs.readFileSync(path.join(s.dir, "out", "report.svg"), "utf8");
            expect(svg).to.match(/^<svg /);
            expect(svg).to.contain("account alice");
            expect(s.fx.writes()).to.deep.equal([]); // a preview writes nothing
            // Stacks created only to be previewed are removed again.
            const status = await s.cli(["status", "--plan", file]);
            expect(status.stdout).to.contain("quickstart: not deployed");
            expect(status.stdout).to.contain("overlap: not deployed");
        } finally {
            await s.fx.cleanup();
        }
    });

    it("PR report for a pending cross-account request: its expiry, and who must accept it", async () => {
        const s = await setup();
        const split = path.join(REPO_ROOT, "examples", "split-stacks");
        const file = s.writePlan(
            "pending.yaml",
            [
                "stacks:",
                "    accepter-vpc:",
                `        program: ${split}/accepter-vpc`,
                "        accounts: [bob]",
                "    requester:",
                `        program: ${split}/requester`,
                "        accounts: [alice]",
                "        config:",
                "            accepterVpcId: ${accepter-vpc.vpcId}",
                "            peerProjectId: ${accepter-vpc.projectId}",
                "            accepterCidr: ${accepter-vpc.cidr}",
                "    accepter:",
                `        program: ${split}/accepter`,
                "        dependsOn: [requester]",
            ].join("\n"),
        );
        let down: CliResult;
        let left: Record<string, number>;
        try {
            // Before anything is deployed: the requester (reads accepter-vpc through config) is previewed with the
            // upstream's preview values and placeholders; the accepter (a StackReference) cannot be, and says so.
            const first = await s.cli(["preview", "--plan", file, "--report", "first.md"]);
            expect(first.code, first.stdout + first.stderr).to.equal(0);
            const firstMd = fs.readFileSync(path.join(s.dir, "first.md"), "utf8");
            expect(firstMd).to.contain("Previewed before `accepter-vpc` is deployed");
            expect(firstMd).to.contain("`accepter-vpc.vpcId` is a placeholder");
            expect(firstMd).to.contain("upstream requester is not deployed yet");
            expect(firstMd).to.contain("a StackReference reads the last deployed outputs");

            // Request without accepting.
            const up = await s.cli(["up", "--plan", file, "--stack", "accepter-vpc"]);
            expect(up.code, up.stdout + up.stderr).to.equal(0);
            const up2 = await s.cli(["up", "--plan", file, "--stack", "requester"]);
            expect(up2.code, up2.stdout + up2.stderr).to.equal(0);
            const peering = (s.fx.server.snapshot().peerings as Record<string, unknown>[])[0];
            expect(JSON.stringify(peering)).to.contain("PENDING_ACCEPTANCE");

            const r = await s.cli([
                "preview",
                "--plan",
                file,
                "--stack",
                "requester",
                "--report",
                "pending.md",
                "--json",
                "pending.json",
            ]);
            expect(r.code, r.stdout + r.stderr).to.equal(0);
            const json = JSON.parse(fs.readFileSync(path.join(s.dir, "pending.json"), "utf8"));
            expect(json.pending).to.have.length(1);
            expect(json.pending[0]).to.include({ stack: "requester", resource: "shop-payments", state: "pending" });
            const expiresAt: string = json.pending[0].expiresAt;
            expect(Date.parse(expiresAt) - Date.now()).to.be.within(6.9 * 86400_000, 7.01 * 86400_000);
            const md = fs.readFileSync(path.join(s.dir, "pending.md"), "utf8");
            expect(md).to.contain("### Pending acceptances");
            expect(md).to.contain("⏳ PENDING_ACCEPTANCE");
            expect(md).to.contain(expiresAt.slice(0, 10));
            expect(md).to.contain("must accept it");
            expect(md).to.contain('<-.->|"shop-payments: PENDING_ACCEPTANCE"|');

            // The accepter stack's preview reads the request's id from the deployed requester.
            const acc = await s.cli(["preview", "--plan", file, "--stack", "accepter", "--json", "acc.json"]);
            expect(acc.code, acc.stdout + acc.stderr).to.equal(0);
            const accJson = JSON.parse(fs.readFileSync(path.join(s.dir, "acc.json"), "utf8"));
            expect(accJson.stacks[0].changes.map((c: { op: string; type: string }) => `${c.op} ${c.type}`)).to.include(
                "create PeeringAccepter",
            );

            const status = await s.cli(["status", "--plan", file]);
            expect(status.stdout).to.match(/PENDING_ACCEPTANCE: peering shop-payments \(.+\) expires /);
            expect(status.stdout).to.contain("accepter: not deployed");
        } finally {
            down = await s.cli(["destroy", "--plan", file]);
            left = tables(s.fx);
            await s.fx.cleanup();
        }
        expect(down.code, down.stdout + down.stderr).to.equal(0);
        expect(left).to.deep.equal({ vpcs: 0, peerings: 0, routes: 0 });
    });
    describe("the plan checked as a whole (nothing deployed, two accounts, accounts: filtered)", () => {
        let s: Setup;
        before(async () => {
            s = await setup();
        });
        after(async () => {
            await s?.fx.cleanup();
        });
        const split = exampleDir("split-stacks");
        const hubPlan = (spokeB: string) =>
            [
                "stacks:",
                "    hub:",
                `        program: ${split}/accepter-vpc`,
                "        accounts: [bob]",
                "        config: { cidr: 10.40.0.0/16 }",
                ...["spoke-a", "spoke-b"].flatMap((name) => [
                    `    ${name}:`,
                    `        program: ${split}/requester`,
                    `        stackName: ${name}`,
                    "        accounts: [alice]",
                    "        config:",
                    `            cidr: ${name === "spoke-a" ? "10.30.0.0/16" : spokeB}`,
                    "            accepterVpcId: ${hub.vpcId}",
                    "            peerProjectId: ${hub.projectId}",
                    "            accepterCidr: ${hub.cidr}",
                ]),
            ].join("\n");
        const preview = async (file: string, json: string) => {
            s.fx.markWrites();
            const r = await s.cli(["preview", "--plan", file, "--json", json]);
            return { r, json: JSON.parse(fs.readFileSync(path.join(s.dir, json), "utf8")) };
        };

        it("a requester CIDR inside the accepter's, in another stack and account: exit 1, the rule in the JSON, no write", async () => {
            const plan = fs
                .readFileSync(path.join(split, "plan.yaml"), "utf8")
                .replace(/program: (\S+)/g, (_m, p: string) => `program: ${path.join(split, p)}`)
                .replace("cidr: 10.30.0.0/16", "cidr: 10.40.128.0/17");
            const { r, json } = await preview(s.writePlan("split-overlap.yaml", plan), "split-overlap.json");
            expect(r.code, r.stdout + r.stderr).to.equal(1);
            expect(json.ok).to.equal(false);
            const requester = json.stacks.find((x: { name: string }) => x.name === "requester");
            expect(requester.status).to.equal("failed");
            const overlap = requester.failures.find((f: { rule: string }) => f.rule === "peering-cidr-overlap");
            expect(overlap, JSON.stringify(requester)).to.not.equal(undefined);
            expect(overlap.violation.values).to.deep.equal({
                requesterCidr: "10.40.128.0/17",
                accepterCidr: "10.40.0.0/16",
            });
            expect(overlap.message).to.match(/Fix: /);
            // accepter-vpc is not deployed: the requester was previewed with its preview's CIDR and a placeholder id.
            expect(requester.placeholders).to.deep.include({
                stack: "accepter-vpc",
                output: "cidr",
                from: "preview",
                value: "10.40.0.0/16",
            });
            expect(requester.placeholders.find((p: { output: string }) => p.output === "vpcId").from).to.equal(
                "placeholder",
            );
            expect(json.stacks.find((x: { name: string }) => x.name === "accepter-vpc").status).to.equal("ok");
            expect(s.fx.writes()).to.deep.equal([]);
        });

        it("a hub whose spokes are other stacks, with overlapping spoke CIDRs: only the whole plan shows it, and fails it", async () => {
            const { r, json } = await preview(s.writePlan("hub-bad.yaml", hubPlan("10.30.128.0/17")), "hub-bad.json");
            expect(r.code, r.stdout + r.stderr).to.equal(1);
            expect(json.totals.failures).to.equal(1);
            const hub = json.stacks.find((x: { name: string }) => x.name === "hub");
            expect(hub.status).to.equal("failed");
            expect(hub.failures).to.have.length(1);
            const f = hub.failures[0];
            expect(f.rule).to.equal("mesh-peer-cidr-conflict");
            expect(f.resource).to.equal("Vpc payments");
            expect(f.stacks).to.have.members(["hub", "spoke-a", "spoke-b"]);
            expect(f.message).to.contain('"spoke-a/shop-payments"');
            expect(f.message).to.contain('"spoke-b/shop-payments"');
            expect(f.message).to.contain("10.30.128.0/17");
            expect(json.placeholderMappings).to.deep.include({
                stack: "hub",
                output: "vpcId",
                vpc: "hub/payments",
                why: "the VPC of hub with CIDR 10.40.0.0/16",
            });
            for (const spoke of ["spoke-a", "spoke-b"]) {
                expect(json.stacks.find((x: { name: string }) => x.name === spoke).failures).to.deep.equal([]);
            }
            expect(s.fx.writes()).to.deep.equal([]);
        });

        it("the valid counterpart (disjoint spokes) passes", async () => {
            const { r, json } = await preview(s.writePlan("hub-ok.yaml", hubPlan("10.31.0.0/16")), "hub-ok.json");
            expect(r.code, r.stdout + r.stderr).to.equal(0);
            expect(json.ok).to.equal(true);
            expect(json.totals.failures).to.equal(0);
            expect(json.stacks.map((x: { name: string; status: string }) => `${x.name} ${x.status}`)).to.deep.equal([
                "hub ok",
                "spoke-a ok",
                "spoke-b ok",
            ]);
            expect(s.fx.writes()).to.deep.equal([]);
        });

        it("what the plan's preview cannot join is checked again at apply: up stops that stack before it changes anything", async () => {
            // spoke-b passes a wrong accepterCidr: its own check passes, and the hub's placeholder id matches no VPC
            // of the hub. Once the hub is up, the id is real: the union joins it to the hub's 10.40.0.0/16.
            const plan = [
                "stacks:",
                "    hub:",
                `        program: ${split}/accepter-vpc`,
                "        stackName: apply-hub",
                "        accounts: [bob]",
                "        config: { cidr: 10.40.0.0/16 }",
                "    spoke-b:",
                `        program: ${split}/requester`,
                "        stackName: apply-spoke-b",
                "        accounts: [alice]",
                "        config:",
                "            cidr: 10.40.128.0/17",
                "            accepterVpcId: ${hub.vpcId}",
                "            peerProjectId: ${hub.projectId}",
                "            accepterCidr: 10.50.0.0/16",
            ].join("\n");
            const file = s.writePlan("hub-apply.yaml", plan);
            s.fx.markWrites();
            const r = await s.cli(["up", "--plan", file]);
            const writes = s.fx.writes();
            await s.cli(["destroy", "--plan", file]);
            expect(r.code, r.stdout + r.stderr).to.equal(1);
            expect(r.stdout).to.match(
                /\[spoke-b\] error: PeeringConnection shop-payments \(across stacks .*checked at apply\)/,
            );
            expect(r.stdout).to.contain("[peering-cidr-overlap]");
            expect(r.stdout).to.contain('"hub/payments" (10.40.0.0/16)');
            // The hub's VPC was created; nothing of spoke-b was (no VPC of alice, no peering).
            const posts = writes.filter((w) => w.method === "POST").map((w) => w.path);
            expect(posts).to.have.length(1);
            expect(posts[0]).to.match(/\/v1\/[0-9a-f]{32}\/vpcs$/);
        });
    });
});
