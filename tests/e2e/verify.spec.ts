// End-to-end: `peering-stacks verify` on the real Pulumi engine and the real API server. One deployment of the
// split-stack example, broken behind Pulumi's back in each way verify must catch — a peering rejected, a request
// expired (the server's clock), a route deleted, a shadowing route added, the accepter VPC's CIDR changed — and after
// each break: verify names exactly that break and fails, and after the commands it suggests (run through the CLI)
// it passes. verify itself only ever reads.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";

import { loadPlan, Orchestrator, verify, VerifyReport } from "../../orchestrator";
import type { PreviewReport } from "../../orchestrator/report";
import { E2eFixture, REPO_ROOT, startE2e } from "../helpers/e2e";
import { splitPlanText } from "../helpers/splitPlan";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist", "orchestrator", "cli.js");

const errorsOf = (r: VerifyReport) =>
    [...new Set(r.findings.filter((f) => f.severity === "error").map((f) => f.rule))].sort();
/** VPCs and peerings are auto-named (`shop-3f9a1c2`): compare by the resource name. */
const base = (name: string) => name.replace(/-[0-9a-f]{7}$/, "");
const driftOf = (r: VerifyReport) => r.drift.map((d) => `${d.stack} ${d.kind} ${d.type}`).sort();

describe("e2e: peering-stacks verify", function () {
    let fx: E2eFixture;
    let dir: string;
    let planFile: string;
    let workDir: string;
    const lines: string[] = [];
    const env = { VPCPEERING_POLL_INTERVAL: "200ms", VPCPEERING_TIMEOUT: "2m" };

    const writePlan = (text: string) => fs.writeFileSync(planFile, text);
    const orchestrator = () =>
        new Orchestrator({
            plan: loadPlan(planFile),
            workDir,
            backend: fx.backend.backendDir,
            pulumiHome: fx.backend.pulumiHome,
            accountsFile: fx.accountsFile,
            env: { ...env, VPCPEERING_ENDPOINT: fx.server.url },
            log: (l) => lines.push(l),
        });
    const cliEnv = () => ({
        ...process.env,
        ...env,
        VPCPEERING_ENDPOINT: fx.server.url,
        PULUMI_BACKEND_URL: `file://${fx.backend.backendDir}`,
        PULUMI_HOME: fx.backend.pulumiHome,
        VPCPEERING_ACCOUNTS_FILE: fx.accountsFile,
    });
    /** Runs the CLI in `dir`; resolves to the exit code and output. */
    const cli = async (args: string[]): Promise<{ code: number; out: string }> => {
        try {
            const r = await execFileAsync(process.execPath, [CLI, ...args, "--work-dir", workDir], {
                cwd: dir,
                env: cliEnv(),
                maxBuffer: 32 * 1024 * 1024,
            });
            return { code: 0, out: r.stdout + r.stderr };
        } catch (e) {
            const err = e as { code?: number; stdout?: string; stderr?: string };
            if (typeof err.code !== "number") throw e;
            return { code: err.code, out: (err.stdout ?? "") + (err.stderr ?? "") };
        }
    };
    /** verify in-process (the programmatic API), asserting that it wrote nothing. */
    const check = async (): Promise<VerifyReport> => {
        fx.markWrites();
        const r = await verify({
            plan: loadPlan(planFile),
            orchestrator: orchestrator(),
            accountsFile: fx.accountsFile,
            env: { ...process.env, VPCPEERING_ENDPOINT: fx.server.url },
        });
        expect(fx.writes(), "verify only reads").to.deep.equal([]);
        return r;
    };
    /** Runs the commands a report suggests, through the CLI, as a user would; each must succeed. */
    const reconcile = async (r: VerifyReport) => {
        expect(r.commands.length, "verify suggests commands").to.be.greaterThan(0);
        for (const c of r.commands) {
            const [bin, ...args] = c.split(" ");
            expect(bin).to.equal("peering-stacks");
            const plan = args.indexOf("--plan");
            args[plan + 1] = path.resolve(process.cwd(), args[plan + 1]);
            const res = await cli(args);
            expect(res.code, `${c}\n${res.out}`).to.equal(0);
        }
    };
    const peeringId = () => {
        const live = (fx.server.snapshot().peerings as Array<{ id: string; status: string }>).filter(
            (p) => p.status === "ACTIVE" || p.status === "PENDING_ACCEPTANCE",
        );
        expect(live).to.have.length(1);
        return live[0].id;
    };
    const vpcNamed = async (account: string, name: string) =>
        (await fx.client(account).listVpcs()).find((v) => base(v.name) === name)!;

    before(async () => {
        fx = await startE2e({ vpcReadyDelayMs: 0 });
        dir = path.join(fx.backend.dir, "verify");
        workDir = path.join(dir, "work");
        fs.mkdirSync(dir, { recursive: true });
        planFile = path.join(dir, "plan.yaml");
        writePlan(splitPlanText({ full: false }));
        const up = await orchestrator().up();
        expect(up.ok, lines.join("\n")).to.equal(true);
    });

    after(async () => {
        if (!fx) return;
        // The rejected and the expired request are no stack's any more (refresh reported them gone), yet they stay in
        // the API and would block deleting alice's VPC: remove them first.
        for (const p of await fx.client("alice").listPeerings()) {
            if (p.status === "REJECTED" || p.status === "EXPIRED") await fx.client("alice").deletePeering(p.id);
        }
        writePlan(splitPlanText({ full: true, accepterCidr: "10.41.0.0/16" }));
        const down = await orchestrator().destroy();
        expect(down.ok, lines.join("\n")).to.equal(true);
        await fx.cleanup();
    });

    it("a request nobody accepted yet: pending with its time left, not a failure (CLI, exit 0)", async () => {
        const r = await cli(["verify", "--plan", planFile, "--json", "pending.json", "--report", "pending.md"]);
        expect(r.code, r.out).to.equal(0);
        const json = JSON.parse(fs.readFileSync(path.join(dir, "pending.json"), "utf8")) as VerifyReport;
        expect(json.paths.map((p) => p.state)).to.deep.equal(["pending", "pending"]);
        expect(json.findings.map((f) => `${f.rule} ${f.severity}`)).to.deep.equal(["peering-pending warning"]);
        expect(json.findings[0].message).to.match(/expires at .+ \((6|7) days left\)/);
        expect(json.findings[0].accounts).to.have.members(["alice", "bob"]);
        expect(json.drift).to.deep.equal([]);
        const md = fs.readFileSync(path.join(dir, "pending.md"), "utf8");
        expect(md)
            .to.contain("⏳ pending")
            .and.contain("```mermaid")
            .and.match(/shop-payments-[0-9a-f]{7}: PENDING_ACCEPTANCE/);
        expect(fs.readFileSync(path.join(dir, "pending.svg"), "utf8")).to.contain("<svg");
        // Never a credential in what verify prints or writes.
        for (const a of fx.server.accounts) {
            for (const text of [r.out, md, JSON.stringify(json)]) expect(text).to.not.contain(a.secretKey);
        }
    });

    it("rejected by bob: names the rejected peering and the requester's drift, exit 1; refresh + up fixes it", async () => {
        await fx.client("bob").rejectPeering(peeringId());
        const cliRun = await cli(["verify", "--plan", planFile]);
        expect(cliRun.code, cliRun.out).to.equal(1);
        expect(cliRun.out).to.contain("REJECTED").and.contain("peering-stacks refresh --plan");
        const r = await check();
        expect(r.ok).to.equal(false);
        expect(errorsOf(r)).to.deep.equal(["peering-not-active"]);
        expect(r.findings[0].message).to.contain("REJECTED");
        expect(driftOf(r)).to.deep.equal(["requester deleted PeeringConnection"]);
        expect(r.commands.map((c) => c.replace(/--plan \S+/, "--plan P"))).to.deep.equal([
            "peering-stacks refresh --plan P --stack requester",
            "peering-stacks up --plan P --stack requester",
        ]);
        await reconcile(r);
        const again = await check();
        expect(again.ok, JSON.stringify(again.findings)).to.equal(true);
        expect(again.paths.map((p) => p.state)).to.deep.equal(["pending", "pending"]);
    });

    it("expired (the server's clock moved 8 days): names it, exit 1; refresh + up requests again", async () => {
        fx.server.advanceTime(8 * 86_400_000);
        const r = await check();
        expect(errorsOf(r)).to.deep.equal(["peering-not-active"]);
        expect(r.findings.find((f) => f.severity === "error")!.message).to.contain("EXPIRED");
        expect(driftOf(r)).to.deep.equal(["requester deleted PeeringConnection"]);
        await reconcile(r);
        expect((await check()).ok).to.equal(true);
    });

    it("accepted and routed (the whole plan up): every path carries traffic", async () => {
        writePlan(splitPlanText({ full: true }));
        const up = await orchestrator().up();
        expect(up.ok, lines.join("\n")).to.equal(true);
        const r = await check();
        expect(r.ok, JSON.stringify(r.findings)).to.equal(true);
        expect(
            r.paths.map((p) => `${base(p.fromName)}→${base(p.toName)} ${p.state} ${p.reaching.join(",")}`),
        ).to.deep.equal(["shop→payments flows 10.40.0.0/16", "payments→shop flows 10.30.0.0/16"]);
        expect(r.findings).to.deep.equal([]);
        expect(r.drift).to.deep.equal([]);
    });

    it("alice's route deleted in the console: that direction blocked, drift in requester-routes; its refresh + up fix it", async () => {
        const shop = await vpcNamed("alice", "shop");
        const [route] = (await fx.client("alice").listRoutes({ vpc_id: shop.id })).filter((x) => x.vpc_id === shop.id);
        await fx.client("alice").deleteRoute(route.id);
        const r = await check();
        expect(r.ok).to.equal(false);
        expect(r.paths.map((p) => `${base(p.fromName)}→${base(p.toName)} ${p.state}`)).to.deep.equal([
            "shop→payments blocked",
            "payments→shop flows",
        ]);
        expect(errorsOf(r)).to.deep.equal(["route-missing"]);
        const missing = r.findings[0];
        expect(missing.accounts).to.include("alice");
        expect(missing.stacks).to.include("requester-routes");
        expect(driftOf(r)).to.deep.equal(["requester-routes deleted Route"]);
        expect(r.commands.map((c) => c.replace(/--plan \S+/, "--plan P"))).to.deep.equal([
            "peering-stacks refresh --plan P --stack requester-routes",
            "peering-stacks up --plan P --stack requester-routes",
        ]);
        await reconcile(r);
        expect((await check()).ok).to.equal(true);
    });

    it("a more specific route through another peering shadows part of bob's CIDR: named, exit 1; deleting it fixes it", async () => {
        const alice = fx.client("alice");
        const shop = await vpcNamed("alice", "shop");
        const other = await alice.createVpc({ name: "other", cidr: "10.50.0.0/16" });
        const side = await alice.createPeering({
            name: "shop-other",
            request_vpc_info: { vpc_id: shop.id },
            accept_vpc_info: { vpc_id: other.id },
        });
        const shadow = await alice.createRoute({
            type: "peering",
            nexthop: side.id,
            destination: "10.40.1.0/24",
            vpc_id: shop.id,
        });
        try {
            const r = await check();
            expect(r.ok).to.equal(false);
            expect(r.paths.map((p) => `${base(p.fromName)}→${base(p.toName)} ${p.state}`)).to.deep.equal([
                "shop→payments partial",
                "payments→shop flows",
            ]);
            const shadowed = r.findings.filter((f) => f.rule === "route-shadowed");
            expect(shadowed).to.have.length(1);
            expect(shadowed[0].routes[0]).to.equal(shadow.id);
            expect(shadowed[0].message).to.contain("10.40.1.0/24");
            // The same route is also the preview rule's transitive-routing case; nothing else is an error.
            expect(errorsOf(r)).to.deep.equal(["route-shadowed", "route-transitive"]);
            expect(driftOf(r)).to.deep.equal(["requester added PeeringConnection", "requester added Route"]);
            expect(r.drift.find((d) => d.type === "Route")!.fix).to.contain(`DELETE /v2.0/vpc/routes/${shadow.id}`);
            await alice.deleteRoute(shadow.id);
            const fixed = await check();
            expect(fixed.ok, JSON.stringify(fixed.findings)).to.equal(true);
        } finally {
            await alice.deleteRoute(shadow.id);
            await alice.deletePeering(side.id);
            await alice.deleteVpc(other.id);
        }
    });

    it("bob's CIDR changed behind Pulumi's back: names the stacks built on it; the plan with the new CIDR re-routes in order", async () => {
        const payments = await vpcNamed("bob", "payments");
        await fx.client("bob").updateVpc(payments.id, { cidr: "10.41.0.0/16" });
        const r = await check();
        expect(r.ok).to.equal(false);
        expect(errorsOf(r)).to.deep.equal(["route-missing", "route-outside-peer-vpc"]);
        const changed = r.drift.filter((d) => d.kind === "changed");
        expect(changed.map((d) => `${d.stack} ${d.detail}`)).to.deep.equal([
            "accepter-vpc cidr 10.40.0.0/16 → 10.41.0.0/16 (changed outside Pulumi)",
        ]);
        expect(changed[0].affects).to.have.members(["requester", "accepter", "requester-routes"]);

        // Keep the new CIDR: the plan says so, and `up` re-runs the stacks in order; alice's route follows.
        writePlan(splitPlanText({ full: true, accepterCidr: "10.41.0.0/16" }));
        // The plan's preview follows the change: the requester's config gets the planned CIDR, and what the later
        // stacks read through StackReferences (the old CIDR) is said to be not final instead of failing the preview.
        const pre = await cli(["preview", "--plan", planFile, "--json", "cidr-preview.json"]);
        expect(pre.code, pre.out).to.equal(0);
        const previewed = JSON.parse(fs.readFileSync(path.join(dir, "cidr-preview.json"), "utf8")) as PreviewReport;
        const stackOf = (n: string) => previewed.stacks.find((x) => x.name === n)!;
        expect(stackOf("requester").placeholders).to.deep.include({
            stack: "accepter-vpc",
            output: "cidr",
            from: "preview",
            value: "10.41.0.0/16",
            deployed: "10.40.0.0/16",
        });
        const stale = (n: string) => (stackOf(n).notFinal ?? []).map((x) => `${x.output} ${x.deployed}`);
        expect(stale("requester-routes")).to.include("accepterCidr 10.40.0.0/16");
        expect(stale("accepter")).to.include("cidr 10.40.0.0/16");
        expect(previewed.stacks.flatMap((x) => x.failures)).to.deep.equal([]);
        const up = await cli(["up", "--plan", planFile]);
        expect(up.code, up.out).to.equal(0);
        const shop = await vpcNamed("alice", "shop");
        const routes = (await fx.client("alice").listRoutes({ vpc_id: shop.id })).filter((x) => x.vpc_id === shop.id);
        expect(routes.map((x) => x.destination)).to.deep.equal(["10.41.0.0/16"]);
        const after = await cli(["verify", "--plan", planFile, "--json", "after.json"]);
        expect(after.code, after.out).to.equal(0);
        const json = JSON.parse(fs.readFileSync(path.join(dir, "after.json"), "utf8")) as VerifyReport;
        expect(json.paths.map((p) => `${p.state} ${p.reaching.join(",")}`)).to.deep.equal([
            "flows 10.41.0.0/16",
            "flows 10.30.0.0/16",
        ]);
    });

    it("without a plan: an accounts file and a VPC id verify the peerings of that VPC", async () => {
        const shop = await vpcNamed("alice", "shop");
        const r = await cli(["verify", "--accounts-file", fx.accountsFile, "--vpc", shop.id]);
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.match(/flows\s+shop-payments-[0-9a-f]{7}: shop-[0-9a-f]{7} → payments-[0-9a-f]{7}/);
        expect(r.out).to.contain("verify passed: 1 peering, 2 of 2 paths carry traffic");
    });
});
