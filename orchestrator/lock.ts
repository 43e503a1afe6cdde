// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// A stack locked by another run: wait for it, bounded (like Terraform's `-lock-timeout`), instead of failing at
// once. The DIY backends (file, S3, PostgreSQL, …) answer "the stack is currently locked by N lock(s)" when another
// `pulumi` holds the stack; the service answers 409 "Another update is currently in progress". Both are retried
// every LOCK_POLL_MS until the lock timeout; a lock left by a killed run is cleared with `peering-stacks unlock`.

/** How long a run waits for a stack locked by another run. */
export const DEFAULT_LOCK_TIMEOUT_MS = 2 * 60_000;
/** How often a locked stack is tried again. */
export const LOCK_POLL_MS = 2_000;

const LOCKED = /the stack is currently locked by|Another update is currently in progress/;

/** {@link isLockedError} tells whether an operation failed because another run holds the stack's lock. */
export function isLockedError(e: unknown): boolean {
    return LOCKED.test(e instanceof Error ? e.message : String(e));
}

/** Who holds the lock, from the backend's message (`user@host (pid 123) at 2026-…`), if it says. */
export function lockHolder(e: unknown): string | undefined {
    const m = /created by (\S+ \(pid \d+\) at \S+)/.exec(e instanceof Error ? e.message : String(e));
    return m?.[1];
}

/** Thrown when a stack stayed locked for the whole lock timeout. */
export class LockTimeoutError extends Error {}

/** {@link LockWaitOptions} configure {@link waitForLock}. */
export interface LockWaitOptions {
    readonly stack: string;
    readonly timeoutMs: number;
    readonly pollMs?: number;
    /** Aborting stops the wait (the last lock error is thrown). */
    readonly signal?: AbortSignal;
    /** Called once, when the first attempt finds the stack locked. */
    readonly onWait: (message: string) => void;
}

/**
 * {@link waitForLock} runs `op`; while it fails because the stack is locked by another run, tries again every
 * `pollMs` until `timeoutMs` has passed, then throws a {@link LockTimeoutError} saying who holds it and how to clear
 * a stale lock. Other errors pass through at once.
 */
export async function waitForLock<T>(op: () => Promise<T>, o: LockWaitOptions): Promise<T> {
    const t0 = Date.now();
    let waited = false;
    for (;;) {
        try {
            return await op();
        } catch (e) {
            if (!isLockedError(e) || o.signal?.aborted) throw e;
            const holder = lockHolder(e);
            const left = o.timeoutMs - (Date.now() - t0);
            if (left <= 0) {
                throw new LockTimeoutError(
                    `the stack is locked by another run${holder ? ` (${holder})` : ""}` +
                        `${o.timeoutMs > 0 ? ` and stayed locked for ${Math.round(o.timeoutMs / 1000)}s (--lock-timeout)` : " (--lock-timeout 0)"}; ` +
                        `if no run is using it any more (a killed or cancelled job), clear the lock with ` +
                        `\`peering-stacks unlock --stack ${o.stack}\``,
                );
            }
            if (!waited) {
                waited = true;
                o.onWait(
                    `waiting for the lock: the stack is locked by another run${holder ? ` (${holder})` : ""}; ` +
                        `trying again every ${Math.round((o.pollMs ?? LOCK_POLL_MS) / 1000)}s for up to ` +
                        `${Math.round(o.timeoutMs / 1000)}s (--lock-timeout)`,
                );
            }
            await delay(Math.min(o.pollMs ?? LOCK_POLL_MS, left), o.signal);
        }
    }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        const t = setTimeout(done, ms);
        function done(): void {
            clearTimeout(t);
            signal?.removeEventListener("abort", done);
            resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
    });
}
