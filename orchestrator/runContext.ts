// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What one orchestrator's commands share: the plan, the work dir, the stack driver, the progress log, the
// cancellation signal and the lock wait, and the reads of the backend a run makes more than once (a stack's outputs,
// whether it is deployed), cached for one command and updated by what the command itself applies or destroys.

import * as fs from "node:fs";
import * as path from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";

import { DEFAULT_LOCK_TIMEOUT_MS, waitForLock } from "./lock";
import { CHECK_REPORT_ENV } from "../core/checkReport";
import { OutputsByStack, Plan, PlanStack } from "./plan";
import { configReferences } from "./previewInputs";
import { CancelledError, OrchestratorOptions } from "./runTypes";
import { configFile } from "./stackConfig";
import type { DriverStack, StackDriver } from "./stackDriver";

/** {@link RunContextOptions} configure a {@link RunContext}: its fields, and the lock wait's. */
export interface RunContextOptions
    extends
        Pick<RunContext, "plan" | "workDir" | "driver" | "log" | "parallel" | "signal" | "eventsDir">,
        Pick<OrchestratorOptions, "lockTimeoutMs" | "lockPollMs"> {}

/** {@link RunContext} is what the commands of one orchestrator share. */
export class RunContext {
    readonly plan: Plan;
    readonly workDir: string;
    readonly driver: StackDriver;
    /** Progress lines (already redacted). */
    readonly log: (line: string) => void;
    readonly parallel: number;
    readonly signal?: AbortSignal;
    readonly eventsDir?: string;
    private readonly opts: RunContextOptions;
    private readonly outputsCache = new Map<string, OutputMap>();
    private readonly deployedCache = new Map<string, Promise<boolean>>();

    constructor(opts: RunContextOptions) {
        this.opts = opts;
        this.plan = opts.plan;
        this.workDir = opts.workDir;
        this.driver = opts.driver;
        this.log = opts.log;
        this.parallel = opts.parallel;
        this.signal = opts.signal;
        this.eventsDir = opts.eventsDir;
    }

    /** The plan's stack of that name. */
    stack(name: string): PlanStack {
        const s = this.plan.stacks.find((x) => x.name === name);
        if (!s) throw new Error(`no stack ${name} in the plan`);
        return s;
    }

    /** The stack's config file (outside the program folder). */
    configFile(s: PlanStack): string {
        return configFile(s, this.workDir);
    }

    /** The program folder relative to the plan, even when outside its folder (`../x`): no report shows the runner's paths. */
    relProgram(s: PlanStack): string {
        return path.relative(this.plan.baseDir, s.program).split(path.sep).join("/") || ".";
    }

    /** Forgets the backend reads (a preview reads everything afresh). */
    forgetReads(): void {
        this.deployedCache.clear();
        this.outputsCache.clear();
    }

    /** Records a stack's outputs after this run changed them (`undefined`: read them again when needed). */
    setOutputs(name: string, outputs: OutputMap | undefined): void {
        if (outputs) this.outputsCache.set(name, outputs);
        else this.outputsCache.delete(name);
    }

    /** The outputs of a stack, from this run or the backend; undefined when the stack does not exist. */
    async outputsOf(name: string): Promise<OutputMap | undefined> {
        const cached = this.outputsCache.get(name);
        if (cached) return cached;
        return this.driver.keepProgramClean(this.stack(name), async () => {
            const opened = await this.driver.open(this.stack(name), false);
            if (!opened) return undefined;
            const outs = await opened.stack.outputs();
            this.outputsCache.set(name, outs);
            return outs;
        });
    }

    /** Whether a stack exists and holds resources (cached for one preview). */
    isDeployed(name: string): Promise<boolean> {
        let p = this.deployedCache.get(name);
        if (!p) {
            p = this.driver.keepProgramClean(this.stack(name), () => this.readDeployed(name));
            this.deployedCache.set(name, p);
        }
        return p;
    }

    private async readDeployed(name: string): Promise<boolean> {
        const opened = await this.driver.open(this.stack(name), false);
        if (!opened) return false;
        const resources = (await opened.stack.exportStack()).filter(
            (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
        );
        return resources.length > 0;
    }

    /** The outputs of the stacks this stack's config reads (`{}` for one that does not exist). */
    async upstreamOutputs(s: PlanStack): Promise<OutputsByStack> {
        const refs = new Set(configReferences(s).map((r) => r.stack));
        const out: Record<string, OutputMap> = {};
        for (const name of refs) out[name] = (await this.outputsOf(name)) ?? {};
        return out;
    }

    /** An empty check report file for one preview of a stack, named in its environment (read back after it). */
    freshChecksFile(stack: DriverStack, name: string): string {
        const file = path.join(this.workDir, "checks", `${name}.jsonl`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.rmSync(file, { force: true });
        stack.setEnv(CHECK_REPORT_ENV, file);
        return file;
    }

    /** Runs `op` (which rethrows a lock error as is), waiting while another run holds the stack's lock. */
    waitForLock<T>(s: PlanStack, op: () => Promise<T>): Promise<T> {
        return waitForLock(op, {
            stack: s.name,
            timeoutMs: this.opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
            pollMs: this.opts.lockPollMs,
            signal: this.signal,
            onWait: (message) => this.log(`[${s.name}] ${message}`),
        });
    }

    /** The signal that cancelled this run, if it was. */
    cancelledBy(): string | undefined {
        return this.signal?.aborted ? String(this.signal.reason ?? "cancelled") : undefined;
    }

    /** Throws a {@link CancelledError} once the run is cancelled (before an operation starts). */
    throwIfCancelled(): void {
        if (this.signal?.aborted) throw new CancelledError("cancelled before it started");
    }
}
