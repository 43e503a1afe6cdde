// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The {@link StackDriver} on the Automation API: a LocalWorkspace per stack in its program folder, with the stack's
// environment (environment.ts), the pinned CLI (each process in its own group, see processes.ts), and the config in
// the orchestrator's work dir — so the `Pulumi.<stack>.yaml` files the CLI writes into the program folder are moved
// out or removed again.

import * as fs from "node:fs";
import * as path from "node:path";
import {
    LocalWorkspace,
    PulumiCommand,
    Stack,
    StackAlreadyExistsError,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";

import type { StackEnvironment } from "./environment";
import { loadToolchain } from "./environment";
import type { PlanStack } from "./plan";
import type { CliProcesses } from "./processes";
import { configFile, inTreeConfigFile } from "./stackConfig";
import type { ConfigEntry, DriverStack, LastUpdate, OpenedStack, StackDriver } from "./stackDriver";
import type { StateResource } from "./verifyDrift";

/**
 * {@link PREVIEW_DEFAULTS} are set for the previews the orchestrator runs, unless the stack's (or the caller's)
 * environment sets them. Pulumi's engine serializes and verifies the whole snapshot after every step even in a
 * preview, whose persister throws it away — quadratic in the stack's size (DEVELOPERS.md, "Where the time goes");
 * `PULUMI_SKIP_CHECKPOINTS` is Pulumi's own switch for it. Never for `up`, `destroy` or `refresh`, where those
 * checkpoints protect an interrupted run.
 */
export const PREVIEW_DEFAULTS: Readonly<Record<string, string>> = { PULUMI_SKIP_CHECKPOINTS: "true" };

/** {@link previewOnlyEnv} is what a preview adds to a stack's environment: the defaults neither environment sets. */
export function previewOnlyEnv(
    stackEnv: Readonly<Record<string, string | undefined>>,
    processEnv: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
    return Object.fromEntries(
        Object.entries(PREVIEW_DEFAULTS).filter(([k]) => stackEnv[k] === undefined && processEnv[k] === undefined),
    );
}

/** {@link AutomationDriverOptions} configure an {@link AutomationDriver}. */
export interface AutomationDriverOptions {
    readonly environment: StackEnvironment;
    readonly processes: CliProcesses;
    /** Where the stack config files are (stackConfig.ts). */
    readonly workDir: string;
    /** A folder holding `bin/pulumi`. @default the pinned CLI from scripts/toolchain.js */
    readonly pulumiRoot?: string;
}

/** {@link AutomationDriver} runs stacks with the Automation API and the pinned Pulumi CLI. */
export class AutomationDriver implements StackDriver {
    private readonly opts: AutomationDriverOptions;
    private commandCache?: Promise<PulumiCommand>;

    constructor(opts: AutomationDriverOptions) {
        this.opts = opts;
    }

    get backendUrl(): string {
        return this.opts.environment.baseEnv().PULUMI_BACKEND_URL;
    }

    private command(): Promise<PulumiCommand> {
        this.commandCache ??= PulumiCommand.get({
            root: this.opts.pulumiRoot ?? loadToolchain().ensurePulumi().root,
            skipVersionCheck: true,
        }).then((base) => this.opts.processes.command(base));
        return this.commandCache;
    }

    private async workspace(s: PlanStack): Promise<LocalWorkspace> {
        return LocalWorkspace.create({
            workDir: s.program,
            pulumiCommand: await this.command(),
            envVars: this.opts.environment.stackEnv(s),
        });
    }

    /** Selects the stack; creates it when `create` (moving the config file Pulumi writes out of the program). */
    async open(s: PlanStack, create: boolean): Promise<OpenedStack | undefined> {
        const ws = await this.workspace(s);
        try {
            return { stack: this.wrap(s, await Stack.select(s.fqName, ws)), created: false };
        } catch (e) {
            if (!(e instanceof StackNotFoundError)) throw e;
        }
        if (!create) return undefined;
        const inTree = inTreeConfigFile(s);
        const existedBefore = fs.existsSync(inTree);
        let stack: Stack;
        try {
            stack = await Stack.create(s.fqName, ws);
        } catch (e) {
            // Another run of the plan created it a moment ago.
            if (!(e instanceof StackAlreadyExistsError)) throw e;
            return { stack: this.wrap(s, await Stack.select(s.fqName, ws)), created: false };
        }
        const file = configFile(s, this.opts.workDir);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (!existedBefore && fs.existsSync(inTree)) {
            if (fs.existsSync(file)) fs.rmSync(inTree);
            else fs.renameSync(inTree, file);
        }
        return { stack: this.wrap(s, stack), created: true };
    }

    /**
     * Runs `fn` and then removes a `Pulumi.<stack>.yaml` it left in the program folder. The Automation API reads the
     * stack's history after every operation, and the CLI then writes the secrets salt to the default stack config
     * file even though the operation itself used `--config-file`.
     */
    async keepProgramClean<T>(s: PlanStack, fn: () => Promise<T>): Promise<T> {
        const inTree = inTreeConfigFile(s);
        const existed = fs.existsSync(inTree);
        try {
            return await fn();
        } finally {
            if (!existed) fs.rmSync(inTree, { force: true });
        }
    }

    /** Runs the CLI in the stack's program folder with its environment. */
    private async cli(args: string[], s: PlanStack, signal?: AbortSignal): Promise<string> {
        const cmd = await this.command();
        try {
            const r = await this.opts.processes.run(cmd.command, [...args, "--non-interactive"], {
                cwd: s.program,
                env: this.opts.environment.stackEnv(s),
                signal,
            });
            return r.stdout;
        } catch (e) {
            const err = e as { commandResult?: { stderr?: string }; message: string };
            const text = err.commandResult?.stderr || err.message;
            throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed: ${text.trim()}`);
        }
    }

    private wrap(s: PlanStack, stack: Stack): DriverStack {
        return {
            setEnv: (name, value) => {
                stack.workspace.envVars[name] = value;
            },
            setConfig: async (file: string, entries: readonly ConfigEntry[], signal?: AbortSignal) => {
                const args = entries.flatMap((e) => [e.secret ? "--secret" : "--plaintext", `${e.key}=${e.value}`]);
                await this.cli(["config", "set-all", "--stack", stack.name, "--config-file", file, ...args], s, signal);
            },
            preview: async (o) => {
                const env = stack.workspace.envVars;
                const added = previewOnlyEnv(env);
                Object.assign(env, added);
                try {
                    await stack.preview({
                        configFile: o.configFile,
                        signal: o.signal,
                        refresh: o.refresh,
                        onEvent: o.onEvent,
                    });
                } finally {
                    for (const k of Object.keys(added)) delete env[k];
                }
            },
            up: async (o) => {
                const r = await stack.up({ configFile: o.configFile, signal: o.signal, onEvent: o.onEvent });
                return { outputs: r.outputs };
            },
            destroy: async (o) => {
                await stack.destroy({ configFile: o.configFile, signal: o.signal, onEvent: o.onEvent });
            },
            refresh: async (o) => {
                const r = await stack.refresh({ configFile: o.configFile, signal: o.signal, onEvent: o.onEvent });
                return { changes: r.summary.resourceChanges as Record<string, number> | undefined };
            },
            outputs: () => stack.outputs(),
            exportStack: async () => {
                const dep = (await stack.exportStack()).deployment as { resources?: StateResource[] } | undefined;
                return dep?.resources ?? [];
            },
            lastUpdate: async (): Promise<LastUpdate | undefined> => {
                const last = (await stack.history(1).catch(() => []))[0];
                return last
                    ? { kind: last.kind, result: last.result, endTime: last.endTime?.toISOString?.() }
                    : undefined;
            },
            cancel: () => stack.cancel(),
            remove: () => stack.workspace.removeStack(s.fqName),
        };
    }
}
