// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Runs a plan's stacks with the Automation API: `up` and `refresh` in dependency order, `destroy` in reverse,
// independent stacks in parallel (bounded), outputs passed to dependents as config, progress as prefixed lines, and
// a stop at the first failure with a report of what ran, what failed and what did not start. `preview` previews
// every stack it can (a failure does not hide the others) for the PR report; `status` reads the backend only.
//
// Stack config files live in the orchestrator's work dir (`--config-file`), never in the program folders, so one
// program can serve several plans and backends without their config colliding.

import * as fs from "node:fs";
import * as path from "node:path";
import {
    CommandError,
    EngineEvent,
    LocalWorkspace,
    OutputMap,
    PulumiCommand,
    Stack,
    StackAlreadyExistsError,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import * as YAML from "yaml";

import {
    CollectedPreview,
    PreviewCollector,
    UNKNOWN,
    applyCheckRecords,
    classifyDiagnostic,
    nameOfUrn,
    shortType,
} from "./events";
import { CHECK_REPORT_ENV, placeholderFor, readCheckReport } from "../core/checkReport";
import { readAccountsFile, readAccountsJson } from "../core/accountsFile";
import {
    changingOutputs,
    encodePlannedOutputs,
    NotFinalRead,
    PLANNED_OUTPUTS_ENV,
    PlannedOutput,
    PlannedOutputs,
} from "../core/plannedOutputs";
import { PlaceholderMapping, checkPlan } from "./planCheck";
import {
    MissingOutputError,
    OutputsByStack,
    Plan,
    PlanStack,
    configString,
    dependencyMap,
    findReferences,
    resolveValue,
    reverseDeps,
    selectStacks,
    upstreamOf,
} from "./plan";
import { DEFAULT_LOCK_TIMEOUT_MS, LockTimeoutError, isLockedError, waitForLock } from "./lock";
import { CliProcesses } from "./processes";
import { redact, rememberAccountsSecrets, rememberEnvSecrets, rememberUrlSecrets } from "./redact";
import { NodeOutcome, runDag } from "./schedule";
import type { StateResource } from "./verifyDrift";

/** {@link OrchestratorOptions} are the knobs of an {@link Orchestrator}; everything but `plan` is optional. */
export interface OrchestratorOptions {
    readonly plan: Plan;
    /** Stack config files, filtered accounts files and (by default) the file backend. @default plan's, else `<plan dir>/.peering-stacks` */
    readonly workDir?: string;
    /** Backend URL or folder. @default plan's, else $PULUMI_BACKEND_URL, else `file://<workDir>/state` */
    readonly backend?: string;
    /** PULUMI_HOME. @default scripts/toolchain.js's choice */
    readonly pulumiHome?: string;
    /** The passphrase of the file backend's secrets. @default $PULUMI_CONFIG_PASSPHRASE or the project default */
    readonly passphrase?: string;
    /** A folder holding `bin/pulumi`. @default the pinned CLI from scripts/toolchain.js */
    readonly pulumiRoot?: string;
    /** Extra environment for every stack (over the plan's `env`, under each stack's). */
    readonly env?: Readonly<Record<string, string>>;
    /** The accounts file the stacks' `accounts` lists filter. @default plan's, else $VPCPEERING_ACCOUNTS_FILE */
    readonly accountsFile?: string;
    /** Overrides the plan's `parallel`. */
    readonly parallel?: number;
    /** `preview` writes each stack's engine events here (`<stack>.jsonl`, internal inputs and debug lines left out). */
    readonly eventsDir?: string;
    /** Progress lines. @default stdout */
    readonly log?: (line: string) => void;
    /**
     * Cancels the run when aborted (see cancel.ts): no new stack starts, running operations get the CLI's graceful
     * cancel (in-flight steps finish, the lock is released) and end as `cancelled`.
     */
    readonly signal?: AbortSignal;
    /** How long to wait for a stack locked by another run. @default DEFAULT_LOCK_TIMEOUT_MS (2 minutes) */
    readonly lockTimeoutMs?: number;
    /** How often a locked stack is tried again. @default LOCK_POLL_MS */
    readonly lockPollMs?: number;
}

/** Thrown by a stack's operation that ended because the run was cancelled. */
export class CancelledError extends Error {}

/** {@link StackRunResult} is one stack's part in an `up`, `destroy` or `refresh`. */
export interface StackRunResult {
    readonly name: string;
    readonly fqName: string;
    readonly status: "succeeded" | "failed" | "cancelled" | "not-started";
    /** Why it failed or did not start. */
    readonly reason?: string;
    /** The engine's counts (`{ create: 3 }`). */
    readonly changes?: Record<string, number>;
    readonly durationMs?: number;
    /** Outputs after an `up` (secrets shown as `[secret]`). */
    readonly outputs?: Record<string, unknown>;
}

/** {@link RunReport} is the result of `up`, `destroy` or `refresh` over a plan. */
export interface RunReport {
    readonly command: "up" | "destroy" | "refresh" | "unlock";
    readonly plan: string;
    readonly ok: boolean;
    /** Stacks in the order they started, then those that did not. */
    readonly stacks: readonly StackRunResult[];
    readonly firstFailure?: string;
    /** The signal that cancelled the run, if one did (`SIGINT`, `SIGTERM`). */
    readonly cancelled?: string;
}

/** {@link UpstreamState} is what a previewed stack's upstream looked like. */
export interface UpstreamState {
    readonly name: string;
    readonly deployed: boolean;
}

/**
 * {@link PlaceholderUse} is an upstream output a preview used in place of the deployed one: the upstream is not
 * deployed yet, or this plan changes the output (then `deployed` is the value it replaces).
 */
export interface PlaceholderUse {
    readonly stack: string;
    readonly output: string;
    /**
     * `preview` when the upstream's preview computed the value (a CIDR from its config), `placeholder` for a
     * not-deployed upstream's unknown output, `deployed` for a changing upstream's output its preview cannot know
     * (the deployed value is passed, and the checks do not decide on it).
     */
    readonly from: "preview" | "placeholder" | "deployed";
    readonly value: string;
    /** The deployed value the plan replaces, when the upstream is deployed. */
    readonly deployed?: string;
}

/** {@link StackPreviewResult} is one stack's preview. */
export interface StackPreviewResult {
    readonly name: string;
    readonly fqName: string;
    readonly program: string;
    readonly status: "ok" | "failed" | "skipped";
    /** Why it failed (the error diagnostics, or the CLI's message) or why it was skipped. */
    readonly reason?: string;
    readonly durationMs: number;
    readonly deployed: boolean;
    readonly upstream: readonly UpstreamState[];
    readonly collected: CollectedPreview;
    /** Upstream outputs this preview used before they exist (not deployed yet, or changed by this plan). */
    readonly placeholders?: readonly PlaceholderUse[];
    /**
     * Facts its program read through StackReferences from upstream outputs this plan changes: not decided by this
     * preview, checked when `up` reaches the stack.
     */
    readonly notFinal?: readonly NotFinalRead[];
}

/** {@link PreviewRun} is a preview over (part of) a plan. */
export interface PreviewRun {
    readonly plan: string;
    readonly ok: boolean;
    readonly stacks: readonly StackPreviewResult[];
    /** Which declared VPC each placeholder id was taken as when the plan was checked as a whole. */
    readonly placeholderMappings?: readonly PlaceholderMapping[];
    readonly dependsOn: Readonly<Record<string, readonly string[]>>;
    readonly generatedAt: string;
}

/** {@link PendingAcceptance} is a deployed peering request waiting for its peer. */
export interface PendingAcceptance {
    readonly stack: string;
    readonly resource: string;
    readonly peeringId: string;
    readonly peerProjectId?: string;
    readonly expiresAt?: string;
    readonly expired: boolean;
}

/** {@link StackStatus} is one stack as the backend knows it. */
export interface StackStatus {
    readonly name: string;
    readonly fqName: string;
    readonly exists: boolean;
    readonly resources: number;
    readonly lastUpdate?: { kind: string; result: string; endTime?: string };
    readonly outputs: Record<string, unknown>;
    readonly pending: readonly PendingAcceptance[];
}

/** {@link StatusReport} is `status` over a plan. */
export interface StatusReport {
    readonly plan: string;
    readonly stacks: readonly StackStatus[];
}

interface ToolchainModule {
    ensurePulumi(): { root: string; binDir: string; version: string };
    offlineEnv(opts: {
        backendDir?: string;
        pulumiHome?: string;
        passphrase?: string;
        binDir?: string;
        create?: boolean;
    }): Record<string, string>;
}

/** The package root (where scripts/toolchain.js is), from dist/orchestrator or orchestrator/. */
function packageRoot(): string {
    let dir = __dirname;
    for (;;) {
        if (fs.existsSync(path.join(dir, "scripts", "toolchain.js")) && fs.existsSync(path.join(dir, "package.json"))) {
            return dir;
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`scripts/toolchain.js not found above ${__dirname}`);
        dir = parent;
    }
}

function loadToolchain(): ToolchainModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(packageRoot(), "scripts", "toolchain.js")) as ToolchainModule;
}

