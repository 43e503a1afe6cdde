// The orchestrator's plan file: parsing, validation (everything refused before anything runs), references, ordering
// and the DAG scheduler. The CLI's arguments: orchestratorCli.spec.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";

import { PLAN_SCHEMA_FILE } from "../../orchestrator/planSchema";
import {
    findCycle,
    findReferences,
    loadPlan,
    MissingOutputError,
    parsePlan,
    Plan,
    PlanError,
    resolveValue,
    reverseDeps,
    selectStacks,
    topologicalLevels,
    upstreamOf,
} from "../../orchestrator/plan";
import { runDag } from "../../orchestrator/schedule";

const REPO = path.resolve(__dirname, "..", "..", "..");
const projects: Record<string, string> = { a: "proj-a", b: "proj-b", c: "proj-c", d: "proj-d" };
const readProject = (dir: string) => {
    const name = projects[path.basename(dir)];
    return name ? { name } : undefined;
};

function parse(text: string, env: NodeJS.ProcessEnv = {}): Plan {
    return parsePlan(text, { baseDir: "/plans", readProject, env });
}

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
    try {
        parse(text, env);
    } catch (e) {
        expect(e).to.be.instanceOf(PlanError);
        return [...(e as PlanError).problems];
    }
    throw new Error("the plan was accepted");
}

