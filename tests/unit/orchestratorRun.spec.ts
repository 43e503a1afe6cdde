// The orchestrator's scheduling and failure handling on an in-memory stack driver (no engine): dependency order and
// outputs passed on, the stop after a failure, a failing plan preview changing nothing, previews past failures and
// stand-ins for upstreams not deployed yet, lock waits, cancellation, destroy's reverse order, status.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { UNKNOWN } from "../../orchestrator/events";
import { parsePlan, Plan } from "../../orchestrator/plan";
import { Orchestrator, OrchestratorOptions } from "../../orchestrator/runner";
import { FakeProgram, FakeScript, FakeStackDriver } from "./fakeStackDriver";

const PLAN = `
parallel: 1
stacks:
  net: { program: net }
  app: { program: app, config: { vpcId: "\${net.vpcId}", cidr: "\${net.cidr}" } }
  solo: { program: solo }
  reader: { program: reader, dependsOn: [net] }
`;

const net: FakeProgram = () => ({
    resources: [{ type: "Vpc", name: "net" }],
    outputs: { vpcId: UNKNOWN, cidr: "10.0.0.0/16" },
});
const app: FakeProgram = (config) => ({
    resources: [{ type: "Route", name: `to-${config.vpcId}` }],
    outputs: {},
});
const solo: FakeProgram = () => ({ resources: [{ type: "Vpc", name: "solo" }], outputs: {} });

function plan(only: readonly string[] = ["net", "app", "solo"]): Plan {
    const full = parsePlan(PLAN, { baseDir: "/plans", readProject: (dir) => ({ name: path.basename(dir) }), env: {} });
    return { ...full, stacks: full.stacks.filter((s) => only.includes(s.name)) };
}