/** Secrets never reach logs or reports. */
function publicOutputs(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value]));
}

/** The useful part of a failed CLI run: its error diagnostics, else the `error:` lines of its output. */
function failureText(e: unknown, errors: readonly string[]): string {
    if (errors.length) return errors.join("\n");
    if (e instanceof MissingOutputError) return e.message;
    const msg = e instanceof CommandError ? e.message : e instanceof Error ? e.message : String(e);
    const lines = msg.split("\n").filter((l) => /error:/i.test(l) && !/Command failed with exit code/.test(l));
    // The CLI's message carries its stdout and its stderr, which often repeat the same error line.
    const text = [...new Set((lines.length ? lines : msg.split("\n").slice(0, 6)).map((l) => l.trim()))].join("\n");
    return redact(text.replace(/^error: /gm, ""));
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `{ create: 2, same: 1 }` → `2 created, 1 unchanged` (for progress lines). */
export function describeChanges(changes: Record<string, number> | undefined, preview = false): string {
    if (!changes) return "no changes";
    const words: Record<string, [string, string]> = {
        create: ["created", "to create"],
        update: ["updated", "to update"],
        replace: ["replaced", "to replace"],
        delete: ["deleted", "to delete"],
        same: ["unchanged", "unchanged"],
    };
    const parts = Object.entries(changes)
        .filter(([k, n]) => n > 0 && words[k])
        .map(([k, n]) => `${n} ${words[k][preview ? 1 : 0]}`);
    return parts.length ? parts.join(", ") : "no changes";
}

/** {@link Orchestrator} runs a plan's stacks with the Automation API. */
export class Orchestrator {
    readonly plan: Plan;
    readonly workDir: string;
    /** The Pulumi CLI processes this orchestrator runs (each in its own process group). */
    readonly processes = new CliProcesses();
    private readonly opts: OrchestratorOptions;
    private readonly log: (line: string) => void;
    private baseEnvCache?: Record<string, string>;
    private commandCache?: Promise<PulumiCommand>;
    private readonly outputsCache = new Map<string, OutputMap>();
    private readonly deployedCache = new Map<string, Promise<boolean>>();
    private readonly warnedAccounts = new Set<string>();
    private readonly readAccounts = new Set<string>();
    private readonly previews = new Map<string, StackPreviewResult>();
    /** Ids of what `up` created or updated, by stack (`Type/name` → id), for the checks across stacks at apply. */
    private readonly appliedIds = new Map<string, Map<string, string>>();
    /** Stacks this `up` changed something in. */
    private readonly changedInRun = new Set<string>();

    constructor(opts: OrchestratorOptions) {
        this.opts = opts;
        this.plan = opts.plan;
        this.workDir = path.resolve(
            opts.workDir ?? opts.plan.workDir ?? path.join(opts.plan.baseDir, ".peering-stacks"),
        );
        const sink = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
        this.log = (line) => sink(redact(line));
        rememberUrlSecrets(opts.backend ?? opts.plan.backend);
        rememberEnvSecrets({ ...process.env, ...opts.plan.env, ...opts.env });
        for (const s of opts.plan.stacks) rememberEnvSecrets(s.env);
        const accounts = opts.accountsFile ?? opts.plan.accountsFile ?? process.env.VPCPEERING_ACCOUNTS_FILE;
        if (accounts) this.rememberAccounts(path.resolve(accounts));
    }

    /** The backend URL in use. */
    get backendUrl(): string {
        return this.baseEnv().PULUMI_BACKEND_URL;
    }

    private parallel(): number {
        return Math.max(1, this.opts.parallel ?? this.plan.parallel);
    }

    private baseEnv(): Record<string, string> {
        if (this.baseEnvCache) return this.baseEnvCache;
        const tc = loadToolchain();
        const binDir = this.opts.pulumiRoot ? path.join(this.opts.pulumiRoot, "bin") : tc.ensurePulumi().binDir;
        const backend = this.opts.backend ?? this.plan.backend ?? process.env.PULUMI_BACKEND_URL;
        let env: Record<string, string>;
        if (backend === undefined || backend.startsWith("file://") || !/^[a-z0-9]+:\/\//i.test(backend)) {
            const dir = backend
                ? backend.startsWith("file://")
                    ? backend.slice("file://".length)
                    : backend
                : path.join(this.workDir, "state");
            env = tc.offlineEnv({
                backendDir: dir,
                pulumiHome: this.opts.pulumiHome,
                passphrase: this.opts.passphrase,
                binDir,
            });
        } else {
            env = {
                ...tc.offlineEnv({
                    backendDir: path.join(this.workDir, "state"),
                    pulumiHome: this.opts.pulumiHome,
                    passphrase: this.opts.passphrase,
                    binDir,
                    create: false,
                }),
                PULUMI_BACKEND_URL: backend,
            };
        }
        this.baseEnvCache = env;
        return env;
    }

    private command(): Promise<PulumiCommand> {
        this.commandCache ??= PulumiCommand.get({
            root: this.opts.pulumiRoot ?? loadToolchain().ensurePulumi().root,
            skipVersionCheck: true,
        }).then((base) => this.processes.command(base));
        return this.commandCache;
    }

    private stack(name: string): PlanStack {
        const s = this.plan.stacks.find((x) => x.name === name);
        if (!s) throw new Error(`no stack ${name} in the plan`);
        return s;
    }

    /** The environment of one stack's CLI runs. */
    stackEnv(s: PlanStack): Record<string, string> {
        const env: Record<string, string> = {
            ...this.baseEnv(),
            ...this.plan.env,
            ...(this.opts.env ?? {}),
            ...s.env,
        };
        const accountsFile =
            this.opts.accountsFile ??
            this.plan.accountsFile ??
            env.VPCPEERING_ACCOUNTS_FILE ??
            process.env.VPCPEERING_ACCOUNTS_FILE;
        if (accountsFile) {
            env.VPCPEERING_ACCOUNTS_FILE = path.resolve(accountsFile);
            this.rememberAccounts(env.VPCPEERING_ACCOUNTS_FILE);
        }
        if (s.accounts && accountsFile)
            env.VPCPEERING_ACCOUNTS_FILE = this.filteredAccounts(s, path.resolve(accountsFile));
        if (s.accounts && !accountsFile && !this.warnedAccounts.has(s.name)) {
            this.warnedAccounts.add(s.name);
            this.log(
                `[${s.name}] warning: accounts ${s.accounts.join(", ")} cannot be enforced: no accounts file ` +
                    `(plan accountsFile, --accounts-file or VPCPEERING_ACCOUNTS_FILE); the stack sees every profile`,
            );
        }
        return env;
    }

    /** Registers the credentials of an accounts file with the redaction (once per file). */
    private rememberAccounts(file: string): void {
        if (this.readAccounts.has(file)) return;
        this.readAccounts.add(file);
        try {
            rememberAccountsSecrets(readAccountsJson(file)); // every secret, even of an invalid file
        } catch {
            // Unreadable here: the provider reports it; nothing of it can be printed by us either.
        }
    }

    /** Writes an accounts file holding only the stack's profiles: a stack never sees another team's keys. */
    private filteredAccounts(s: PlanStack, file: string): string {
        const doc = readAccountsFile(file, "profiles");
        const accounts = doc.accounts.filter((a) => s.accounts!.includes(a.name));
        const missing = s.accounts!.filter((n) => !accounts.some((a) => a.name === n));
        if (missing.length) throw new Error(`${s.name}: accounts ${missing.join(", ")} are not in ${file}`);
        const dir = path.join(this.workDir, "accounts");
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const out = path.join(dir, `${s.name}.json`);
        fs.writeFileSync(out, JSON.stringify({ ...doc, accounts }, null, 2), { mode: 0o600 });
        return out;
    }

    /** The stack's config file (outside the program folder). */
    configFile(s: PlanStack): string {
        return s.configFile ?? path.join(this.workDir, "config", `${s.project}.${s.stackName}.yaml`);
    }

    private async workspace(s: PlanStack): Promise<LocalWorkspace> {
        return LocalWorkspace.create({
            workDir: s.program,
            pulumiCommand: await this.command(),
            envVars: this.stackEnv(s),
        });
    }

    /** Selects the stack; creates it when `create` (moving the config file Pulumi writes out of the program). */
    private async open(s: PlanStack, create: boolean): Promise<{ stack: Stack; created: boolean } | undefined> {
        const ws = await this.workspace(s);
        try {
            return { stack: await Stack.select(s.fqName, ws), created: false };
        } catch (e) {
            if (!(e instanceof StackNotFoundError)) throw e;
        }
        if (!create) return undefined;
        const inTree = path.join(s.program, `Pulumi.${s.stackName}.yaml`);
        const existedBefore = fs.existsSync(inTree);
        let stack: Stack;
        try {
            stack = await Stack.create(s.fqName, ws);
        } catch (e) {
            // Another run of the plan created it a moment ago.
            if (!(e instanceof StackAlreadyExistsError)) throw e;
            return { stack: await Stack.select(s.fqName, ws), created: false };
        }
        const file = this.configFile(s);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (!existedBefore && fs.existsSync(inTree)) {
            if (fs.existsSync(file)) fs.rmSync(inTree);
            else fs.renameSync(inTree, file);
        }
        return { stack, created: true };
    }

    /** Writes the stack's config (references resolved) into its config file. */
    private async applyConfig(s: PlanStack, stack: Stack, outputs: OutputsByStack): Promise<void> {
        // Resolve everything first: a missing output must not leave the config file half rewritten.
        const args: string[] = [];
        for (const [secretSet, values] of [
            [false, s.config],
            [true, s.secretConfig],
        ] as const) {
            for (const [key, raw] of Object.entries(values)) {
                const r = resolveValue(raw, outputs);
                args.push(secretSet || r.secret ? "--secret" : "--plaintext", `${key}=${configString(r.value)}`);
            }
        }
        const file = this.configFile(s);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const inTree = path.join(s.program, `Pulumi.${s.stackName}.yaml`);
        let doc: Record<string, unknown> = {};
        if (fs.existsSync(file)) doc = (YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) ?? {};
        else if (fs.existsSync(inTree)) {
            doc = (YAML.parse(fs.readFileSync(inTree, "utf8")) as Record<string, unknown>) ?? {};
        }
        delete doc.config;
        fs.writeFileSync(file, YAML.stringify(doc));
        if (args.length === 0) return;
        await this.cli(["config", "set-all", "--stack", stack.name, "--config-file", file, ...args], s);
    }

    /** Runs the CLI in the stack's program folder with its environment. */
    private async cli(args: string[], s: PlanStack): Promise<string> {
        const cmd = await this.command();
        try {
            const r = await this.processes.run(cmd.command, [...args, "--non-interactive"], {
                cwd: s.program,
                env: this.stackEnv(s),
                signal: this.opts.signal,
            });
            return r.stdout;
        } catch (e) {
            const err = e as { commandResult?: { stderr?: string }; message: string };
            const text = err.commandResult?.stderr || err.message;
            throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed: ${text.trim()}`);
        }
    }

    /** The outputs of a stack, from this run or the backend; undefined when the stack does not exist. */
    private async outputsOf(name: string): Promise<OutputMap | undefined> {
        const cached = this.outputsCache.get(name);
        if (cached) return cached;
        return this.keepProgramClean(this.stack(name), async () => {
            const opened = await this.open(this.stack(name), false);
            if (!opened) return undefined;
            const outs = await opened.stack.outputs();
            this.outputsCache.set(name, outs);
            return outs;
        });
    }

    /** Whether a stack exists and holds resources (cached for one preview). */
    private isDeployed(name: string): Promise<boolean> {
        let p = this.deployedCache.get(name);
        if (!p) {
            p = this.readDeployed(name);
            this.deployedCache.set(name, p);
        }
        return p;
    }

    private readDeployed(name: string): Promise<boolean> {
        return this.keepProgramClean(this.stack(name), () => this.readDeployedUnguarded(name));
    }

    private async readDeployedUnguarded(name: string): Promise<boolean> {
        const opened = await this.open(this.stack(name), false);
        if (!opened) return false;
        const dep = await opened.stack.exportStack();
        const resources = ((dep.deployment as { resources?: { type: string }[] })?.resources ?? []).filter(
            (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
        );
        return resources.length > 0;
    }

    private async upstreamOutputs(s: PlanStack): Promise<OutputsByStack> {
        const refs = new Set(configReferences(s).map((r) => r.stack));
        const out: Record<string, OutputMap> = {};
        for (const name of refs) out[name] = (await this.outputsOf(name)) ?? {};
        return out;
    }

    /**
     * Prints engine events as progress lines — what starts (`creating Vpc shop …`) as well as what finished — and
     * collects error diagnostics. `counts` are the finished operations of the program's own resources (not the
     * stack and provider resources Pulumi adds), the same count `preview` and `status` report.
     */
    private progress(
        name: string,
        verb: string,
        errors: string[],
        counts: Record<string, number> = {},
    ): (e: EngineEvent) => void {
        const done: Record<string, string> = {
            create: "created",
            update: "updated",
            delete: "deleted",
            replace: "replaced",
            refresh: "refreshed",
        };
        const doing: Record<string, string> = {
            create: "creating",
            update: "updating",
            delete: "deleting",
            replace: "replacing",
        };
        return (e: EngineEvent) => {
            if (e.resourcePreEvent && verb !== "preview") {
                const m = e.resourcePreEvent.metadata;
                if (doing[m.op] && !m.type.startsWith("pulumi:")) {
                    this.log(`[${name}] ${doing[m.op]} ${shortType(m.type)} ${nameOfUrn(m.urn)} …`);
                }
            }
            if (e.resOutputsEvent) {
                const m = e.resOutputsEvent.metadata;
                if (!m.type.startsWith("pulumi:")) counts[m.op] = (counts[m.op] ?? 0) + 1;
                if (done[m.op] && !m.type.startsWith("pulumi:") && !(m.op === "refresh" && verb !== "refresh")) {
                    this.log(`[${name}] ${done[m.op]} ${shortType(m.type)} ${nameOfUrn(m.urn)}`);
                }
            }
            if (e.resOpFailedEvent) {
                const m = e.resOpFailedEvent.metadata;
                this.log(`[${name}] failed to ${m.op} ${shortType(m.type)} ${nameOfUrn(m.urn)}`);
            }
            if (e.diagnosticEvent) {
                const d = e.diagnosticEvent;
                const res = d.urn ? `${shortType(d.urn.split("::")[2] ?? "")} ${nameOfUrn(d.urn)}` : undefined;
                const f = classifyDiagnostic(d.severity, d.message, res);
                if (!f) return;
                const line = `${f.resource ? `${f.resource}: ` : ""}${f.message}`;
                if (f.kind === "failure" || f.kind === "error") {
                    if (!errors.includes(line)) errors.push(line);
                    this.log(`[${name}] error: ${line}`);
                } else this.log(`[${name}] warning: ${line}`);
            }
        };
    }

    private nodesFor(stacks?: readonly string[]): string[] {
        return (stacks?.length ? selectStacks(this.plan, stacks) : this.plan.stacks).map((s) => s.name);
    }

    /**
     * `up`: first the plan is previewed and checked as a whole (unless `skipPreview`), and nothing changes when that
     * fails; then dependency order, independent stacks in parallel, outputs passed on, stop at the first failure.
     */
    async up(opts: { stacks?: readonly string[]; skipPreview?: boolean } = {}): Promise<RunReport> {
        this.appliedIds.clear();
        this.changedInRun.clear();
        if (opts.skipPreview) this.previews.clear(); // nothing to re-check across stacks against
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
                this.log(`up: the plan's preview failed, nothing was changed (${why})`);
                for (const line of renderRunSummary(report).split("\n")) this.log(line);
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

    private async run(
        command: RunReport["command"],
        only?: readonly string[],
        skipPreview = false,
    ): Promise<RunReport> {
        const nodes = this.nodesFor(only);
        const deps = command === "destroy" ? reverseDeps(dependencyMap(this.plan)) : dependencyMap(this.plan);
        const order = command === "destroy" ? [...nodes].reverse() : nodes;
        this.log(
            `${command} ${plural(nodes.length, "stack")} of ${this.plan.name} (backend ${this.backendUrl}, ` +
                `up to ${this.parallel()} at a time)`,
        );
        const result = await runDag<StackRunResult>({
            nodes: order,
            deps,
            parallel: this.parallel(),
            stopOnFailure: true,
            signal: this.opts.signal,
            onStart: (n) => this.log(`[${n}] ${command} started (${this.stack(n).fqName})`),
            run: (n) => this.runStack(command, this.stack(n), skipPreview),
        });
        const stacks: StackRunResult[] = [];
        for (const n of [...result.started, ...order.filter((x) => !result.started.includes(x))]) {
            stacks.push(this.toRunResult(n, result.outcomes.get(n)!));
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
        for (const line of renderRunSummary(report).split("\n")) this.log(line);
        return report;
    }

    private toRunResult(n: string, o: NodeOutcome<StackRunResult>): StackRunResult {
        const s = this.stack(n);
        if (o.status === "succeeded") return o.value;
        if (o.status === "failed") {
            const err = o.error as Error & { stackResult?: string };
            return {
                name: n,
                fqName: s.fqName,
                status: err instanceof CancelledError ? "cancelled" : "failed",
                reason: err instanceof Error ? err.message : String(err),
                durationMs: o.endedAt - o.startedAt,
            };
        }
        return { name: n, fqName: s.fqName, status: "not-started", reason: o.reason };
    }

    /**
     * Runs `fn` and then removes a `Pulumi.<stack>.yaml` it left in the program folder. The Automation API reads the
     * stack's history after every operation, and the CLI then writes the secrets salt to the default stack config
     * file even though the operation itself used `--config-file`.
     */
    private async keepProgramClean<T>(s: PlanStack, fn: () => Promise<T>): Promise<T> {
        const inTree = path.join(s.program, `Pulumi.${s.stackName}.yaml`);
        const existed = fs.existsSync(inTree);
        try {
            return await fn();
        } finally {
            if (!existed) fs.rmSync(inTree, { force: true });
        }
    }

    private runStack(command: RunReport["command"], s: PlanStack, skipPreview: boolean): Promise<StackRunResult> {
        const t0 = Date.now();
        return this.keepProgramClean(s, () =>
            this.waitForLock(s, () => this.runStackUnguarded(command, s, skipPreview)).catch((e: unknown) => {
                if (e instanceof LockTimeoutError) {
                    this.log(`[${s.name}] ${command} failed after ${secs(Date.now() - t0)}: ${e.message}`);
                }
                throw e;
            }),
        );
    }

    /** Runs `op` (which rethrows a lock error as is), waiting while another run holds the stack's lock. */
    private waitForLock<T>(s: PlanStack, op: () => Promise<T>): Promise<T> {
        return waitForLock(op, {
            stack: s.name,
            timeoutMs: this.opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
            pollMs: this.opts.lockPollMs,
            signal: this.opts.signal,
            onWait: (message) => this.log(`[${s.name}] ${message}`),
        });
    }

    /**
     * `unlock`: removes the locks of the given stacks (`pulumi cancel`), for a lock left behind by a run that was
     * killed. Dangerous while another run still updates the stack: it says so, once per stack.
     */
    async unlock(stacks: readonly string[]): Promise<RunReport> {
        const results: StackRunResult[] = [];
        for (const n of this.nodesFor(stacks)) {
            const s = this.stack(n);
            const t0 = Date.now();
            try {
                const opened = await this.keepProgramClean(s, () => this.open(s, false));
                if (!opened) {
                    this.log(`[${n}] nothing to unlock: the stack does not exist (${s.fqName})`);
                } else {
                    this.log(
                        `[${n}] warning: removing the lock of ${s.fqName}. If another run is still updating this ` +
                            "stack, it keeps running without the lock and the state may end up inconsistent: only " +
                            "unlock a stack whose run is gone (killed runner, cancelled job)",
                    );
                    await this.keepProgramClean(s, () => opened.stack.cancel());
                    this.log(`[${n}] unlocked`);
                }
                results.push({ name: n, fqName: s.fqName, status: "succeeded", durationMs: Date.now() - t0 });
            } catch (e) {
                const reason = failureText(e, []);
                this.log(`[${n}] unlock failed: ${reason.split("\n")[0]}`);
                results.push({ name: n, fqName: s.fqName, status: "failed", reason, durationMs: Date.now() - t0 });
            }
        }
        const failed = results.find((r) => r.status === "failed");
        return { command: "unlock", plan: this.plan.name, ok: !failed, stacks: results, firstFailure: failed?.name };
    }

    private async runStackUnguarded(
        command: RunReport["command"],
        s: PlanStack,
        skipPreview: boolean,
    ): Promise<StackRunResult> {
        const t0 = Date.now();
        const errors: string[] = [];
        // Counted from the engine's events: the summary's counts include the stack resource itself.
        const counted: Record<string, number> = {};
        const onEvent = this.progress(s.name, command, errors, counted);
        const configFile = this.configFile(s);
        const signal = this.opts.signal;
        try {
            if (command === "destroy") {
                const opened = await this.open(s, false);
                if (!opened) {
                    this.log(`[${s.name}] nothing to destroy: the stack does not exist`);
                    return { name: s.name, fqName: s.fqName, status: "succeeded", changes: {}, durationMs: 0 };
                }
                if (!fs.existsSync(configFile)) await this.applyConfig(s, opened.stack, {}).catch(() => undefined);
                this.throwIfCancelled();
                await opened.stack.destroy({ configFile, onEvent, signal });
                const changes = counted;
                this.outputsCache.delete(s.name);
                this.log(`[${s.name}] destroy succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
                return { name: s.name, fqName: s.fqName, status: "succeeded", changes, durationMs: Date.now() - t0 };
            }
            if (command === "refresh") {
                const opened = await this.open(s, false);
                if (!opened) {
                    this.log(`[${s.name}] nothing to refresh: the stack does not exist`);
                    return { name: s.name, fqName: s.fqName, status: "succeeded", changes: {}, durationMs: 0 };
                }
                // A refresh does not run the program; config from missing upstream outputs keeps its last values.
                await this.applyConfig(s, opened.stack, await this.upstreamOutputs(s)).catch((e: unknown) => {
                    if (!(e instanceof MissingOutputError)) throw e;
                    this.log(`[${s.name}] warning: config kept as it was: ${e.message}`);
                });
                this.throwIfCancelled();
                const r = await opened.stack.refresh({ configFile, onEvent, signal });
                const changes = r.summary.resourceChanges as Record<string, number> | undefined;
                this.log(`[${s.name}] refresh succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
                return { name: s.name, fqName: s.fqName, status: "succeeded", changes, durationMs: Date.now() - t0 };
            }
            const outputs = await this.upstreamOutputs(s);
            const opened = (await this.open(s, true))!;
            await this.applyConfig(s, opened.stack, outputs);
            const holds = !skipPreview && this.planPreviewHolds(s);
            if (holds) this.log(`[${s.name}] the plan's preview of this stack still holds (no upstream changed)`);
            if (!skipPreview && !holds) {
                // Like `pulumi up` without --skip-preview: the constraint checks fail the preview, before anything is
                // created (an up alone would create the VPCs while the peering's check is still failing).
                const previewErrors: string[] = [];
                const progress = this.progress(s.name, "preview", previewErrors);
                const checksFile = this.freshChecksFile(opened.stack, `${s.name}.apply`);
                const collector = new PreviewCollector();
                try {
                    this.throwIfCancelled();
                    await opened.stack.preview({
                        configFile,
                        signal,
                        onEvent: (e) => {
                            collector.onEvent(e);
                            if (e.diagnosticEvent && ["error"].includes(e.diagnosticEvent.severity)) progress(e);
                        },
                    });
                } catch (e) {
                    if (signal?.aborted) throw e;
                    throw new Error(`preview failed, nothing was changed:\n${failureText(e, previewErrors)}`);
                }
                const across = this.recheckAcrossStacks(
                    s,
                    applyCheckRecords(collector.collected(), readCheckReport(checksFile)),
                );
                if (across) throw new Error(`preview failed, nothing was changed:\n${across}`);
            }
            this.throwIfCancelled();
            const applied = new Map<string, string>();
            const r = await opened.stack.up({
                configFile,
                signal,
                onEvent: (e) => {
                    const m = e.resOutputsEvent?.metadata;
                    if (m?.new?.id && m.new.id !== UNKNOWN)
                        applied.set(`${shortType(m.type)}/${nameOfUrn(m.urn)}`, m.new.id);
                    onEvent(e);
                },
            });
            this.appliedIds.set(s.name, applied);
            this.outputsCache.set(s.name, r.outputs);
            const changes = counted;
            if (Object.entries(changes).some(([op, n]) => op !== "same" && n > 0)) this.changedInRun.add(s.name);
            this.log(`[${s.name}] up succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
            return {
                name: s.name,
                fqName: s.fqName,
                status: "succeeded",
                changes,
                durationMs: Date.now() - t0,
                outputs: publicOutputs(r.outputs),
            };
        } catch (e) {
            if (isLockedError(e) && !signal?.aborted) throw e; // runStack waits and tries again
            if (signal?.aborted) {
                const sig = String(signal.reason);
                const finished = { ...counted, same: 0 }; // what this run changed before it stopped
                const made = Object.values(finished).some((n) => n > 0) ? `: ${describeChanges(finished)}` : "";
                const forced = /stopped by SIGKILL|received; terminating/.test(e instanceof Error ? e.message : "");
                const reason =
                    e instanceof CancelledError
                        ? `cancelled (${sig}) before its ${command} started`
                        : forced
                          ? `stopped at once (${sig}, forced) after ${secs(Date.now() - t0)}${made}; it may keep its ` +
                            `lock and pending operations — peering-stacks unlock --stack ${s.name}, then refresh`
                          : `cancelled (${sig}) after ${secs(Date.now() - t0)}${made}; its in-flight steps ` +
                            `finished and its state was saved — run ${command} again to continue`;
                this.log(`[${s.name}] ${command} ${reason}`);
                throw new CancelledError(reason);
            }
            const text = failureText(e, errors);
            this.log(`[${s.name}] ${command} failed after ${secs(Date.now() - t0)}: ${text.split("\n")[0]}`);
            throw new Error(text);
        }
    }

    /** The signal that cancelled this run, if it was. */
    cancelledBy(): string | undefined {
        return this.opts.signal?.aborted ? String(this.opts.signal.reason ?? "cancelled") : undefined;
    }

    private throwIfCancelled(): void {
        if (this.opts.signal?.aborted) throw new CancelledError("cancelled before it started");
    }

    /**
     * `preview` over the plan (or some stacks), in dependency order: a stack whose upstream is deployed is previewed
     * against the upstream's *deployed* outputs (what its StackReferences and `${stack.output}` config read). A stack
     * whose upstream is not deployed yet is previewed with the upstream's *preview* outputs where they are known (a
     * CIDR from its config) and placeholders for the rest (ids), when it reads them through `${stack.output}` config;
     * one that depends on it otherwise (a StackReference) is skipped and says so. Then the plan is checked as a whole
     * ({@link checkPlan}): a violation only the union of the stacks shows fails the stack it is about. Failures do
     * not stop the other previews.
     */
    async preview(opts: { stacks?: readonly string[]; refresh?: boolean } = {}): Promise<PreviewRun> {
        const nodes = this.nodesFor(opts.stacks);
        this.deployedCache.clear();
        this.outputsCache.clear();
        this.previews.clear();
        this.log(`preview ${plural(nodes.length, "stack")} of ${this.plan.name} (backend ${this.backendUrl})`);
        const result = await runDag<StackPreviewResult>({
            nodes,
            deps: dependencyMap(this.plan),
            parallel: this.parallel(),
            stopOnFailure: false,
            signal: this.opts.signal,
            run: (n) => this.previewStack(this.stack(n), !!opts.refresh),
        });
        const stacks = nodes.map((n) => {
            const o = result.outcomes.get(n)!;
            if (o.status === "succeeded") return o.value;
            const s = this.stack(n);
            return {
                name: n,
                fqName: s.fqName,
                program: this.relProgram(s),
                status: "failed" as const,
                reason: o.status === "failed" ? failureText(o.error, []) : o.reason,
                durationMs: 0,
                deployed: false,
                upstream: [],
                collected: { changes: [], findings: [], resources: [] },
            };
        });
        const planCheck = this.checkWholePlan(stacks);
        return {
            plan: this.plan.name,
            ok: planCheck.stacks.every((s) => s.status !== "failed"),
            stacks: planCheck.stacks,
            ...(planCheck.placeholders.length ? { placeholderMappings: planCheck.placeholders } : {}),
            dependsOn: Object.fromEntries(this.plan.stacks.map((s) => [s.name, s.dependsOn])),
            generatedAt: new Date().toISOString(),
        };
    }

    /**
     * Whether the plan's preview of a stack is still what `up` would preview now: it passed against deployed
     * outputs only (no placeholder, nothing read that the plan changes) and no upstream changed anything since.
     * Then the stack is applied without previewing it a second time.
     */
    private planPreviewHolds(s: PlanStack): boolean {
        const p = this.previews.get(s.name);
        if (!p || p.status !== "ok" || p.placeholders?.length || p.notFinal?.length) return false;
        return upstreamOf(this.plan, s.name).every((u) => !this.changedInRun.has(u));
    }

    /**
     * At apply: the rules across stacks run again with this stack's fresh preview (its upstreams applied, so what it
     * reads is final now) and what the plan's preview recorded for the others, with the ids `up` gave their new
     * resources. Returns why this stack must not be applied, or undefined. Without a plan preview (`--skip-preview`)
     * there is nothing to join.
     */
    private recheckAcrossStacks(s: PlanStack, fresh: CollectedPreview): string | undefined {
        const before = this.previews.get(s.name);
        if (!before) return undefined;
        this.previews.set(s.name, { ...before, status: "ok", collected: fresh });
        const withIds = [...this.previews.values()].map((p) => {
            const ids = this.appliedIds.get(p.name);
            if (!ids) return p;
            const resources = p.collected.resources.map((r) => {
                const id = ids.get(`${r.type}/${r.name}`);
                return id && (!r.id || r.id === UNKNOWN) ? { ...r, id } : r;
            });
            return { ...p, collected: { ...p.collected, resources } };
        });
        // This stack's violations, and those it makes with stacks already applied (one about a stack still to
        // come is that stack's, at its turn).
        const mine = checkPlan(this.declarationsOf(withIds)).violations.filter(
            (v) =>
                v.stack === s.name ||
                (v.stacks.includes(s.name) && v.stacks.every((x) => x === s.name || this.appliedIds.has(x))),
        );
        if (mine.length === 0) return undefined;
        for (const v of mine) {
            this.log(
                `[${s.name}] error: ${v.resource} (across stacks ${v.stacks.join(", ")}, checked at apply): ${v.violation.message}`,
            );
        }
        return `checked across stacks ${[...new Set(mine.flatMap((v) => v.stacks))].join(", ")} at apply: ${mine.map((v) => v.violation.message).join("\n")}`;
    }

    private declarationsOf(stacks: readonly StackPreviewResult[]) {
        return stacks
            .filter((s) => s.collected.checks?.length)
            .map((s) => ({
                stack: s.name,
                records: s.collected.checks!,
                ids: new Map(
                    s.collected.resources.flatMap((r) =>
                        r.id && r.id !== UNKNOWN ? [[`${r.type}/${r.name}`, r.id]] : [],
                    ) as [string, string][],
                ),
            }));
    }

    /** Runs the graph-wide rules over what every previewed stack declares; cross-stack violations fail their stack. */
    private checkWholePlan(stacks: StackPreviewResult[]): {
        stacks: StackPreviewResult[];
        placeholders: readonly PlaceholderMapping[];
    } {
        const result = checkPlan(this.declarationsOf(stacks));
        for (const v of result.violations) {
            this.log(
                `[${v.stack}] error: ${v.resource} (across stacks ${v.stacks.join(", ")}): ${v.violation.message}`,
            );
        }
        const out = stacks.map((s) => {
            const mine = result.violations.filter((v) => v.stack === s.name);
            if (mine.length === 0) return s;
            const findings = mine.map((v) => ({
                kind: "failure" as const,
                rule: v.violation.rule,
                resource: v.resource,
                message: v.violation.message,
                violation: v.violation,
                stacks: v.stacks,
            }));
            const reason = `checked across stacks ${[...new Set(mine.flatMap((v) => v.stacks))].join(", ")}: ${mine.map((v) => v.violation.message).join("\n")}`;
            return {
                ...s,
                status: "failed" as const,
                reason: s.status === "failed" && s.reason ? `${s.reason}\n${reason}` : reason,
                collected: { ...s.collected, findings: [...findings, ...s.collected.findings] },
            };
        });
        return { stacks: out, placeholders: result.placeholders };
    }

    private relProgram(s: PlanStack): string {
        // Relative to the plan even when outside its folder (`../x`): a report never shows the runner's absolute paths.
        return path.relative(this.plan.baseDir, s.program).split(path.sep).join("/") || ".";
    }

    private async previewStack(s: PlanStack, refresh: boolean): Promise<StackPreviewResult> {
        const r = await this.keepProgramClean(s, () =>
            this.waitForLock(s, () => this.previewStackUnguarded(s, refresh)),
        );
        this.previews.set(s.name, r);
        return r;
    }

    /**
     * The outputs of upstream stacks that are not deployed yet, from their previews: known values as they are,
     * unknown ones (ids) as placeholders the checks treat as unknown. Undefined when one of them was not previewed.
     */
    private previewedOutputs(
        s: PlanStack,
        missing: readonly string[],
    ): { outputs: OutputsByStack; used: PlaceholderUse[] } | undefined {
        const refs = configReferences(s);
        const outputs: Record<string, Record<string, { value: unknown; secret?: boolean }>> = {};
        const used: PlaceholderUse[] = [];
        for (const u of missing) {
            const p = this.previews.get(u);
            if (!p || p.status === "skipped") return undefined;
            const previewed = p.collected.stackOutputs ?? {};
            const outs: Record<string, { value: unknown; secret?: boolean }> = {};
            for (const r of refs.filter((x) => x.stack === u)) {
                const v = previewed[r.output];
                const knownValue = typeof v === "string" && v !== UNKNOWN && r.path.length === 0;
                const value = knownValue ? v : placeholderFor(u, r.output);
                outs[r.output] = { value };
                if (!used.some((x) => x.stack === u && x.output === r.output)) {
                    used.push({ stack: u, output: r.output, from: knownValue ? "preview" : "placeholder", value });
                }
            }
            outputs[u] = outs;
        }
        return { outputs, used };
    }

    /** An empty check report file for one preview of a stack, named in its environment (read back after it). */
    private freshChecksFile(stack: Stack, name: string): string {
        const file = path.join(this.workDir, "checks", `${name}.jsonl`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.rmSync(file, { force: true });
        stack.workspace.envVars[CHECK_REPORT_ENV] = file;
        return file;
    }

    /**
     * The outputs of deployed upstreams that this run's preview of them says will change (planned value, or
     * unknown until applied), by upstream. A stack previewed after them reads the planned values through its
     * `${stack.output}` config and is told, for its StackReferences, which deployed values are about to go.
     */
    private async changingUpstreams(s: PlanStack): Promise<Map<string, Record<string, PlannedOutput>>> {
        const out = new Map<string, Record<string, PlannedOutput>>();
        // Every upstream, not only the direct ones: a StackReference may read any stack the plan runs before it.
        for (const u of upstreamOf(this.plan, s.name)) {
            const p = this.previews.get(u);
            if (!p || p.status !== "ok" || !p.deployed || !p.collected.stackOutputs) continue;
            const deployed = (await this.outputsOf(u)) ?? {};
            const changing = changingOutputs(deployed, p.collected.stackOutputs, (v) => v === UNKNOWN);
            if (Object.keys(changing).length) out.set(u, changing);
        }
        return out;
    }

    /**
     * Config values read from changing upstream outputs: the planned value; when the upstream's preview cannot know
     * it (an output its provider computes), the deployed value, marked `viaConfig` so the checks do not decide on it.
     * A placeholder would change the stack's inputs (a spurious replace) for what is most likely the same value.
     */
    private plannedConfigOutputs(
        s: PlanStack,
        changing: ReadonlyMap<string, Record<string, PlannedOutput>>,
        deployedOutputs: OutputsByStack,
    ): { outputs: OutputsByStack; used: PlaceholderUse[]; planned: PlannedOutputs } {
        const refs = configReferences(s);
        const outputs: Record<string, Record<string, { value: unknown; secret?: boolean }>> = {};
        const used: PlaceholderUse[] = [];
        const planned: Record<string, Record<string, PlannedOutput>> = {};
        for (const [u, outs] of changing) {
            const merged = { ...(deployedOutputs[u] ?? {}) };
            const told = { ...outs };
            for (const r of refs.filter((x) => x.stack === u && outs[x.output] && x.path.length === 0)) {
                const o = outs[r.output]!;
                if (o.planned === undefined) told[r.output] = { ...o, viaConfig: true };
                const value = o.planned ?? o.deployed;
                merged[r.output] = { value };
                if (!used.some((x) => x.stack === u && x.output === r.output)) {
                    used.push({
                        stack: u,
                        output: r.output,
                        from: o.planned !== undefined ? "preview" : "deployed",
                        value,
                        deployed: o.deployed,
                    });
                }
            }
            outputs[u] = merged;
            planned[this.stack(u).fqName] = told;
        }
        return { outputs, used, planned };
    }

    private async previewStackUnguarded(s: PlanStack, refresh: boolean): Promise<StackPreviewResult> {
        const t0 = Date.now();
        const base = { name: s.name, fqName: s.fqName, program: this.relProgram(s) };
        const empty: CollectedPreview = { changes: [], findings: [], resources: [] };
        const upstream: UpstreamState[] = [];
        for (const u of upstreamOf(this.plan, s.name)) upstream.push({ name: u, deployed: await this.isDeployed(u) });
        const deployed = await this.isDeployed(s.name);
        // Only direct upstreams matter: their outputs are what this stack reads.
        const direct = new Set(s.dependsOn);
        const missing = upstream.filter((u) => !u.deployed && direct.has(u.name)).map((u) => u.name);
        // Upstreams read through `${stack.output}` config can be stood in for by their previews; a dependency
        // declared only with dependsOn is read some other way (a StackReference reads the last deployed outputs).
        const viaConfig = new Set(configReferences(s).map((r) => r.stack));
        const standIn = missing.every((m) => viaConfig.has(m)) ? this.previewedOutputs(s, missing) : undefined;
        if (missing.length && !standIn) {
            const reason =
                `not previewed: upstream ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not deployed yet, ` +
                `and this stack reads ${missing.length === 1 ? "its" : "their"} deployed outputs ` +
                `(a StackReference reads the last deployed outputs); preview again once ${missing.join(", ")} ` +
                `${missing.length === 1 ? "is" : "are"} up`;
            this.log(`[${s.name}] skipped: upstream ${missing.join(", ")} not deployed`);
            return { ...base, status: "skipped", reason, durationMs: 0, deployed, upstream, collected: empty };
        }
        let outputs: OutputsByStack;
        const changing = await this.changingUpstreams(s);
        let planned: ReturnType<Orchestrator["plannedConfigOutputs"]> = { outputs: {}, used: [], planned: {} };
        try {
            const deployedOutputs = await this.upstreamOutputs(s);
            planned = this.plannedConfigOutputs(s, changing, deployedOutputs);
            outputs = { ...deployedOutputs, ...planned.outputs, ...(standIn?.outputs ?? {}) };
            for (const [, v] of [...Object.entries(s.config), ...Object.entries(s.secretConfig)])
                resolveValue(v, outputs);
        } catch (e) {
            if (!(e instanceof MissingOutputError)) throw e;
            const reason = `not previewed: ${e.message}`;
            this.log(`[${s.name}] skipped: ${e.message}`);
            return { ...base, status: "skipped", reason, durationMs: 0, deployed, upstream, collected: empty };
        }
        const opened = (await this.open(s, true))!;
        const collector = new PreviewCollector();
        const eventsFile = this.opts.eventsDir ? path.join(this.opts.eventsDir, `${s.name}.jsonl`) : undefined;
        if (eventsFile) {
            fs.mkdirSync(path.dirname(eventsFile), { recursive: true });
            fs.writeFileSync(eventsFile, "");
        }
        const recordEvent = (e: EngineEvent): void => {
            if (!eventsFile || (e.diagnosticEvent && (e.diagnosticEvent.severity as string) === "debug")) return;
            const text = JSON.stringify(e, (k, v: unknown) => (k === "__provider" ? "<provider>" : v));
            fs.appendFileSync(eventsFile, redact(text) + "\n");
        };
        const errors: string[] = [];
        const progress = this.progress(s.name, "preview", errors);
        this.log(`[${s.name}] preview started (${s.fqName})`); // in flight: independent previews run in parallel
        // The program and the providers write their structured check results here (read back below).
        const checksFile = this.freshChecksFile(opened.stack, s.name);
        if (changing.size) opened.stack.workspace.envVars[PLANNED_OUTPUTS_ENV] = encodePlannedOutputs(planned.planned);
        const used = [...(standIn?.used ?? []), ...planned.used];
        const placeholders = used.length ? { placeholders: used } : {};
        if (planned.used.length) {
            this.log(
                `[${s.name}] previewed with outputs this plan changes: ` +
                    planned.used
                        .map((u) =>
                            u.from === "preview"
                                ? `${u.stack}.${u.output} = ${u.value} (deployed ${u.deployed})`
                                : `${u.stack}.${u.output} = ${u.value} (deployed; its planned value is known once applied)`,
                        )
                        .join(", "),
            );
        }
        if (standIn?.used.length) {
            this.log(
                `[${s.name}] previewed before ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} deployed: ` +
                    standIn.used
                        .map((u) => `${u.stack}.${u.output} = ${u.from === "preview" ? u.value : "(placeholder)"}`)
                        .join(", "),
            );
        }
        const collect = () => applyCheckRecords(collector.collected(), readCheckReport(checksFile));
        const notFinalOf = (c: CollectedPreview) => {
            const reads = (c.checks ?? []).flatMap((r) => r.notFinal ?? []);
            const unique = reads.filter(
                (r, i) => reads.findIndex((x) => x.stack === r.stack && x.output === r.output) === i,
            );
            return unique.length ? { notFinal: unique } : {};
        };
        try {
            await this.applyConfig(s, opened.stack, outputs);
            try {
                await opened.stack.preview({
                    configFile: this.configFile(s),
                    signal: this.opts.signal,
                    refresh: refresh && !opened.created,
                    onEvent: (e) => {
                        recordEvent(e);
                        collector.onEvent(e);
                        if (e.diagnosticEvent) progress(e);
                    },
                });
                const c = collect();
                const counts: Record<string, number> = {};
                for (const r of c.resources) counts[r.op] = (counts[r.op] ?? 0) + 1;
                this.log(`[${s.name}] preview: ${describeChanges(counts, true)} (${secs(Date.now() - t0)})`);
                return {
                    ...base,
                    status: "ok",
                    durationMs: Date.now() - t0,
                    deployed,
                    upstream,
                    collected: c,
                    ...placeholders,
                    ...notFinalOf(c),
                };
            } catch (e) {
                if (isLockedError(e) && !this.opts.signal?.aborted) throw e; // previewStack waits and tries again
                const cancelled = this.cancelledBy();
                const reason = cancelled ? `cancelled (${cancelled})` : failureText(e, errors);
                this.log(`[${s.name}] preview ${cancelled ? reason : "failed"} (${secs(Date.now() - t0)})`);
                return {
                    ...base,
                    status: "failed",
                    reason,
                    durationMs: Date.now() - t0,
                    deployed,
                    upstream,
                    collected: collect(),
                    ...placeholders,
                };
            }
        } finally {
            if (opened.created) {
                // A stack created only to be previewed is removed again: `status` keeps saying "not deployed".
                await opened.stack.workspace.removeStack(s.fqName).catch(() => undefined);
                fs.rmSync(this.configFile(s), { force: true });
                this.outputsCache.delete(s.name);
            }
        }
    }

    /** The resources of a stack's state (`exportStack`; no program runs), or undefined when it does not exist. */
    async exportedResources(name: string): Promise<StateResource[] | undefined> {
        const s = this.stack(name);
        return this.keepProgramClean(s, async () => {
            const opened = await this.open(s, false);
            if (!opened) return undefined;
            const dep = (await opened.stack.exportStack()).deployment as { resources?: StateResource[] } | undefined;
            return dep?.resources ?? [];
        });
    }

    /** `status`: what the backend holds for each stack (no program runs). */
    async status(opts: { stacks?: readonly string[] } = {}): Promise<StatusReport> {
        const nodes = this.nodesFor(opts.stacks);
        const stacks: StackStatus[] = [];
        const accepted = new Map<string, string>();
        for (const n of nodes) {
            const s = this.stack(n);
            stacks.push(await this.keepProgramClean(s, () => this.stackStatus(s, accepted)));
        }
        // A requester's recorded status is from its last up or refresh; an accepter in the plan may know better.
        return {
            plan: this.plan.name,
            stacks: stacks.map((st) => ({
                ...st,
                pending: st.pending.filter((p) => accepted.get(p.peeringId) !== "ACTIVE"),
            })),
        };
    }

    private async stackStatus(s: PlanStack, accepted: Map<string, string>): Promise<StackStatus> {
        const n = s.name;
        const opened = await this.open(s, false);
        if (!opened) return { name: n, fqName: s.fqName, exists: false, resources: 0, outputs: {}, pending: [] };
        const dep = (await opened.stack.exportStack()).deployment as {
            resources?: { type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[];
        };
        const resources = (dep?.resources ?? []).filter(
            (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
        );
        const now = Date.now();
        const pending: PendingAcceptance[] = resources
            .filter((r) => shortType(r.type) === "PeeringConnection" && r.outputs?.status === "PENDING_ACCEPTANCE")
            .map((r) => {
                const expiresAt = typeof r.outputs?.expiresAt === "string" ? r.outputs.expiresAt : undefined;
                return {
                    stack: n,
                    resource: nameOfUrn(r.urn),
                    peeringId: r.id ?? "",
                    peerProjectId: r.outputs?.peerProjectId as string | undefined,
                    expiresAt,
                    expired: expiresAt !== undefined && Date.parse(expiresAt) < now,
                };
            });
        for (const r of resources) {
            if (shortType(r.type) === "PeeringAccepter" && typeof r.outputs?.status === "string") {
                accepted.set(String(r.outputs.peeringConnectionId ?? r.id), r.outputs.status);
            }
        }
        const history = await opened.stack.history(1).catch(() => []);
        const last = history[0];
        return {
            name: n,
            fqName: s.fqName,
            exists: true,
            resources: resources.length,
            lastUpdate: last
                ? { kind: last.kind, result: last.result, endTime: last.endTime?.toISOString?.() }
                : undefined,
            outputs: publicOutputs(await opened.stack.outputs()),
            pending,
        };
    }
}

function secs(ms: number): string {
    return `${(ms / 1000).toFixed(1)}s`;
}

/** {@link renderRunSummary} is the end-of-run report: what ran, what failed, what did not start. */
export function renderRunSummary(r: RunReport): string {
    const lines: string[] = [];
    const by = (st: StackRunResult["status"]) => r.stacks.filter((s) => s.status === st);
    const verdict = r.cancelled ? `CANCELLED (${r.cancelled})` : r.ok ? "succeeded" : "FAILED";
    lines.push(
        `${r.command} ${verdict}: ${by("succeeded").length} succeeded, ${by("failed").length} failed, ` +
            `${r.cancelled ? `${by("cancelled").length} cancelled, ` : ""}${by("not-started").length} not started`,
    );
    for (const s of r.stacks) {
        if (s.status === "succeeded") {
            lines.push(`  ✔ ${s.name}: ${describeChanges(s.changes)}${s.durationMs ? ` (${secs(s.durationMs)})` : ""}`);
        } else if (s.status === "failed") {
            const [first, ...rest] = (s.reason ?? "failed").split("\n");
            lines.push(`  ✘ ${s.name}: FAILED: ${first}`);
            for (const l of rest) lines.push(`      ${l}`);
        } else if (s.status === "cancelled") lines.push(`  ⊘ ${s.name}: ${s.reason}`);
        else lines.push(`  · ${s.name}: not started (${s.reason})`);
    }
    return lines.join("\n");
}

/** The `${stack.output}` references of a stack's config and secret config. */
function configReferences(s: PlanStack): ReturnType<typeof findReferences> {
    return [...Object.values(s.config), ...Object.values(s.secretConfig)].flatMap((v) => findReferences(v));
}
