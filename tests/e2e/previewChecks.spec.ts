// The promise users buy, checked on the real engine: every program under examples/invalid/<rule>/ fails
// `pulumi preview` with that rule's message and the API sees no write; every program under examples/valid/
// passes (with a warning where a check is deferred or a rule is suppressed).

import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { RULE_TITLES } from "../../core/rules";
import { exampleDir, E2eFixture, startE2e } from "../helpers/e2e";

const invalidDir = exampleDir("invalid");
const validDir = exampleDir("valid");
const invalid = fs.readdirSync(invalidDir).filter((d) => fs.existsSync(path.join(invalidDir, d, "Pulumi.yaml")));
const valid = fs.readdirSync(validDir).filter((d) => fs.existsSync(path.join(validDir, d, "Pulumi.yaml")));

interface PreviewOutcome {
    ok: boolean;
    output: string;
    errors: string[];
    warnings: string[];
}

describe("e2e: preview-time constraint checks on the real engine", function () {
    let fx: E2eFixture;
    let n = 0;

    before(async () => {
        fx = await startE2e();
    });
    after(async () => {
        await fx?.cleanup();
    });

    async function preview(workDir: string, config: Record<string, string> = {}): Promise<PreviewOutcome> {
        const stackName = `e2e-preview-${process.pid}-${n++}`;
        const stack = await fx.stack(workDir, stackName, config);
        const events: EngineEvent[] = [];
        try {
            const res = await stack.preview({ color: "never", onEvent: (e) => events.push(e) });
            return { ok: true, output: res.stdout + res.stderr, ...diagnostics(events) };
        } catch (err) {
            return { ok: false, output: String(err instanceof Error ? err.message : err), ...diagnostics(events) };
        } finally {
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
            fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
        }
    }

    function diagnostics(events: EngineEvent[]) {
        const d = events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent] : []));
        return {
            errors: d.filter((x) => x.severity === "error").map((x) => x.message),
            warnings: d.filter((x) => x.severity === "warning").map((x) => x.message),
        };
    }

    it("has one invalid program per rule of the registry, and no other", () => {
        expect([...invalid].sort()).to.deep.equal(Object.keys(RULE_TITLES).sort());
    });

    for (const rule of invalid) {
        it(`examples/invalid/${rule} fails preview with [${rule}] and writes nothing`, async () => {
            const config: Record<string, string> = {};
            if (rule === "peering-missing-peer-project") {
                // A VPC that exists in bob's account; alice's program refers to it by id only.
                const bobVpc = await fx.client("bob").createVpc({ name: "bob-vpc", cidr: "10.1.0.0/16" });
                config.peerVpcId = bobVpc.id;
            }
            fx.markWrites();
            const out = await preview(path.join(invalidDir, rule), config);
            expect(out.ok, out.output).to.equal(false);
            const mine = out.errors.filter((m) => m.includes(`[${rule}]`));
            expect(mine, out.errors.join("\n") || out.output).to.not.be.empty;
            expect(mine[0]).to.match(/Fix: /);
            expect(fx.writes()).to.deep.equal([]);
        });
    }

    for (const name of valid) {
        it(`examples/valid/${name} passes preview`, async () => {
            fx.markWrites();
            const out = await preview(path.join(validDir, name));
            expect(out.ok, out.errors.join("\n") || out.output).to.equal(true);
            expect(out.errors).to.deep.equal([]);
            expect(fx.writes()).to.deep.equal([]);
            if (name === "deferred-until-apply") {
                expect(out.warnings.join("\n")).to.contain("deferred until apply");
            } else if (name === "suppressed-rule") {
                expect(out.warnings.join("\n")).to.contain("[peering-cidr-overlap]");
                expect(out.warnings.join("\n")).to.contain("TICKET-42");
            } else {
                expect(out.warnings.filter((w) => w.includes("deferred"))).to.deep.equal([]);
            }
        });
    }

    it("the quickstart and cross-account examples pass preview", async () => {
        for (const name of ["quickstart", "cross-account"]) {
            const out = await preview(exampleDir(name));
            expect(out.ok, `${name}: ${out.errors.join("\n") || out.output}`).to.equal(true);
        }
    });
});
