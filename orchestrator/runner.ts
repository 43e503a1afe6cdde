// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Runs a plan's stacks: `up` and `refresh` in dependency order, `destroy` in reverse, independent stacks in parallel
// (bounded), outputs passed to dependents as config, progress as prefixed lines, and a stop at the first failure
// with a report of what ran, what failed and what did not start. `preview` previews every stack it can (a failure
// does not hide the others) for the PR report; `status` reads the backend only.
//
// This is the façade: the rooms behind it are the stack driver (stackDriver.ts; automationDriver.ts on the
// Automation API), the environment (environment.ts), the stack config files (stackConfig.ts), the progress lines
// (progress.ts), the plan preview and its checks across stacks (previewPipeline.ts, previewInputs.ts), one stack's
// run (stackRun.ts) and `status` (status.ts).

import * as path from "node:path";

import { AutomationDriver } from "./automationDriver";
import { StackEnvironment } from "./environment";
import { Plan, PlanStack, dependencyMap, reverseDeps, selectStacks, upstreamOf } from "./plan";
import { PreviewPipeline } from "./previewPipeline";
import { CliProcesses } from "./processes";
import { failureText, plural, renderRunSummary } from "./progress";
import { redact } from "./redact";
import { RunContext } from "./runContext";
import type { OrchestratorOptions, PreviewRun, RunReport, StackRunResult, StatusReport } from "./runTypes";
import { runDag } from "./schedule";
import { readStatus } from "./status";
import { StackCommand, runStack, toRunResult } from "./stackRun";
import type { StateResource } from "./verifyDrift";

export * from "./runTypes";
export { describeChanges, renderRunSummary } from "./progress";
export type * from "./stackDriver";

/** {@link Orchestrator} runs a plan's stacks (with the Automation API unless given another driver). */
export class Orchestrator {
    readonly plan: Plan;
    readonly workDir: string;
    /** The Pulumi CLI processes this orchestrator runs (each in its own process group). */
    readonly processes = new CliProcesses();
    private readonly environment: StackEnvironment;
    private readonly ctx: RunContext;
    private readonly pipeline: PreviewPipeline;

    constructor(opts: OrchestratorOptions) {
        this.plan = opts.plan;
        this.workDir = path.resolve(
            opts.workDir ?? opts.plan.workDir ?? path.join(opts.plan.baseDir, ".peering-stacks"),
        );
        const sink = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
        const log = (line: string) => sink(redact(line));
        this.environment = new StackEnvironment({ ...opts, workDir: this.workDir, log });
        const driver =
            opts.driver ??
            new AutomationDriver({
                environment: this.environment,
                processes: this.processes,
                workDir: this.workDir,
                pulumiRoot: opts.pulumiRoot,
            });
        this.ctx = new RunContext({
            plan: this.plan,
            workDir: this.workDir,
            driver,
            log,
            parallel: Math.max(1, opts.parallel ?? this.plan.parallel),
            signal: opts.signal,
            eventsDir: opts.eventsDir,
            lockTimeoutMs: opts.lockTimeoutMs,
            lockPollMs: opts.lockPollMs,
        });
        this.pipeline = new PreviewPipeline(this.ctx);
    }

    /** The backend URL in use. */
    get backendUrl(): string {
        return this.ctx.driver.backendUrl;
    }

    /** The environment of one stack's CLI runs. */
    stackEnv(s: PlanStack): Record<string, string> {
        return this.environment.stackEnv(s);
    }

    /** The stack's config file (outside the program folder). */
    configFile(s: PlanStack): string {
        return this.ctx.configFile(s);
    }

    /** The signal that cancelled this run, if it was. */
    cancelledBy(): string | undefined {
        return this.ctx.cancelledBy();
    }

    private nodesFor(stacks?: readonly string[]): string[] {
        return (stacks?.length ? selectStacks(this.plan, stacks) : this.plan.stacks).map((s) => s.name);
    }

    /** `preview` over the plan (or some stacks), in dependency order (see {@link PreviewPipeline.preview}). */
    preview(opts: { stacks?: readonly string[]; refresh?: boolean } = {}): Promise<PreviewRun> {
        return this.pipeline.preview(this.nodesFor(opts.stacks), !!opts.refresh);
    }

    /**
     * `up`: first the plan is previewed and checked as a whole (unless `skipPreview`), and nothing changes when that
     * fails; then dependency order, independent stacks in parallel, outputs passed on, stop at the first failure.
     */
    async up(opts: { stacks?: readonly string[]; skipPreview?: boolean } = {}): Promise<RunReport> {
        this.pipeline.beginApply(!!opts.skipPreview);
        if (!opts.skipPreview) {
            const pre = await this.preview({ stacks: opts.stacks });
            const failed = pre.stacks.filter((s) => s.status === "failed");
            if (failed.length) {
                const why = failed.map((s) => `${s.name}: ${(s.reason ?? "preview failed").split("\n")[0]}`).join("; ");
                const report: RunReport = {
                    command: "up",
                    plan: this.plan.name,
                    ok: false,
                    stacks: pre.stacks.map((s) => {
                        if (s.status === "failed") {
                            return {
                                name: s.name,
                                fqName: s.fqName,
                                status: "failed" as const,
                                reason: `preview failed, nothing was changed:\n${s.reason ?? ""}`,
                            };
                        }
                        const up = upstreamOf(this.plan, s.name).find((u) => failed.some((f) => f.name === u));
                        return {
                            name: s.name,
                            fqName: s.fqName,
                            status: "not-started" as const,
                            reason: up ? `${up} failed` : `stopped after ${failed[0]!.name} failed`,
                        };
                    }),
                    firstFailure: failed[0]!.name,
                };
                this.ctx.log(`up: the plan's preview failed, nothing was changed (${why})`);
                for (const line of renderRunSummary(report).split("\n")) this.ctx.log(line);
                return report;
            }
        }
        return this.run("up", opts.stacks, !!opts.skipPreview);
    }