describe("orchestrator: runs on a stack driver", () => {
    let workDir: string;
    let lines: string[];
    beforeEach(() => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "orch-run-"));
        lines = [];
    });
    afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

    function setup(
        scripts: Record<string, FakeScript>,
        opts: Partial<OrchestratorOptions> & { stacks?: readonly string[] } = {},
    ) {
        const driver = new FakeStackDriver({
            net: { program: net },
            app: { program: app },
            solo: { program: solo },
            ...scripts,
        });
        const orch = new Orchestrator({
            plan: plan(opts.stacks),
            workDir,
            driver,
            log: (l) => lines.push(l),
            ...opts,
        });
        return { driver, orch };
    }
    const count = (calls: readonly string[], call: string) => calls.filter((c) => c === call).length;

    it("up runs the stacks in dependency order and passes each its upstreams' outputs as config", async () => {
        const { driver, orch } = setup({});
        const r = await orch.up();
        expect(r.ok).to.equal(true);
        expect(r.stacks.map((s) => [s.name, s.status])).to.deep.equal([
            ["net", "succeeded"],
            ["app", "succeeded"],
            ["solo", "succeeded"],
        ]);
        expect(driver.state.get("app")!.config).to.deep.equal({ vpcId: "net-vpcId", cidr: "10.0.0.0/16" });
        expect(driver.calls.indexOf("up net")).to.be.lessThan(driver.calls.indexOf("up app"));
        expect(r.stacks[1].changes).to.deep.equal({ create: 1 });
        expect(r.stacks[0].outputs).to.deep.equal({ vpcId: "net-vpcId", cidr: "10.0.0.0/16" });
        // net and solo read nothing the plan changes: their plan preview holds. app read a placeholder: previewed again.
        expect(count(driver.calls, "preview net")).to.equal(1);
        expect(count(driver.calls, "preview app")).to.equal(2);
        expect(lines).to.include("[net] the plan's preview of this stack still holds (no upstream changed)");
        expect(lines).to.include("up succeeded: 3 succeeded, 0 failed, 0 not started");
    });

    it("up stops after a failed stack: its dependents and the stacks not started yet are reported not started", async () => {
        const { driver, orch } = setup({ net: { program: net, failUp: "Vpc net: quota exceeded" } });
        const r = await orch.up();
        expect(r.ok).to.equal(false);
        expect(r.firstFailure).to.equal("net");
        expect(r.stacks.map((s) => [s.name, s.status, s.reason])).to.deep.equal([
            ["net", "failed", "Vpc net: quota exceeded"],
            ["app", "not-started", "net failed"],
            ["solo", "not-started", "stopped after net failed"],
        ]);
        expect(driver.calls.filter((c) => c.startsWith("up "))).to.deep.equal(["up net"]);
        expect(lines).to.include("up FAILED: 0 succeeded, 1 failed, 2 not started");
    });

    it("a failing plan preview changes nothing", async () => {
        const { driver, orch } = setup({ net: { program: net, failPreview: "[vpc-cidr-invalid] bad CIDR" } });
        const r = await orch.up();
        expect(r.ok).to.equal(false);
        expect(r.stacks.map((s) => [s.name, s.status])).to.deep.equal([
            ["net", "failed"],
            ["app", "not-started"],
            ["solo", "not-started"],
        ]);
        expect(r.stacks[0].reason).to.match(/^preview failed, nothing was changed:\n.*bad CIDR/);
        expect(r.stacks[1].reason).to.equal("net failed");
        expect(driver.calls.filter((c) => c.startsWith("up "))).to.deep.equal([]);
        expect(lines.some((l) => l.startsWith("up: the plan's preview failed, nothing was changed (net:"))).to.equal(
            true,
        );
    });

    it("preview continues past a failure; an upstream not deployed yet, read through config, is stood in for", async () => {
        const { orch } = setup({ net: { program: net, failPreview: "[vpc-cidr-invalid] bad CIDR" } });
        const run = await orch.preview();
        expect(run.ok).to.equal(false);
        expect(run.stacks.map((s) => [s.name, s.status])).to.deep.equal([
            ["net", "failed"],
            ["app", "ok"],
            ["solo", "ok"],
        ]);
        const stoodIn = run.stacks[1].placeholders!.map((p) => [p.output, p.from]);
        expect(stoodIn).to.have.deep.members([
            ["vpcId", "placeholder"],
            ["cidr", "preview"],
        ]);
        expect(run.stacks[1].placeholders!.find((p) => p.output === "cidr")!.value).to.equal("10.0.0.0/16");
        expect(run.stacks[1].upstream).to.deep.equal([{ name: "net", deployed: false }]);
    });

    it("a stack reading a not-deployed upstream through a StackReference is skipped and says why", async () => {
        const { driver, orch } = setup({}, { stacks: ["net", "reader"] });
        const run = await orch.preview();
        const reader = run.stacks.find((s) => s.name === "reader")!;
        expect(reader.status).to.equal("skipped");
        expect(reader.reason).to.match(/^not previewed: upstream net is not deployed yet.*StackReference/);
        expect(run.ok).to.equal(true); // skipped is not failed
        expect(driver.calls).not.to.include("preview reader");
        driver.deploy("net", [{ urn: "urn:pulumi:dev::net::Vpc::net", type: "Vpc", id: "vpc-1" }], { vpcId: "vpc-1" });
        const again = await orch.preview();
        expect(again.stacks.find((s) => s.name === "reader")!.status).to.equal("ok");
    });

    it("a stack locked by another run is waited for, then run; past the lock timeout it fails naming unlock", async () => {
        const waits = setup({ net: { program: net, lockedAttempts: 2 } }, { lockPollMs: 1, stacks: ["net"] });
        const r = await waits.orch.up({ skipPreview: true });
        expect(r.ok).to.equal(true);
        expect(count(waits.driver.calls, "up net")).to.equal(3);
        expect(lines.filter((l) => l.startsWith("[net] waiting for the lock"))).to.have.length(1);
        expect(lines.find((l) => l.startsWith("[net] waiting for the lock"))).to.contain("ci@runner-2 (pid 4242)");

        const stuck = setup({ net: { program: net, lockedAttempts: 5 } }, { lockTimeoutMs: 0, stacks: ["net", "app"] });
        const failed = await stuck.orch.up({ skipPreview: true });
        expect(failed.stacks.map((s) => [s.name, s.status])).to.deep.equal([
            ["net", "failed"],
            ["app", "not-started"],
        ]);
        expect(failed.stacks[0].reason).to.contain("`peering-stacks unlock --stack net`");
    });

    it("cancellation: the running stack ends cancelled saying what it changed, the rest did not start", async () => {
        const ac = new AbortController();
        const { driver, orch } = setup({ net: { program: net, holdUp: true } }, { signal: ac.signal });
        driver.onHold = () => ac.abort("SIGINT");
        const r = await orch.up({ skipPreview: true });
        expect(r.ok).to.equal(false);
        expect(r.cancelled).to.equal("SIGINT");
        expect(r.firstFailure).to.equal(undefined);
        expect(r.stacks.map((s) => [s.name, s.status])).to.deep.equal([
            ["net", "cancelled"],
            ["app", "not-started"],
            ["solo", "not-started"],
        ]);
        expect(r.stacks[0].reason).to.match(
            /^cancelled \(SIGINT\) after \d+\.\ds: 1 created; its in-flight steps finished/,
        );
        expect(r.stacks[1].reason).to.equal("cancelled before it started");
        expect(lines).to.include("up CANCELLED (SIGINT): 0 succeeded, 0 failed, 1 cancelled, 2 not started");
    });

    it("destroy runs dependents first and passes over a stack that does not exist", async () => {
        const { driver, orch } = setup({}, { stacks: ["net", "app", "solo"] });
        await orch.up({ skipPreview: true, stacks: ["net", "app"] });
        const r = await orch.destroy();
        expect(r.ok).to.equal(true);
        expect(driver.calls.indexOf("destroy app")).to.be.lessThan(driver.calls.indexOf("destroy net"));
        expect(driver.calls).not.to.include("destroy solo");
        expect(lines).to.include("[solo] nothing to destroy: the stack does not exist");
        expect(r.stacks.find((s) => s.name === "net")!.changes).to.deep.equal({ delete: 1 });
    });

    it("status lists a pending peering request until an accepter in the plan has accepted it", async () => {
        const { driver, orch } = setup({}, { stacks: ["net", "solo"] });
        const peering = {
            urn: "urn:pulumi:dev::net::pulumi-nodejs:dynamic/fake:PeeringConnection::p",
            type: "pulumi-nodejs:dynamic/fake:PeeringConnection",
            id: "pc-1",
            outputs: { status: "PENDING_ACCEPTANCE", expiresAt: "2000-01-01T00:00:00Z" },
        };
        driver.deploy("net", [peering], {});
        const before = await orch.status();
        expect(before.stacks.map((s) => [s.name, s.exists, s.resources])).to.deep.equal([
            ["net", true, 1],
            ["solo", false, 0],
        ]);
        expect(before.stacks[0].pending).to.deep.equal([
            {
                stack: "net",
                resource: "p",
                peeringId: "pc-1",
                peerProjectId: undefined,
                expiresAt: "2000-01-01T00:00:00Z",
                expired: true,
            },
        ]);
        const accepter = {
            urn: "urn:pulumi:dev::solo::pulumi-nodejs:dynamic/fake:PeeringAccepter::a",
            type: "pulumi-nodejs:dynamic/fake:PeeringAccepter",
            id: "pc-1",
            outputs: { status: "ACTIVE", peeringConnectionId: "pc-1" },
        };
        driver.deploy("solo", [accepter], {});
        expect((await orch.status()).stacks[0].pending).to.deep.equal([]);
    });
});