describe("orchestrator plan", () => {
    it("loads the split-stack example plan with implicit dependencies from references", () => {
        const plan = loadPlan(path.join(REPO, "examples", "split-stacks", "plan.yaml"));
        expect(plan.stacks.map((s) => s.name)).to.deep.equal([
            "accepter-vpc",
            "requester",
            "accepter",
            "requester-routes",
        ]);
        const requester = plan.stacks[1];
        expect(requester.fqName).to.equal("organization/vpc-peering-split-requester/dev");
        expect(requester.dependsOn).to.deep.equal(["accepter-vpc"]);
        expect(requester.accounts).to.deep.equal(["alice"]);
        expect(requester.program).to.equal(path.join(REPO, "examples", "split-stacks", "requester"));
        expect(plan.parallel).to.equal(2);
        expect(topologicalLevels(new Map(plan.stacks.map((s) => [s.name, s.dependsOn])))).to.deep.equal([
            ["accepter-vpc"],
            ["requester"],
            ["accepter"],
            ["requester-routes"],
        ]);
        expect(upstreamOf(plan, "requester-routes")).to.deep.equal(["accepter-vpc", "requester", "accepter"]);
    });

    it("parses JSON, defaults, per-stack stack names, env and secret config", () => {
        const plan = parsePlan(
            JSON.stringify({
                stackName: "pr-7",
                env: { A: 1 },
                stacks: {
                    a: { program: "a", config: { n: 3, flag: true, obj: { x: [1] } }, env: { B: "b" } },
                    b: { program: "b", stackName: "prod", secretConfig: { token: "${a.token}" } },
                },
            }),
            { file: "/plans/p.json", readProject, env: {} },
        );
        expect(plan.name).to.equal("p.json");
        expect(plan.env).to.deep.equal({ A: "1" });
        expect(plan.stacks[0].fqName).to.equal("organization/proj-a/pr-7");
        expect(plan.stacks[0].config).to.deep.equal({ n: 3, flag: true, obj: { x: [1] } });
        expect(plan.stacks[0].env).to.deep.equal({ B: "b" });
        expect(plan.stacks[1].fqName).to.equal("organization/proj-b/prod");
        expect(plan.stacks[1].dependsOn).to.deep.equal(["a"]);
    });

    it("substitutes ${env:NAME} at load time and keeps $${...} literal", () => {
        const plan = parse(
            `stackName: \${env:STACK}\nstacks:\n  a:\n    program: a\n    config:\n      region: \${env:REGION}\n      tpl: "$\${a.b}"\n`,
            { STACK: "pr-12", REGION: "ap-southeast-3" },
        );
        expect(plan.stacks[0].stackName).to.equal("pr-12");
        expect(plan.stacks[0].config.region).to.equal("ap-southeast-3");
        expect(findReferences(plan.stacks[0].config.tpl)).to.deep.equal([]);
        expect(resolveValue(plan.stacks[0].config.tpl, {}).value).to.equal("${a.b}");
    });

    it("refuses every problem at once, before anything runs", () => {
        const p = problems(
            [
                "stackz: dev",
                "stacks:",
                "  a:",
                "    program: a",
                "    dependsOn: [nope, a]",
                "    config:",
                "      x: ${ghost.out}",
                "      y: ${a.self}",
                "      z: ${justastack}",
                "      w: ${env:MISSING_VAR}",
                "  b:",
                "    program: missing",
                "    depends_on: [a]",
                "  c:",
                "    config: {}",
                "  'bad name':",
                "    program: d",
            ].join("\n"),
        );
        const text = p.join("\n");
        expect(text).to.match(/unknown key "stackz"/);
        expect(text).to.match(/stacks\.a\.dependsOn: unknown stack "nope"/);
        expect(text).to.match(/a stack cannot depend on itself/);
        expect(text).to.match(/\$\{ghost\.out\} refers to unknown stack "ghost"/);
        expect(text).to.match(/\$\{a\.self\} refers to the stack itself/);
        expect(text).to.match(/\$\{justastack\} must name a stack and an output/);
        expect(text).to.match(/MISSING_VAR is not set/);
        expect(text).to.match(/stacks\.b\.program: no Pulumi\.yaml in \/plans\/missing/);
        expect(text).to.match(/stacks\.b: unknown key "depends_on"/);
        expect(text).to.match(/stacks\.c\.program is missing/);
        expect(text).to.match(/"bad name" is not a valid name/);
    });

    it("refuses cycles, explicit or through references, naming the cycle", () => {
        const explicit = problems(
            "stacks:\n  a: { program: a, dependsOn: [b] }\n  b: { program: b, dependsOn: [a] }\n",
        );
        expect(explicit.join("\n")).to.match(/dependency cycle: a → b → a/);
        const viaRefs = problems(
            [
                "stacks:",
                "  a: { program: a, config: { x: '${c.out}' } }",
                "  b: { program: b, config: { x: '${a.out}' } }",
                "  c: { program: c, dependsOn: [b] }",
            ].join("\n"),
        );
        expect(viaRefs.join("\n")).to.match(/dependency cycle: a → c → b → a/);
    });

    it("refuses two plan stacks that are the same Pulumi stack, and unparsable text", () => {
        expect(problems("stacks:\n  x: { program: a }\n  y: { program: a }\n").join("\n")).to.match(
            /stacks x and y are the same Pulumi stack organization\/proj-a\/dev/,
        );
        expect(problems("stacks: [").join("\n")).to.match(/cannot parse it as YAML/);
        expect(problems("stacks: {}").join("\n")).to.match(/must name at least one stack/);
    });

    it("checks accounts against the accounts file when one is named", () => {
        const p = problems("accountsFile: acc.json\nstacks:\n  a: { program: a, accounts: [alice, carol] }\n");
        expect(p.join("\n")).to.match(/accountsFile \/plans\/acc.json cannot be read/);
        const ok = () =>
            parsePlan("accountsFile: acc.json\nstacks:\n  a: { program: a, accounts: [alice, carol] }\n", {
                baseDir: "/plans",
                readProject,
                env: {},
                readAccountNames: () => ["alice", "bob"],
            });
        expect(ok).to.throw(PlanError, /"carol" is not in \/plans\/acc.json \(alice, bob\)/);
    });

    it("checks accounts whichever way the accounts file is given: --accounts-file, the plan, VPCPEERING_ACCOUNTS_FILE", () => {
        const text = "stacks:\n  a: { program: a, accounts: [alice, carol] }\n";
        const names = (file: string) => (file === "/etc/acc.json" ? ["alice", "bob"] : undefined);
        const parse = (opts: { accountsFile?: string; env?: NodeJS.ProcessEnv }) => () =>
            parsePlan(text, { baseDir: "/plans", readProject, env: {}, readAccountNames: names, ...opts });
        expect(parse({ accountsFile: "/etc/acc.json" })).to.throw(PlanError, /"carol" is not in \/etc\/acc.json/);
        expect(parse({ env: { VPCPEERING_ACCOUNTS_FILE: "/etc/acc.json" } })).to.throw(PlanError, /"carol" is not in/);
        expect(parse({ env: { VPCPEERING_ACCOUNTS_FILE: "/nope.json" } })).to.throw(
            PlanError,
            /VPCPEERING_ACCOUNTS_FILE \/nope.json cannot be read/,
        );
        expect(parse({})).to.not.throw(); // no accounts file anywhere: nothing to check against
    });

    it("validates the shape from the published JSON Schema (schema/plan.schema.json)", () => {
        const schema = JSON.parse(fs.readFileSync(PLAN_SCHEMA_FILE, "utf8"));
        expect(schema.$schema).to.equal("http://json-schema.org/draft-07/schema#");
        const p = problems(
            "parallel: 0\nenv: { A: [1] }\nstacks:\n  a: { program: a, accounts: [1], config: { 'a:b:c': 1 } }\n",
        );
        const text = p.join("\n");
        expect(text).to.contain("parallel must be a whole number >= 1");
        expect(text).to.match(/env\.A must be string,number,boolean/);
        expect(text).to.contain("stacks.a.accounts must be a list of names");
        expect(text).to.contain('stacks.a.config: "a:b:c" is not a config key');
    });

    it("selects stacks for --stack and refuses unknown names", () => {
        const plan = parse("stacks:\n  a: { program: a }\n  b: { program: b }\n");
        expect(selectStacks(plan, ["b"]).map((s) => s.name)).to.deep.equal(["b"]);
        expect(() => selectStacks(plan, ["zz"])).to.throw(PlanError, /--stack zz: no such stack/);
    });
});

