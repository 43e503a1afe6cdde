// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The Pulumi CLI processes of one orchestrator, each started in its own process group and tracked until it exits.
//
// Why their own group: Ctrl-C in a terminal and a CI cancel signal the whole foreground process group. If the CLI
// shared ours, it would get that SIGINT *and* the one we forward when we cancel — and the CLI treats a second signal
// as "terminate now" (pkg/backend/cancellation_scope.go), skipping the graceful path that finishes in-flight steps
// and releases the stack's lock. In their own group, the CLI gets exactly the signals we send: one SIGINT to cancel,
// a second one to terminate, and SIGKILL for the whole group (the CLI and any plugin still in it) as the last resort.
// The engine starts its plugins (language host, providers) in process groups of their own and stops them itself.

import { ChildProcess, spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { CommandError, PulumiCommand } from "@pulumi/pulumi/automation";

/** The result shape the Automation API expects from `PulumiCommand.run` (its `CommandResult`). */
interface CommandResult {
    stdout: string;
    stderr: string;
    code: number;
    err?: Error;
}

interface AutomationInternals {
    CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => CommandResult;
    createCommandError: (r: CommandResult) => CommandError;
}

// The Automation API classifies a failed run (stack not found, already exists, locked) with these two; they are
// not in its typings but are the module's exports of the exact version this package pins.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cmdModule = require("@pulumi/pulumi/automation/cmd") as Pick<AutomationInternals, "CommandResult">;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const errorsModule = require("@pulumi/pulumi/automation/errors") as Pick<AutomationInternals, "createCommandError">;

/** {@link CliRunOptions} is one CLI run. */
export interface CliRunOptions {
    readonly cwd?: string;
    readonly env: Readonly<Record<string, string>>;
    readonly signal?: AbortSignal;
    readonly onOutput?: (data: string) => void;
    readonly onError?: (data: string) => void;
}

/** {@link CliProcesses} starts and tracks the Pulumi CLI processes of one orchestrator. */
export class CliProcesses {
    private readonly live = new Set<ChildProcess>();
    private readonly exited = new Set<() => void>();

    /** How many CLI processes are running. */
    get running(): number {
        return this.live.size;
    }

    /** The process ids of the running CLI processes (each is also its process group's id). */
    pids(): number[] {
        return [...this.live].map((p) => p.pid!).filter((p) => p !== undefined);
    }

    /**
     * Runs `command args` in a new process group; resolves to its result, rejects with the Automation API's
     * classified error (`StackNotFoundError`, `ConcurrentUpdateError`, …) when it exits non-zero. An abort of
     * `signal` sends the process one SIGINT: the CLI's graceful cancel.
     */
    run(command: string, args: readonly string[], opts: CliRunOptions): Promise<CommandResult> {
        const fail = (stderr: string, code: number, err?: Error): CommandError =>
            errorsModule.createCommandError(new cmdModule.CommandResult("", stderr, code, err));
        if (opts.signal?.aborted) return Promise.reject(fail("cancelled before it started", -2));
        return new Promise((resolve, reject) => {
            const child = spawn(command, args, {
                cwd: opts.cwd,
                env: { ...process.env, ...opts.env },
                detached: true,
                stdio: ["ignore", "pipe", "pipe"],
            });
            this.live.add(child);
            let stdout = "";
            let stderr = "";
            child.stdout!.setEncoding("utf8").on("data", (d: string) => {
                stdout += d;
                opts.onOutput?.(d);
            });
            child.stderr!.setEncoding("utf8").on("data", (d: string) => {
                stderr += d;
                opts.onError?.(d);
            });
            const onAbort = (): void => {
                if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
            };
            opts.signal?.addEventListener("abort", onAbort, { once: true });
            let spawnError: Error | undefined;
            child.on("error", (e) => (spawnError = e));
            child.on("close", (code, sig) => {
                this.live.delete(child);
                opts.signal?.removeEventListener("abort", onAbort);
                for (const cb of [...this.exited]) cb();
                if (code === 0) {
                    resolve(new cmdModule.CommandResult(stdout, stderr, 0));
                    return;
                }
                const why = sig ? `\nthe Pulumi CLI was stopped by ${sig}` : "";
                const r = new cmdModule.CommandResult(stdout, stderr + why, code ?? -2, spawnError);
                reject(errorsModule.createCommandError(r));
            });
        });
    }

    /** Sends `signal` to every running CLI process (SIGINT: cancel; a second SIGINT: terminate). */
    signalAll(signal: NodeJS.Signals): void {
        for (const pid of this.pids()) {
            try {
                process.kill(pid, signal);
            } catch {
                // already gone
            }
        }
    }

    /** SIGKILLs the process group of every running CLI process (the CLI and whatever still runs in its group). */
    killAll(): void {
        for (const pid of this.pids()) {
            try {
                process.kill(-pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    }

    /** Resolves once no CLI process runs. */
    idle(): Promise<void> {
        if (this.live.size === 0) return Promise.resolve();
        return new Promise((resolve) => {
            const cb = (): void => {
                if (this.live.size) return;
                this.exited.delete(cb);
                resolve();
            };
            this.exited.add(cb);
        });
    }

    /**
     * {@link CliProcesses.command} wraps a `PulumiCommand` so that the Automation API runs the CLI through
     * {@link CliProcesses.run} — its own process group, tracked — instead of in ours. Same arguments, environment
     * and result as the Automation API's own `run` (non-interactive, the CLI's folder first on PATH).
     */
    command(base: PulumiCommand): PulumiCommand {
        const wrapped = Object.create(base) as PulumiCommand & {
            run: (
                args: string[],
                cwd: string,
                env: Record<string, string>,
                onOutput?: (d: string) => void,
                onError?: (d: string) => void,
                signal?: AbortSignal,
            ) => Promise<CommandResult>;
        };
        wrapped.run = (args, cwd, env, onOutput, onError, signal) => {
            const all = args.includes("--non-interactive") ? [...args] : [...args, "--non-interactive"];
            const extra: Record<string, string> = { ...env, PULUMI_AUTOMATION_API: "true" };
            if (path.isAbsolute(base.command)) {
                const sep = os.platform() === "win32" ? ";" : ":";
                extra.PATH = path.dirname(base.command) + sep + (env.PATH || process.env.PATH || "");
            }
            return this.run(base.command, all, { cwd, env: extra, signal, onOutput, onError });
        };
        return wrapped;
    }
}
