#!/usr/bin/env node
// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// peering-stacks: multi-account stack orchestration and PR previews on the Automation API. See usage() below.

import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseNodeArgs } from "node:util";

import { DURATION_EXAMPLES, parseDuration } from "../provider/duration";
import { packageVersion } from "../provider/packageInfo";
import { Plan, PlanError, dependencyMap, loadPlan, reverseDeps, selectStacks, topologicalLevels } from "./plan";
import { Cancellation } from "./cancel";
import { redact } from "./redact";
import { buildReport, renderJson, renderMarkdown, renderSvg } from "./report";
import { Orchestrator, StatusReport } from "./runner";
import { runVerify } from "./verifyCli";
import { renderWorkflow, workflowPlanPath } from "./workflow";

const COMMANDS = ["preview", "up", "destroy", "refresh", "status", "validate", "workflow", "unlock", "verify"] as const;
type Command = (typeof COMMANDS)[number];

/** {@link CliArgs} are the parsed command-line arguments. */
export interface CliArgs {
    command?: Command;
    plan?: string;
    stacks: string[];
    report?: string;
    json?: string;
    svg?: string;
    workDir?: string;
    backend?: string;
    parallel?: number;
    accountsFile?: string;
    title?: string;
    refresh: boolean;
    skipPreview: boolean;
    events?: string;
    /** verify: VPC ids to verify (with or without a plan). */
    vpcs: string[];
    /** verify: the region of VPCs no state names. */
    region?: string;
    out?: string;
    lockTimeoutMs?: number;
    help: boolean;
    version: boolean;
}

/** Thrown for bad arguments (exit code 2). */
export class UsageError extends Error {}

/** {@link usage} is the `peering-stacks --help` text. */
export function usage(): string {
    return `peering-stacks — run a plan of Pulumi stacks in dependency order, and preview them for a PR

Usage: peering-stacks <command> [--plan FILE] [options]

Commands:
  preview    preview every stack (or --stack); with --report/--json/--svg, write the PR report
  up         deploy in dependency order; independent stacks in parallel; outputs passed to dependents
  destroy    destroy in reverse dependency order (dependents first)
  refresh    refresh in dependency order
  status     what the backend holds for each stack: resources, last update, outputs, pending acceptances
  validate   check the plan (unknown stacks and references, cycles, programs) and print the order
  verify     after apply, read-only: does every peering carry traffic both ways, and what drifted from the
             stacks' states (with the commands that reconcile it); --report/--json/--svg; exit 1 if broken.
             Without a plan: --accounts-file FILE --vpc ID [--vpc ID…] verifies the peerings of those VPCs
  unlock     remove the lock a killed run left on --stack NAME (pulumi cancel; only when no run uses it)
  workflow   print (or --out FILE) a GitHub Actions workflow: one job per stack, needs: from the plan

Options:
  -p, --plan FILE           the plan (YAML or JSON); default ./peering-stacks.yaml, else ./plan.yaml
  -s, --stack NAME          only this stack (repeatable); its upstream must already be deployed
      --report FILE         preview: write the Markdown report (a PR comment)
      --json FILE           write the result as JSON (preview report, run report or status)
      --svg FILE            preview: write the topology as SVG (default: the report's path with .svg)
      --title TEXT          preview/verify: the report's heading
      --vpc ID              verify: also (or, without --plan, only) the peerings of this VPC (repeatable)
      --region NAME         verify: the region of VPCs no stack records (default: $VPCPEERING_REGION or ap-southeast-1)
      --skip-preview        up: do not preview each stack first (by default a failing preview stops it unchanged)
      --events DIR          preview: also save each stack's engine events (<stack>.jsonl) for debugging
      --refresh             preview: read the live state first (statuses such as PENDING_ACCEPTANCE are current)
      --parallel N          how many stacks may run at once (default: the plan's, else 2)
      --work-dir DIR        where stack config files live (default: the plan's, else <plan dir>/.peering-stacks)
      --backend URL|DIR     the Pulumi backend (default: the plan's, else $PULUMI_BACKEND_URL, else <work dir>/state)
      --accounts-file FILE  the accounts file the stacks' \`accounts:\` filter (default: $VPCPEERING_ACCOUNTS_FILE)
      --lock-timeout DUR    wait this long for a stack locked by another run (default 2m; 0: fail at once)
      --out FILE            workflow: write the workflow here (e.g. .github/workflows/stacks.yml) instead of stdout
  -h, --help                this text
      --version             print the version

Stops at the first failure (up/destroy/refresh) and reports what ran, what failed and what did not start.
SIGINT/SIGTERM cancel: no new stack starts, running ones finish their in-flight steps and release their locks,
the summary is printed; a second signal stops at once.
Exit codes: 0 success; 1 a stack or a preview failed; 2 the plan or the arguments are invalid (nothing ran);
130/143 cancelled by SIGINT/SIGTERM.
`;
}

