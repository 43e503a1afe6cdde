#!/usr/bin/env node
// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// peering-stacks: multi-account stack orchestration and PR previews on the Automation API. This file runs the
// commands; the command line (usage, options, parsing) is cliArgs.ts.

import * as fs from "node:fs";
import * as path from "node:path";

import { packageVersion } from "../provider/packageInfo";
import { Plan, PlanError, dependencyMap, loadPlan, reverseDeps, selectStacks, topologicalLevels } from "./plan";
import { Cancellation } from "./cancel";
import { CliArgs, parseArgs, usage, UsageError } from "./cliArgs";
import { redact } from "./redact";
import { buildReport, renderJson, renderMarkdown, renderSvg } from "./report";
import { Orchestrator, StatusReport } from "./runner";
import { runVerify } from "./verifyCli";
import { renderWorkflow, workflowPlanPath } from "./workflow";

export { parseArgs, usage, UsageError } from "./cliArgs";
export type { CliArgs } from "./cliArgs";

function findPlan(explicit?: string): string {
    if (explicit) return explicit;
    for (const f of ["peering-stacks.yaml", "peering-stacks.yml", "peering-stacks.json", "plan.yaml"]) {
        if (fs.existsSync(f)) return f;
    }
    throw new UsageError("no plan: pass --plan FILE (or add peering-stacks.yaml here)");
}

/** Every file the CLI writes goes through the redaction. */
function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, redact(text));
}

/** Prints the plan's order (validate). */
export function describeOrder(plan: Plan, only: readonly string[] = []): string {
    const names = only.length ? selectStacks(plan, only).map((s) => s.name) : plan.stacks.map((s) => s.name);
    const deps = dependencyMap(plan);
    const sub = new Map([...deps].filter(([k]) => names.includes(k)));
    const up = topologicalLevels(sub, names);
    const down = topologicalLevels(
        new Map([...reverseDeps(deps)].filter(([k]) => names.includes(k))),
        [...names].reverse(),
    );
    const L = [`plan ${plan.name}: ${names.length} stacks, up to ${plan.parallel} at a time`];
    for (const s of plan.stacks.filter((x) => names.includes(x.name))) {
        L.push(
            `  ${s.name}: ${s.fqName} (program ${path.relative(plan.baseDir, s.program) || "."})` +
                (s.dependsOn.length ? ` after ${s.dependsOn.join(", ")}` : "") +
                (s.accounts ? ` accounts ${s.accounts.join(", ")}` : ""),
        );
    }
    L.push(`up/refresh order: ${up.map((l) => l.join(" + ")).join(" → ")}`);
    L.push(`destroy order:    ${down.map((l) => l.join(" + ")).join(" → ")}`);
    return L.join("\n");
}

/** Renders `status` as text. */
export function renderStatus(r: StatusReport): string {
    const L = [`status of ${r.plan} (as recorded at each stack's last up or refresh):`];
    for (const s of r.stacks) {
        if (!s.exists) {
            L.push(`  ${s.name}: not deployed (${s.fqName})`);
            continue;
        }
        const last = s.lastUpdate
            ? `, last ${s.lastUpdate.kind} ${s.lastUpdate.result}${s.lastUpdate.endTime ? ` at ${s.lastUpdate.endTime}` : ""}`
            : "";
        L.push(`  ${s.name}: ${s.resources} resources${last} (${s.fqName})`);
        for (const [k, v] of Object.entries(s.outputs))
            L.push(`      ${k} = ${typeof v === "string" ? v : JSON.stringify(v)}`);
        for (const p of s.pending) {
            L.push(
                `      ${p.expired ? "EXPIRED" : "PENDING_ACCEPTANCE"}: peering ${p.resource} (${p.peeringId})` +
                    `${p.expiresAt ? ` expires ${p.expiresAt}` : ""}; project ${p.peerProjectId ?? "?"} must accept it`,
            );
        }
    }
    return L.join("\n");
}

