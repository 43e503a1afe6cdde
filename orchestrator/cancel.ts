// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// SIGINT/SIGTERM for `peering-stacks up/preview/destroy/refresh`, the way the Pulumi CLI itself treats them:
// - the first signal cancels: no new stack starts, and each running operation gets one SIGINT — the engine
//   finishes its in-flight steps, saves the state and releases the stack's lock; the run then ends with its summary
//   (what finished, what was cancelled, what did not start) and exit code 128 + signal (130, 143);
// - a second signal, or the grace period running out, forces: a second SIGINT makes the CLIs terminate at once,
//   and whatever still runs after FORCE_KILL_MS is SIGKILLed with its process group.

/** How long running operations may take to finish after the first signal before the stop is forced. */
export const CANCEL_GRACE_MS = 120_000;
/** How long a forced CLI gets to exit before its process group is SIGKILLed. */
export const FORCE_KILL_MS = 10_000;

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
type CancelSignal = (typeof SIGNALS)[number];

/** What {@link Cancellation} does to the running operations. */
export interface CancelTarget {
    /** Sends a signal to every running CLI process. */
    signalAll(signal: NodeJS.Signals): void;
    /** SIGKILLs every running CLI process group. */
    killAll(): void;
    /** How many CLI processes still run. */
    readonly running: number;
}

/** {@link CancellationOptions} configure a {@link Cancellation}. */
export interface CancellationOptions {
    readonly log: (line: string) => void;
    readonly graceMs?: number;
    readonly forceKillMs?: number;
}

/** {@link Cancellation} turns SIGINT/SIGTERM into an abort of one run (see the file comment). */
export class Cancellation {
    private readonly controller = new AbortController();
    private readonly handlers = new Map<CancelSignal, () => void>();
    private readonly timers: NodeJS.Timeout[] = [];
    private target?: CancelTarget;
    /** The first signal received, if any. */
    received?: CancelSignal;
    /** True once the stop was forced. */
    forced = false;

    constructor(private readonly opts: CancellationOptions) {}

    /** Aborted at the first signal: pass it to the orchestrator. */
    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** The exit code of a cancelled run: 128 + the signal's number. */
    get exitCode(): number {
        return this.received === "SIGTERM" ? 143 : 130;
    }

    /** Listens for SIGINT and SIGTERM (replacing Node's default exit) until {@link Cancellation.uninstall}. */
    install(target: CancelTarget): this {
        this.target = target;
        for (const sig of SIGNALS) {
            const h = (): void => this.onSignal(sig);
            this.handlers.set(sig, h);
            process.on(sig, h);
        }
        return this;
    }

    /** Stops listening and clears the timers. */
    uninstall(): void {
        for (const [sig, h] of this.handlers) process.off(sig, h);
        this.handlers.clear();
        for (const t of this.timers) clearTimeout(t);
    }

    private onSignal(sig: CancelSignal): void {
        if (!this.received) {
            this.received = sig;
            this.opts.log(
                `peering-stacks: ${sig} received: cancelling — no new stack starts; running operations finish their ` +
                    `in-flight steps and release their locks (waiting up to ${Math.round((this.opts.graceMs ?? CANCEL_GRACE_MS) / 1000)}s; ` +
                    `send ${sig} again to stop at once)`,
            );
            this.controller.abort(sig);
            const t = setTimeout(
                () => this.force("the running operations did not finish in time"),
                this.opts.graceMs ?? CANCEL_GRACE_MS,
            );
            t.unref();
            this.timers.push(t);
        } else this.force(`${sig} received again`);
    }

    private force(why: string): void {
        if (this.forced) return;
        this.forced = true;
        const running = this.target?.running ?? 0;
        this.opts.log(
            `peering-stacks: ${why}: stopping at once${running ? ` (${running} Pulumi CLI process${running === 1 ? "" : "es"})` : ""}; ` +
                "a stack stopped mid-update may keep its lock — clear it with `peering-stacks unlock --stack NAME`",
        );
        this.target?.signalAll("SIGINT");
        const t = setTimeout(() => this.target?.killAll(), this.opts.forceKillMs ?? FORCE_KILL_MS);
        t.unref();
        this.timers.push(t);
    }
}