describe("orchestrator references", () => {
    const outputs = {
        vpc: { vpcId: { value: "v-1" }, cidr: { value: "10.0.0.0/16" }, meta: { value: { tags: { team: "b" } } } },
        creds: { token: { value: "s3cret", secret: true } },
    };

    it("finds references, not env or escaped ones", () => {
        expect(
            findReferences({ a: ["${vpc.vpcId}", "x-${vpc.meta.tags.team}-${env:HOME}", "$${vpc.cidr}"] }),
        ).to.deep.equal([
            { stack: "vpc", output: "vpcId", path: [], text: "${vpc.vpcId}" },
            { stack: "vpc", output: "meta", path: ["tags", "team"], text: "${vpc.meta.tags.team}" },
        ]);
    });

    it("resolves whole values with their type, interpolates strings, follows paths and carries secrecy", () => {
        expect(resolveValue("${vpc.meta}", outputs)).to.deep.equal({ value: { tags: { team: "b" } }, secret: false });
        expect(resolveValue("id=${vpc.vpcId}/${vpc.meta.tags.team}", outputs).value).to.equal("id=v-1/b");
        expect(resolveValue({ list: ["${vpc.cidr}"] }, outputs).value).to.deep.equal({ list: ["10.0.0.0/16"] });
        expect(resolveValue("Bearer ${creds.token}", outputs)).to.deep.equal({ value: "Bearer s3cret", secret: true });
        expect(resolveValue(42, outputs)).to.deep.equal({ value: 42, secret: false });
    });

    it("says which output is missing and what the stack has", () => {
        expect(() => resolveValue("${vpc.nope}", outputs)).to.throw(
            MissingOutputError,
            /stack "vpc" has no output "nope" \(its outputs: vpcId, cidr, meta\)/,
        );
        expect(() => resolveValue("${ghost.x}", {})).to.throw(MissingOutputError, /no outputs: is it deployed\?/);
    });
});

/** Nodes that wait until the test releases them: the test decides what finishes when (no timers). */
function gates() {
    const waiting = new Map<string, () => void>();
    return {
        wait: (n: string) => new Promise<void>((res) => waiting.set(n, res)),
        waiting: () => [...waiting.keys()].sort(),
        release(n: string) {
            waiting.get(n)!();
            waiting.delete(n);
        },
    };
}

/** Lets every pending promise continuation run (the scheduler starts what it can). */
const settle = () => new Promise((res) => setImmediate(res));