/** {@link main} runs the CLI; it resolves to the exit code. */
export async function main(
    argv: readonly string[],
    print: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
    const out = (s: string): void => print(redact(s));
    let args: CliArgs;
    let plan: Plan;
    try {
        args = parseArgs(argv);
        if (args.help) {
            out(usage());
            return 0;
        }
        if (args.version) {
            out(`peering-stacks ${packageVersion()}\n`);
            return 0;
        }
        // verify --vpc without --plan needs no plan: it verifies the peerings of those VPCs.
        if (args.command === "verify" && args.vpcs.length && !args.plan) {
            return await runVerify(args, undefined, undefined, out);
        }
        plan = loadPlan(findPlan(args.plan), { accountsFile: args.accountsFile });
        if (args.stacks.length) selectStacks(plan, args.stacks);
    } catch (e) {
        if (e instanceof UsageError || e instanceof PlanError) {
            process.stderr.write(
                redact(`peering-stacks: ${e.message}\n${e instanceof UsageError ? "(see --help)\n" : ""}`),
            );
            return 2;
        }
        throw e;
    }
    if (args.command === "validate") {
        out(describeOrder(plan, args.stacks) + "\n");
        return 0;
    }
    if (args.command === "workflow") {
        const yaml = renderWorkflow(plan, { planPath: workflowPlanPath(plan.file ?? findPlan(args.plan)) });
        if (args.out) {
            write(args.out, yaml);
            out(`workflow: ${args.out} (${plan.stacks.length} jobs)\n`);
        } else out(yaml);
        return 0;
    }
    // up/preview/destroy/refresh end gracefully on SIGINT/SIGTERM (cancel.ts); status and validate need not.
    const cancel = ["status", "unlock"].includes(args.command!)
        ? undefined
        : new Cancellation({ log: (l) => out(`${l}\n`) });
    const orch = new Orchestrator({
        plan,
        workDir: args.workDir,
        backend: args.backend,
        parallel: args.parallel,
        accountsFile: args.accountsFile,
        eventsDir: args.events,
        log: (line) => out(`${line}\n`),
        signal: cancel?.signal,
        lockTimeoutMs: args.lockTimeoutMs,
    });
    cancel?.install(orch.processes);
    try {
        const code = await runCommand(args, plan, orch, out);
        if (!cancel?.received) return code;
        await orch.processes.idle();
        out(`peering-stacks: ${args.command} cancelled by ${cancel.received}${cancel.forced ? " (forced)" : ""}\n`);
        return cancel.exitCode;
    } finally {
        cancel?.uninstall();
    }
}

async function runCommand(args: CliArgs, plan: Plan, orch: Orchestrator, out: (s: string) => void): Promise<number> {
    const stacks = args.stacks.length ? args.stacks : undefined;
    switch (args.command) {
        case "preview": {
            const run = await orch.preview({ stacks, refresh: args.refresh });
            const report = buildReport(run);
            const svgPath = args.svg ?? (args.report ? args.report.replace(/\.md$/i, "") + ".svg" : undefined);
            if (args.report) {
                write(
                    args.report,
                    renderMarkdown(report, { svgPath: svgPath && path.basename(svgPath), title: args.title }),
                );
                out(`report: ${args.report}\n`);
            }
            if (svgPath) {
                write(svgPath, renderSvg(report.topology, args.title ?? `VPC peering topology: ${plan.name}`));
                out(`topology: ${svgPath}\n`);
            }
            if (args.json) {
                write(args.json, renderJson(report));
                out(`json: ${args.json}\n`);
            }
            const t = report.totals;
            out(
                `preview ${report.ok ? "succeeded" : "FAILED"}: ${t.create} to create, ${t.update} to update, ` +
                    `${t.replace} to replace, ${t.delete} to delete; ${t.failures} constraint failures, ` +
                    `${t.deferred} deferred checks, ${t.pending} pending acceptances (${t.unaccepted} not accepted by this plan)` +
                    `${
                        t.failedStacks
                            ? `; failed: ${report.stacks
                                  .filter((s) => s.status === "failed")
                                  .map((s) => s.name)
                                  .join(", ")}`
                            : ""
                    }` +
                    `${
                        t.skippedStacks
                            ? `; not previewed (upstream not deployed): ${report.stacks
                                  .filter((s) => s.status === "skipped")
                                  .map((s) => s.name)
                                  .join(", ")}`
                            : ""
                    }\n`,
            );
            return report.ok ? 0 : 1;
        }
        case "verify":
            return runVerify(args, plan, orch, out);
        case "status": {
            const r = await orch.status({ stacks });
            out(renderStatus(r) + "\n");
            if (args.json) write(args.json, JSON.stringify(r, null, 2) + "\n");
            return 0;
        }
        case "unlock": {
            const r = await orch.unlock(args.stacks);
            return r.ok ? 0 : 1;
        }
        default: {
            const cmd = args.command as "up" | "destroy" | "refresh";
            const r =
                cmd === "up" ? await orch.up({ stacks, skipPreview: args.skipPreview }) : await orch[cmd]({ stacks });
            if (args.json) write(args.json, JSON.stringify(r, null, 2) + "\n");
            return r.ok ? 0 : 1;
        }
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(
                redact(`peering-stacks: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
            );
            process.exit(1);
        },
    );
}
