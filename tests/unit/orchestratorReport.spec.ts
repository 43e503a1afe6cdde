// The PR preview report, rendered from recorded engine events (tests/unit/orchestratorFixtures.ts, recorded with the
// real engine by `npm run fixtures:orchestrator`): our own property-level diff, constraint failures and deferred
// checks, pending acceptances with expiry, the topology as Mermaid and SVG, and the JSON for machines. The diff's
// and the diagnostics' own cases: orchestratorEvents.spec.ts.
import { expect } from "chai";
import type { EngineEvent } from "@pulumi/pulumi/automation";

import type { DeclaredFacts } from "../../core/checksPayload";
import type { SubjectKind } from "../../core/rules";
import { PreviewCollector, UNKNOWN } from "../../orchestrator/events";
import { buildReport, md, renderJson, renderMarkdown, renderMermaid, renderSvg } from "../../orchestrator/report";
import type { PreviewRun, StackPreviewResult } from "../../orchestrator/runner";
import { changedSplit, invalidPlan, movedSplit, pendingPlan } from "./orchestratorFixtures";

const SPLIT_DEPS: Record<string, string[]> = {
    "accepter-vpc": [],
    requester: ["accepter-vpc"],
    accepter: ["accepter-vpc", "requester"],
    "requester-routes": ["accepter"],
};

function collect(events: EngineEvent[]) {
    const c = new PreviewCollector();
    for (const e of events) c.onEvent(e);
    return c.collected();
}

function runOf(
    recorded: Record<string, EngineEvent[]>,
    opts: { deps?: Record<string, string[]>; skipped?: Record<string, string>; generatedAt?: string } = {},
): PreviewRun {
    const stacks: StackPreviewResult[] = Object.entries(recorded).map(([name, events]) => {
        const collected = collect(events);
        const failed = collected.result === "failed";
        return {
            name,
            fqName: `organization/${name}/dev`,
            program: name,
            status: failed ? "failed" : "ok",
            reason: failed ? "preview failed" : undefined,
            durationMs: 1200,
            deployed: true,
            upstream: [],
            collected,
        };
    });
    for (const [name, reason] of Object.entries(opts.skipped ?? {})) {
        stacks.push({
            name,
            fqName: `organization/${name}/dev`,
            program: name,
            status: "skipped",
            reason,
            durationMs: 0,
            deployed: false,
            upstream: [],
            collected: { changes: [], findings: [], resources: [] },
        });
    }
    return {
        plan: "test-plan",
        ok: stacks.every((s) => s.status !== "failed"),
        stacks,
        dependsOn: opts.deps ?? {},
        generatedAt: opts.generatedAt ?? "2026-11-28T00:00:00.000Z",
    };
}

