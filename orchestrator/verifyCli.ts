// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The `verify` command of peering-stacks: runs verify(), writes the Markdown / JSON / SVG reports and prints a
// summary with one line per finding. Exit code 0 when every path carries traffic and nothing drifted, 1 otherwise.

import * as fs from "node:fs";
import * as path from "node:path";

import type { Plan } from "./plan";
import { redact } from "./redact";
import { renderSvg } from "./report";
import type { Orchestrator } from "./runner";
import { verify } from "./verify";
import { renderVerifyJson, renderVerifyMarkdown, renderVerifySummary } from "./verifyReport";

/** {@link VerifyCliArgs} are the command-line options `verify` reads. */
export interface VerifyCliArgs {
    readonly stacks: readonly string[];
    readonly vpcs: readonly string[];
    readonly region?: string;
    readonly accountsFile?: string;
    readonly report?: string;
    readonly json?: string;
    readonly svg?: string;
    readonly title?: string;
}

/** Like every file the CLI writes, the reports go through the redaction. */
function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, redact(text));
}

/** {@link runVerify} runs `peering-stacks verify` (with a plan and its orchestrator, or VPC ids only). */
export async function runVerify(
    args: VerifyCliArgs,
    plan: Plan | undefined,
    orchestrator: Orchestrator | undefined,
    out: (s: string) => void,
): Promise<number> {
    const report = await verify({
        plan,
        orchestrator,
        stacks: args.stacks,
        vpcIds: args.vpcs,
        region: args.region,
        accountsFile: args.accountsFile,
    });
    const svgPath = args.svg ?? (args.report ? args.report.replace(/\.md$/i, "") + ".svg" : undefined);
    if (args.report) {
        write(
            args.report,
            renderVerifyMarkdown(report, { svgPath: svgPath && path.basename(svgPath), title: args.title }),
        );
        out(`report: ${args.report}\n`);
    }
    if (svgPath) {
        write(svgPath, renderSvg(report.topology, `VPC peering, live: ${plan?.name ?? "verify"}`));
        out(`topology: ${svgPath}\n`);
    }
    if (args.json) {
        write(args.json, renderVerifyJson(report));
        out(`json: ${args.json}\n`);
    }
    for (const p of report.paths) {
        out(
            `  ${p.state.padEnd(7)} ${p.peeringName}: ${p.fromName} → ${p.toName}${p.reasons.length ? ` (${p.reasons.join(", ")})` : ""}\n`,
        );
    }
    for (const f of report.findings) out(`  ${f.severity}: [${f.rule}] ${f.message}\n      fix: ${f.fix}\n`);
    for (const d of report.drift) out(`  drift (${d.stack}): ${d.kind} ${d.type} ${d.resource ?? d.id}: ${d.detail}\n`);
    for (const n of report.notes) out(`  note: ${n}\n`);
    if (report.commands.length) out(`to reconcile:\n${report.commands.map((c) => `  ${c}`).join("\n")}\n`);
    out(renderVerifySummary(report) + "\n");
    return report.ok ? 0 : 1;
}