describe("orchestrator ordering", () => {
    const deps = new Map<string, string[]>([
        ["vpc-b", []],
        ["vpc-c", []],
        ["req", ["vpc-b"]],
        ["acc", ["req", "vpc-b"]],
        ["routes", ["acc"]],
        ["other", ["vpc-c"]],
    ]);

    it("levels, reverse order and cycles", () => {
        expect(topologicalLevels(deps, [...deps.keys()])).to.deep.equal([
            ["vpc-b", "vpc-c"],
            ["req", "other"],
            ["acc"],
            ["routes"],
        ]);
        expect(reverseDeps(deps).get("vpc-b")).to.deep.equal(["acc", "req"]);
        expect(findCycle(deps)).to.equal(undefined);
        expect(findCycle(new Map([["x", ["x"]]]))).to.deep.equal(["x", "x"]);
        expect(() =>
            topologicalLevels(
                new Map([
                    ["x", ["y"]],
                    ["y", ["x"]],
                ]),
            ),
        ).to.throw(/dependency cycle: x → y → x/);
    });

    it("runs in dependency order, independent nodes in parallel, never more than `parallel` at once", async () => {
        const events: string[] = [];
        let running = 0;
        let peak = 0;
        const g = gates();
        const done = runDag({
            nodes: [...deps.keys()],
            deps,
            parallel: 2,
            stopOnFailure: true,
            run: async (n) => {
                running++;
                peak = Math.max(peak, running);
                events.push(`start ${n}`);
                await g.wait(n);
                events.push(`end ${n}`);
                running--;
                return n.toUpperCase();
            },
        });
        await settle();
        expect(g.waiting()).to.deep.equal(["vpc-b", "vpc-c"]); // the two roots, at once
        for (let open = g.waiting(); open.length > 0; open = g.waiting()) {
            g.release(open[0]);
            await settle();
        }
        const r = await done;
        expect(peak).to.equal(2);
        expect(r.firstFailure).to.equal(undefined);
        expect([...r.outcomes.values()].every((o) => o.status === "succeeded")).to.equal(true);
        const at = (e: string) => events.indexOf(e);
        for (const [n, ds] of deps) for (const d of ds) expect(at(`end ${d}`)).to.be.lessThan(at(`start ${n}`));
        expect(at("start vpc-c")).to.be.lessThan(at("end vpc-b")); // the two roots ran together
    });

    it("stops at the first failure: running nodes finish, nothing new starts, dependents say why", async () => {
        const g = gates();
        const done = runDag({
            nodes: ["vpc-b", "vpc-c", "req", "other", "acc", "routes"],
            deps,
            parallel: 2,
            stopOnFailure: true,
            run: async (n) => {
                await g.wait(n);
                if (n === "vpc-b") throw new Error("boom");
                return n;
            },
        });
        await settle();
        expect(g.waiting()).to.deep.equal(["vpc-b", "vpc-c"]);
        g.release("vpc-b"); // fails while vpc-c is still running
        await settle();
        expect(g.waiting()).to.deep.equal(["vpc-c"]); // nothing new started
        g.release("vpc-c");
        const r = await done;
        expect(r.firstFailure).to.equal("vpc-b");
        expect(r.started).to.deep.equal(["vpc-b", "vpc-c"]);
        expect(r.outcomes.get("vpc-c")!.status).to.equal("succeeded");
        expect(r.outcomes.get("req")).to.deep.equal({ status: "not-started", reason: "vpc-b failed" });
        expect(r.outcomes.get("acc")).to.deep.equal({ status: "not-started", reason: "vpc-b failed" });
        expect(r.outcomes.get("routes")).to.deep.equal({ status: "not-started", reason: "acc did not run" });
        expect(r.outcomes.get("other")).to.deep.equal({ status: "not-started", reason: "stopped after vpc-b failed" });
    });

    it("without stopOnFailure, independent nodes go on and only dependents are blocked", async () => {
        const r = await runDag({
            nodes: [...deps.keys()],
            deps,
            parallel: 1,
            stopOnFailure: false,
            run: async (n) => {
                if (n === "req") throw new Error("no");
                return n;
            },
        });
        expect(r.outcomes.get("other")!.status).to.equal("succeeded");
        expect(r.outcomes.get("acc")).to.deep.equal({ status: "not-started", reason: "req failed" });
    });
});