/** A small well-formedness check: every element closed in order, attributes quoted, no stray `&` or `<`. */
function expectWellFormedXml(text: string): void {
    const stack: string[] = [];
    const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
    let last = 0;
    for (const m of text.matchAll(tag)) {
        const between = text.slice(last, m.index);
        expect(between, `text before ${m[0]}`).not.to.match(/[<>]|&(?!(amp|lt|gt|quot|#\d+);)/);
        last = m.index! + m[0].length;
        if (m[1]) expect(stack.pop(), `closing ${m[2]}`).to.equal(m[2]);
        else if (!m[4]) stack.push(m[2]);
    }
    expect(stack).to.deep.equal([]);
    expect(text.slice(last).trim()).to.equal("");
}

describe("orchestrator: collecting recorded preview events", () => {
    it("a replaced requester: our diff names the changed region and CIDR; nothing internal leaks", () => {
        const c = collect(movedSplit.requester);
        expect(c.changes.map((x) => `${x.op} ${x.type} ${x.name}`)).to.deep.equal([
            "replace Vpc shop",
            "replace PeeringConnection shop-payments",
        ]);
        // `name` too: the replacement gets a new auto-name (random suffix).
        expect(c.changes[0].properties.map((p) => p.path)).to.deep.equal(["cidr", "name", "region"]);
        expect(c.changes[0].properties).to.deep.include.members([
            { path: "cidr", kind: "update", old: "10.30.0.0/16", new: "10.31.0.0/16" },
            { path: "region", kind: "update", old: "ap-southeast-1", new: "ap-southeast-3" },
        ]);
        expect(c.changes[1].properties.map((p) => p.path)).to.include.members(["requester.cidr", "requesterVpcId"]);
        expect(JSON.stringify(c.changes)).not.to.match(/__provider|__checks|__resourceName|<provider>/);
        // The program's warnings on the request: nobody in it accepts, and it reads outputs this plan changes.
        expect(c.findings.map((f) => `${f.kind} ${f.resource}`)).to.deep.equal([
            "warning PeeringConnection shop-payments",
            "warning PeeringConnection shop-payments",
        ]);
        expect(c.findings.map((f) => f.message).join("\n")).to.match(/nothing in this program accepts/);
        expect(c.findings.map((f) => f.message).join("\n")).to.match(/outputs this plan changes/);
        expect(c.resources.map((r) => r.type).sort()).to.deep.equal(["PeeringConnection", "Vpc"]);
    });

    it("a changed CIDR is updated in place: the VPC only, the peering stays", () => {
        const c = collect(changedSplit.requester);
        expect(c.changes.map((x) => `${x.op} ${x.type} ${x.name}`)).to.deep.equal(["update Vpc shop"]);
        expect(c.changes[0].properties).to.deep.equal([
            { path: "cidr", kind: "update", old: "10.30.0.0/16", new: "10.31.0.0/16" },
        ]);
        expect(c.resources.map((r) => `${r.op} ${r.type}`).sort()).to.deep.equal([
            "same PeeringConnection",
            "update Vpc",
        ]);
    });

    it("an invalid program: the failure with its rule, and what the preview got to", () => {
        const c = collect(invalidPlan.overlap);
        expect(c.result).to.equal("failed");
        const failures = c.findings.filter((f) => f.kind === "failure");
        expect(failures).to.have.length(1);
        expect(failures[0]).to.include({ rule: "peering-cidr-overlap", resource: "PeeringConnection a-b" });
        expect(failures[0].message).to.match(/overlap/);
        expect(c.findings.filter((f) => f.kind === "error")).to.deep.equal([]);
    });
});

describe("orchestrator: the PR report", () => {
    it("a plan with an invalid stack: fails, lists the constraint failure, still shows the valid stack", () => {
        const report = buildReport(runOf(invalidPlan));
        expect(report.ok).to.equal(false);
        expect(report.totals).to.include({ failures: 1, failedStacks: 1, create: 7 });
        const text = renderMarkdown(report, { svgPath: "topology.svg" });
        expect(text).to.contain("❌ **2 of 2 stacks previewed**, **1 failed**");
        expect(text).to.contain("**Constraint failures**");
        expect(text).to.match(/- `peering-cidr-overlap` \*\*PeeringConnection a-b\*\*: .*overlap/);
        expect(text).to.contain("| + create | `Vpc app` | `account` = `alice`<br>`cidr` = `10.10.0.0/16`");
        expect(text).to.contain("```mermaid");
        expect(text).to.contain("`topology.svg`");
        expect(text).not.to.match(/__provider|__checks/);
        const json = JSON.parse(renderJson(report));
        expect(json.schema).to.equal("pulumi-vpc-peering/preview-report@1");
        const overlap = json.stacks.find((s: { name: string }) => s.name === "overlap");
        expect(overlap.failures[0].rule).to.equal("peering-cidr-overlap");
    });

    it("a pending cross-account request: its expiry and who must accept it; expired once past", () => {
        const report = buildReport(runOf(pendingPlan, { deps: SPLIT_DEPS }));
        expect(report.ok).to.equal(true);
        expect(report.pending).to.have.length(1);
        const p = report.pending[0];
        expect(p).to.include({ stack: "requester", resource: "shop-payments", state: "pending" });
        expect(p.expiresAt).to.match(/^\d{4}-\d\d-\d\dT/);
        expect(p.acceptedBy).to.equal(undefined);
        const text = renderMarkdown(report);
        expect(text).to.contain("### Pending acceptances");
        expect(text).to.contain("⏳ PENDING_ACCEPTANCE");
        expect(text).to.contain(p.expiresAt!.slice(0, 10));
        expect(text).to.contain(`the owner of project \`${p.peerProjectId}\` must accept it`);
        expect(text).to.contain("<-.->");

        const later = buildReport(runOf(pendingPlan), new Date(Date.parse(p.expiresAt!) + 1000));
        expect(later.pending[0].state).to.equal("expired");
        expect(renderMarkdown(later)).to.contain("EXPIRED");
    });

    it("split stacks: replaces with property diffs, notes on upstream changes, accepted peering and routes", () => {
        const report = buildReport(runOf(movedSplit, { deps: SPLIT_DEPS }));
        expect(report.totals).to.include({ replace: 3, deferred: 3, failures: 0 });
        const accepter = report.stacks.find((s) => s.name === "accepter")!;
        expect(accepter.notes.join(" ")).to.match(
            /deployed\*\* outputs of `accepter-vpc`, `requester`, which this change also modifies/,
        );
        // The replaced request is new again; the accepter stack in this plan accepts it.
        expect(report.totals).to.include({ pending: 1, unaccepted: 0 });
        expect(report.pending).to.deep.equal([
            {
                stack: "requester",
                resource: "shop-payments",
                peeringId: report.pending[0].peeringId,
                peerProjectId: report.pending[0].peerProjectId,
                acceptedBy: "accepter/shop-payments",
                state: "new",
            },
        ]);
        const t = report.topology;
        expect(t.vpcs.map((v) => `${v.name} ${v.account} ${v.cidr} ${v.op}`).sort()).to.deep.equal([
            "payments bob 10.40.0.0/16 replace",
            "shop alice 10.31.0.0/16 replace",
        ]);
        expect(t.peerings).to.have.length(1);
        expect(t.peerings[0]).to.include({ name: "shop-payments", acceptedBy: "accepter/shop-payments" });
        expect(t.routes.map((r) => `${r.name} ${r.destination} ${r.to !== undefined}`).sort()).to.deep.equal([
            "payments-to-shop 10.30.0.0/16 true",
            "shop-to-payments 10.40.0.0/16 true",
        ]);
        const text = renderMarkdown(report);
        expect(text).to.contain("| +- replace | `Vpc shop` | `cidr`: `10.30.0.0/16` → `10.31.0.0/16`<br>`name`: ");
        expect(text).to.contain("`region`: `ap-southeast-1` → `ap-southeast-3` |");
        expect(text).to.contain("**Checks deferred until apply**");
        const mermaid = renderMermaid(t);
        expect(mermaid).to.match(/subgraph a0\["account alice"\]/);
        expect(mermaid).to.match(/-\.->\|"route 10\.40\.0\.0\/16"\|/);
        expect(mermaid).to.contain("class v0,v1 replace");
    });

    it("split stacks, a CIDR changed in place: one update, the peering stays ACTIVE, nothing pending", () => {
        const report = buildReport(runOf(changedSplit, { deps: SPLIT_DEPS }));
        expect(report.totals).to.include({ update: 1, replace: 0, deferred: 3, failures: 0, pending: 0 });
        const t = report.topology;
        expect(t.vpcs.map((v) => `${v.name} ${v.account} ${v.cidr} ${v.op}`).sort()).to.deep.equal([
            "payments bob 10.40.0.0/16 same",
            "shop alice 10.31.0.0/16 update",
        ]);
        expect(t.peerings.map((p) => `${p.name} ${p.status} ${p.acceptedBy}`)).to.deep.equal([
            "shop-payments ACTIVE accepter/shop-payments",
        ]);
        expect(renderMarkdown(report)).to.contain(
            "| ~ update | `Vpc shop` | `cidr`: `10.30.0.0/16` → `10.31.0.0/16` |",
        );
        const mermaid = renderMermaid(t);
        expect(mermaid).to.contain('<==>|"shop-payments: ACTIVE"|');
        expect(mermaid).to.contain("class v1 update");
    });

    it("says why a stack was not previewed", () => {
        const report = buildReport(
            runOf(
                { "accepter-vpc": changedSplit["accepter-vpc"] },
                { skipped: { requester: "not previewed: upstream accepter-vpc is not deployed yet" } },
            ),
        );
        expect(report.ok).to.equal(true);
        expect(report.totals.skippedStacks).to.equal(1);
        const text = renderMarkdown(report);
        expect(text).to.contain("1 waiting for upstream");
        expect(text).to.contain("> not previewed: upstream accepter-vpc is not deployed yet");
    });

    it("draws a well-formed SVG with accounts, VPCs, peerings and routes, escaping names", () => {
        const report = buildReport(runOf(movedSplit, { deps: SPLIT_DEPS }));
        const svg = renderSvg(report.topology, 'Peering <&> "test"');
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
        expectWellFormedXml(svg);
        for (const s of ["account alice", "account bob", "shop", "payments", "10.31.0.0/16", "shop-payments: new"]) {
            expect(svg).to.contain(s);
        }
        expect(svg).to.contain("→ 10.40.0.0/16 via shop-payments");
        expect(svg).to.contain("Peering &lt;&amp;&gt; &quot;test&quot;");
        expectWellFormedXml(renderSvg(buildReport(runOf(invalidPlan)).topology));
    });

    it("collapses a long per-stack change table in <details>, after the summary", () => {
        const report = buildReport(runOf(changedSplit, { deps: SPLIT_DEPS }));
        const stack = report.stacks.find((x) => x.changes.length > 0)!;
        const many = { ...stack, changes: Array.from({ length: 12 }, () => stack.changes[0]!) };
        const text = renderMarkdown({ ...report, stacks: [many] });
        const details = text.indexOf("<details><summary>12 resource changes</summary>");
        expect(details).to.be.greaterThan(text.indexOf("| Stack | Result |"));
        expect(text.indexOf("</details>", details)).to.be.greaterThan(
            text.indexOf("| Operation | Resource |", details),
        );
        expect(renderMarkdown(report)).to.not.contain("resource changes</summary>"); // short tables stay open
    });

    it("escapes table cells", () => {
        expect(md("a|b<c>\nd")).to.equal("a\\|b&lt;c&gt;<br>d");
    });
});

describe("orchestrator: the topology of a failure across stacks", () => {
    const view = (type: string, name: string, id: string, inputs: Record<string, unknown>) => ({
        type,
        name,
        urn: `urn:pulumi:dev::p::vpcpeering:index:${type}::${name}`,
        op: "same",
        id,
        inputs,
        outputs: { status: "ACTIVE" },
    });
    const stack = (name: string, resources: ReturnType<typeof view>[], extra: Partial<StackPreviewResult> = {}) =>
        ({
            name,
            fqName: `organization/${name}/dev`,
            program: name,
            status: "ok",
            durationMs: 1,
            deployed: true,
            upstream: [],
            collected: { changes: [], findings: [], resources },
            ...extra,
        }) as StackPreviewResult;

    it("draws the other stacks' resources a cross-stack failure names as failing, and only those", () => {
        const hub = stack("hub", [view("Vpc", "payments", "vpc-h", { cidr: "10.40.0.0/16", account: "bob" })]);
        const spokeA = stack("spoke-a", [
            view("Vpc", "shop", "vpc-a", { cidr: "10.30.0.0/16", account: "alice" }),
            view("PeeringConnection", "shop-payments", "p-a", { requesterVpcId: "vpc-a", accepterVpcId: "vpc-h" }),
            view("PeeringConnection", "shop-other", "p-o", { requesterVpcId: "vpc-a", accepterVpcId: "vpc-h" }),
        ]);
        const violation = {
            rule: "mesh-peer-cidr-conflict" as const,
            resources: ["hub/payments", "spoke-a/shop-payments", "spoke-b/shop-payments"],
            fix: "give one spoke another CIDR",
            message: "[mesh-peer-cidr-conflict] …",
        };
        const spokeB = stack(
            "spoke-b",
            [
                view("Vpc", "shop", "vpc-b", { cidr: "10.30.128.0/17", account: "carol" }),
                view("PeeringConnection", "shop-payments", "p-b", { requesterVpcId: "vpc-b", accepterVpcId: "vpc-h" }),
            ],
            { status: "failed" },
        );
        const hubFailing = {
            ...hub,
            status: "failed" as const,
            collected: {
                ...hub.collected,
                findings: [
                    {
                        kind: "failure" as const,
                        rule: violation.rule,
                        resource: "Vpc payments",
                        message: violation.message,
                        violation,
                        stacks: ["hub", "spoke-a", "spoke-b"],
                    },
                ],
            },
        };
        const run: PreviewRun = {
            plan: "hub",
            ok: false,
            stacks: [hubFailing, spokeA, spokeB],
            dependsOn: { hub: [], "spoke-a": ["hub"], "spoke-b": ["hub"] },
            generatedAt: "2026-12-02T00:00:00Z",
        };
        const t = buildReport(run).topology;
        const status = (id: string) => t.peerings.find((p) => p.id === id)?.status;
        expect(status("p-a")).to.equal("failing");
        expect(status("p-b")).to.equal("failing");
        expect(status("p-o")).to.equal("ACTIVE");
    });

    it("a new stack: VPCs, the peering and routes are joined (and accounts told) by the program's facts while every id is unknown", () => {
        // What a preview records: unknown ids, and facts inputs without the facts `__checks` carries.
        const created = (type: string, name: string, inputs: Record<string, unknown>) => ({
            ...view(type, name, UNKNOWN, inputs),
            op: "create",
        });
        const vpc = (name: string, cidr: string) => ({ name, cidr, region: "ap-southeast-1", account: "alice" });
        const [app, data] = [vpc("app", "10.10.0.0/16"), vpc("data", "10.20.0.0/16")];
        const peering = { name: "app-data", requester: app, accepter: data };
        const record = (kind: SubjectKind, name: string, facts: DeclaredFacts) =>
            ({
                version: 1,
                source: "program",
                kind,
                name,
                facts,
                violations: [],
                deferred: [],
                suppressed: [],
            }) as const;
        const checks = [
            record("Vpc", "app", { vpc: app }),
            record("Vpc", "data", { vpc: data }),
            record("PeeringConnection", "app-data", { peering }),
            record("Route", "app-to-data", {
                route: { name: "app-to-data", vpc: app, destination: data.cidr, peering },
            }),
        ];
        const resources = [
            created("Vpc", "app", { cidr: app.cidr, account: "alice" }),
            created("Vpc", "data", { cidr: data.cidr, account: "alice" }),
            // Within one account the peer project is none, but in a preview its value is unknown.
            created("PeeringConnection", "app-data", {
                requesterVpcId: UNKNOWN,
                accepterVpcId: UNKNOWN,
                peerProjectId: UNKNOWN,
            }),
            created("Route", "app-to-data", { vpcId: UNKNOWN, destination: data.cidr, peeringConnectionId: UNKNOWN }),
        ];
        const s = stack("q", [], { collected: { changes: [], findings: [], resources, checks } });
        const report = buildReport({ plan: "q", ok: true, stacks: [s], dependsOn: { q: [] }, generatedAt: "x" });
        expect(report.pending).to.deep.equal([]); // both VPCs are alice's: nobody has to accept
        const t = report.topology;
        expect(t.vpcs.map((v) => `${v.key} ${v.op}`)).to.deep.equal(["q/app create", "q/data create"]);
        expect(t.peerings.map((p) => `${p.from} → ${p.to}`)).to.deep.equal(["q/app → q/data"]);
        expect(t.routes.map((r) => `${r.vpc} → ${r.to} via ${r.peering}`)).to.deep.equal([
            "q/app → q/data via q/app-data",
        ]);
    });
});
