// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Retries with exponential backoff and full jitter, bounded by an absolute deadline. Throttling (429, honouring
// Retry-After), server errors (5xx) and connection errors are retried; everything else is returned at once.
// Creates use `createWithoutDuplicates`: before any re-send it looks for the object the lost attempt may have
// made, so a retried create never makes a second object.

import { ApiError, ConflictError, NotFoundError, ThrottledError, isApiError } from "./errors";

/** {@link RetryPolicy} tunes the backoff. All durations are in milliseconds. */
export interface RetryPolicy {
    /** Absolute time (ms since epoch) after which no new attempt starts. */
    readonly deadline: number;
    /**
     * First backoff delay.
     * @default 500
     */
    readonly baseDelayMs?: number;
    /**
     * Largest backoff delay.
     * @default 20000
     */
    readonly maxDelayMs?: number;
    /** Called before each sleep; for logging and tests. */
    readonly onRetry?: (info: { attempt: number; delayMs: number; error: ApiError }) => void;
    /** Random source in [0, 1); injectable for tests. @default Math.random */
    readonly random?: () => number;
}

/** {@link isTransient} is true for the failures worth retrying: 429, 5xx and no response. */
export function isTransient(e: unknown): boolean {
    return isApiError(e) && (e.kind === "throttled" || e.kind === "server" || e.kind === "connection");
}

/** {@link sleep} resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * {@link backoffDelay} is the delay before retry number `attempt` (1-based): full jitter over
 * `min(max, base·2^(attempt-1))`, but never less than the server's `Retry-After`.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, error?: unknown): number {
    const base = policy.baseDelayMs ?? 500;
    const max = policy.maxDelayMs ?? 20_000;
    const cap = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
    const jittered = Math.round((policy.random ?? Math.random)() * cap);
    const floor = error instanceof ThrottledError && error.retryAfterMs !== undefined ? error.retryAfterMs : 0;
    return Math.max(jittered, floor, Math.min(base, 50));
}

/** {@link RetryOptions} chooses which failures {@link withRetry} retries besides the transient ones. */
export interface RetryOptions {
    /** Also retry 409 Conflict (used by deletes: the object is busy). @default false */
    readonly retryConflict?: boolean;
    /** Also retry 404 Not Found (used when waiting for read-after-write visibility). @default false */
    readonly retryNotFound?: boolean;
}

/**
 * {@link withRetry} runs `fn` until it succeeds, fails with a non-retryable error, or the next attempt would
 * start after the deadline (then the last error is thrown, with the number of attempts in its message).
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn();
        } catch (e) {
            const retryable =
                isTransient(e) ||
                (options.retryConflict === true && e instanceof ConflictError) ||
                (options.retryNotFound === true && e instanceof NotFoundError);
            if (!retryable) throw e;
            const delay = backoffDelay(attempt, policy, e);
            if (Date.now() + delay > policy.deadline) throw giveUp(e as ApiError, attempt);
            policy.onRetry?.({ attempt, delayMs: delay, error: e as ApiError });
            await sleep(delay);
        }
    }
}

/**
 * {@link createWithoutDuplicates} sends a create and retries transient failures, but before every re-send it calls
 * `find` to look for the object an earlier attempt may have created (the response may have been lost after the
 * server committed). When `find` returns an object it is used instead of sending again.
 */
export async function createWithoutDuplicates<T>(
    send: () => Promise<T>,
    find: () => Promise<T | undefined>,
    policy: RetryPolicy,
): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        if (attempt > 1) {
            const found = await withRetry(find, policy);
            if (found !== undefined) return found;
        }
        try {
            return await send();
        } catch (e) {
            if (!isTransient(e)) throw e;
            const delay = backoffDelay(attempt, policy, e);
            if (Date.now() + delay > policy.deadline) {
                // One last look: the attempt that failed may still have committed.
                const found = await find().catch(() => undefined);
                if (found !== undefined) return found;
                throw giveUp(e as ApiError, attempt);
            }
            policy.onRetry?.({ attempt, delayMs: delay, error: e as ApiError });
            await sleep(delay);
        }
    }
}

function giveUp(e: ApiError, attempts: number): ApiError {
    if (attempts > 1 && !e.message.includes("attempt")) {
        e.message = `${e.message} Gave up after ${attempts} attempts at the deadline.`;
    }
    return e;
}