    /** `destroy`: reverse dependency order (dependents first), stop at the first failure. */
    async destroy(opts: { stacks?: readonly string[] } = {}): Promise<RunReport> {
        return this.run("destroy", opts.stacks);
    }

    /** `refresh`: dependency order, stop at the first failure. */
    async refresh(opts: { stacks?: readonly string[] } = {}): Promise<RunReport> {
        return this.run("refresh", opts.stacks);
    }

    private async run(command: StackCommand, only?: readonly string[], skipPreview = false): Promise<RunReport> {
        const ctx = this.ctx;
        const nodes = this.nodesFor(only);
        const deps = command === "destroy" ? reverseDeps(dependencyMap(this.plan)) : dependencyMap(this.plan);
        const order = command === "destroy" ? [...nodes].reverse() : nodes;
        ctx.log(
            `${command} ${plural(nodes.length, "stack")} of ${this.plan.name} (backend ${this.backendUrl}, ` +
                `up to ${ctx.parallel} at a time)`,
        );
        const result = await runDag<StackRunResult>({
            nodes: order,
            deps,
            parallel: ctx.parallel,
            stopOnFailure: true,
            signal: ctx.signal,
            onStart: (n) => ctx.log(`[${n}] ${command} started (${ctx.stack(n).fqName})`),
            run: (n) => runStack(ctx, this.pipeline, command, ctx.stack(n), skipPreview),
        });
        const stacks: StackRunResult[] = [];
        for (const n of [...result.started, ...order.filter((x) => !result.started.includes(x))]) {
            stacks.push(toRunResult(ctx, n, result.outcomes.get(n)!));
        }
        const cancelled = this.cancelledBy();
        const report: RunReport = {
            command,
            plan: this.plan.name,
            ok: result.firstFailure === undefined && !cancelled,
            stacks,
            firstFailure:
                stacks.find((x) => x.name === result.firstFailure)?.status === "failed"
                    ? result.firstFailure
                    : undefined,
            ...(cancelled ? { cancelled } : {}),
        };
        for (const line of renderRunSummary(report).split("\n")) ctx.log(line);
        return report;
    }

    /**
     * `unlock`: removes the locks of the given stacks (`pulumi cancel`), for a lock left behind by a run that was
     * killed. Dangerous while another run still updates the stack: it says so, once per stack.
     */
    async unlock(stacks: readonly string[]): Promise<RunReport> {
        const { driver, log } = this.ctx;
        const results: StackRunResult[] = [];
        for (const n of this.nodesFor(stacks)) {
            const s = this.ctx.stack(n);
            const t0 = Date.now();
            try {
                const opened = await driver.keepProgramClean(s, () => driver.open(s, false));
                if (!opened) {
                    log(`[${n}] nothing to unlock: the stack does not exist (${s.fqName})`);
                } else {
                    log(
                        `[${n}] warning: removing the lock of ${s.fqName}. If another run is still updating this ` +
                            "stack, it keeps running without the lock and the state may end up inconsistent: only " +
                            "unlock a stack whose run is gone (killed runner, cancelled job)",
                    );
                    await driver.keepProgramClean(s, () => opened.stack.cancel());
                    log(`[${n}] unlocked`);
                }
                results.push({ name: n, fqName: s.fqName, status: "succeeded", durationMs: Date.now() - t0 });
            } catch (e) {
                const reason = failureText(e, []);
                log(`[${n}] unlock failed: ${reason.split("\n")[0]}`);
                results.push({ name: n, fqName: s.fqName, status: "failed", reason, durationMs: Date.now() - t0 });
            }
        }
        const failed = results.find((r) => r.status === "failed");
        return { command: "unlock", plan: this.plan.name, ok: !failed, stacks: results, firstFailure: failed?.name };
    }

    /** The resources of a stack's state (`exportStack`; no program runs), or undefined when it does not exist. */
    async exportedResources(name: string): Promise<StateResource[] | undefined> {
        const s = this.ctx.stack(name);
        return this.ctx.driver.keepProgramClean(s, async () => {
            const opened = await this.ctx.driver.open(s, false);
            if (!opened) return undefined;
            return [...(await opened.stack.exportStack())];
        });
    }

    /** `status`: what the backend holds for each stack (no program runs). */
    status(opts: { stacks?: readonly string[] } = {}): Promise<StatusReport> {
        return readStatus(this.ctx, this.nodesFor(opts.stacks));
    }
}