const OPTIONS = {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
    plan: { type: "string", short: "p" },
    stack: { type: "string", short: "s", multiple: true },
    report: { type: "string" },
    json: { type: "string" },
    svg: { type: "string" },
    events: { type: "string" },
    "skip-preview": { type: "boolean" },
    refresh: { type: "boolean" },
    title: { type: "string" },
    "work-dir": { type: "string" },
    backend: { type: "string" },
    "accounts-file": { type: "string" },
    out: { type: "string" },
    "lock-timeout": { type: "string" },
    parallel: { type: "string" },
    vpc: { type: "string", multiple: true },
    region: { type: "string" },
} as const;

/** {@link parseArgs} parses the command line (without `node` and the script) with Node's `util.parseArgs`. */
export function parseArgs(argv: readonly string[]): CliArgs {
    let parsed;
    try {
        parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
        throw new UsageError(nodeArgsMessage(e as Error));
    }
    const v = parsed.values;
    const [command, ...extra] = parsed.positionals;
    if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
        throw new UsageError(`unknown command ${command} (one of ${COMMANDS.join(", ")})`);
    }
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]} (the command is ${command})`);
    const a: CliArgs = {
        command: command as Command | undefined,
        plan: v.plan,
        stacks: v.stack ?? [],
        report: v.report,
        json: v.json,
        svg: v.svg,
        events: v.events,
        title: v.title,
        workDir: v["work-dir"],
        backend: v.backend,
        accountsFile: v["accounts-file"],
        vpcs: v.vpc ?? [],
        region: v.region,
        out: v.out,
        refresh: Boolean(v.refresh),
        skipPreview: Boolean(v["skip-preview"]),
        help: Boolean(v.help),
        version: Boolean(v.version),
    };
    if (v.parallel !== undefined) {
        if (!/^\d+$/.test(v.parallel) || Number(v.parallel) < 1) {
            throw new UsageError(`--parallel needs a whole number >= 1 (got ${JSON.stringify(v.parallel)})`);
        }
        a.parallel = Number(v.parallel);
    }
    if (v["lock-timeout"] !== undefined) {
        a.lockTimeoutMs = parseDuration(v["lock-timeout"]);
        if (a.lockTimeoutMs === undefined) {
            throw new UsageError(
                `--lock-timeout needs a duration like ${DURATION_EXAMPLES} (got ${JSON.stringify(v["lock-timeout"])})`,
            );
        }
    }
    if (a.help || a.version) return a;
    if (!a.command) throw new UsageError(`give a command (one of ${COMMANDS.join(", ")})`);
    if (a.skipPreview && a.command !== "up") throw new UsageError("--skip-preview goes with up");
    if ((a.report || a.svg || a.title) && a.command !== "preview" && a.command !== "verify") {
        throw new UsageError("--report, --svg and --title go with preview or verify");
    }
    if ((a.refresh || a.events) && a.command !== "preview")
        throw new UsageError("--events and --refresh go with preview");
    if ((a.vpcs.length || a.region) && a.command !== "verify")
        throw new UsageError("--vpc and --region go with verify");
    if (a.out && a.command !== "workflow") throw new UsageError("--out goes with workflow");
    if (a.command === "unlock" && a.stacks.length === 0) {
        throw new UsageError("unlock needs --stack NAME: say which stack's lock to remove");
    }
    return a;
}

/** Node's parseArgs messages, shortened to what the user typed. */
function nodeArgsMessage(e: Error): string {
    const unknown = /Unknown option '([^']+)'/.exec(e.message);
    if (unknown) return `unknown option ${unknown[1]}`;
    const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(e.message);
    if (missing) return `${missing[1]} needs a value`;
    return e.message;
}

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
