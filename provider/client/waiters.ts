// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Polling waiters: VPC until OK, peering until PENDING_ACCEPTANCE/ACTIVE (requester) or ACTIVE (accepter), and
// "until visible" for read-after-write and for the accepter race (reference: peers-and-user-needs.md §4.4).

import { NotFoundError, isApiError } from "./errors";
import { sleep } from "./retry";

/** {@link WaitTimeoutError} is thrown when a waiter reaches its deadline; `last` is the last observed value. */
export class WaitTimeoutError<T = unknown> extends Error {
    /** The last value polled, if any. */
    readonly last?: T;
    constructor(message: string, last?: T) {
        super(message);
        this.name = "WaitTimeoutError";
        this.last = last;
    }
}

/** {@link WaitFailedError} is thrown when the polled object reaches a state it cannot recover from. */
export class WaitFailedError<T = unknown> extends Error {
    /** The value that failed. */
    readonly last: T;
    constructor(message: string, last: T) {
        super(message);
        this.name = "WaitFailedError";
        this.last = last;
    }
}

/** {@link WaitOptions} configures {@link waitUntil}. */
export interface WaitOptions<T> {
    /** Reads the current value. */
    readonly poll: () => Promise<T>;
    /** True when the wait is over. */
    readonly done: (value: T) => boolean;
    /** Returns a reason when the value can never become done (the waiter throws {@link WaitFailedError}). */
    readonly failed?: (value: T) => string | undefined;
    /** Absolute deadline in ms since epoch. */
    readonly deadline: number;
    /**
     * The longest wait between two polls, in ms. The first waits are shorter (see {@link pollDelays}): an object that
     * is ready soon is seen soon, one that takes long is not polled more often than this.
     * @default 2000
     */
    readonly intervalMs?: number;
    /**
     * A value already observed (typically the answer to the create or update call). When given, it is judged first
     * and the first poll waits one delay; when it is already done, the waiter returns it without a read.
     */
    readonly initial?: T;
    /** Keep polling while `poll` throws {@link NotFoundError} (eventual consistency). @default false */
    readonly tolerateNotFound?: boolean;
    /** Describes what is awaited, for the timeout message, e.g. `VPC vpc-1 to become OK`. */
    readonly what: string;
    /** Describes a value for the timeout message, e.g. its status. */
    readonly describe?: (value: T) => string;
}

/**
 * {@link pollDelays} are the waits between polls: an eighth of the interval, doubling up to the interval
 * (2 s → 250 ms, 500 ms, 1 s, 2 s, 2 s, ...), so an object ready after 300 ms is seen after 750 ms and two reads,
 * not after 2 s, while a long wait settles at one read per interval.
 */
export function* pollDelays(intervalMs: number): Generator<number, never> {
    let delay = intervalMs / 8;
    for (;;) {
        yield delay;
        delay = Math.min(intervalMs, delay * 2);
    }
}

/**
 * {@link waitUntil} polls until `done`, `failed`, or the deadline. The first poll happens at once, unless an
 * `initial` value stands for it; later polls back off (see {@link pollDelays}).
 */
export async function waitUntil<T>(o: WaitOptions<T>): Promise<T> {
    const delays = pollDelays(o.intervalMs ?? 2000);
    let last: T | undefined;
    let seen = false;
    let lastNotFound: NotFoundError | undefined;
    let useInitial = o.initial !== undefined;
    for (;;) {
        try {
            last = useInitial ? o.initial! : await o.poll();
            useInitial = false;
            seen = true;
            lastNotFound = undefined;
            const reason = o.failed?.(last);
            if (reason !== undefined) throw new WaitFailedError(reason, last);
            if (o.done(last)) return last;
        } catch (e) {
            if (!(o.tolerateNotFound === true && e instanceof NotFoundError)) throw e;
            lastNotFound = e;
        }
        const delay = delays.next().value;
        if (Date.now() + delay > o.deadline) {
            const observed = lastNotFound
                ? "it was still not found"
                : seen && o.describe !== undefined
                  ? `last seen: ${o.describe(last as T)}`
                  : "no answer yet";
            throw new WaitTimeoutError(`timed out waiting for ${o.what} (${observed})`, seen ? last : undefined);
        }
        await sleep(delay);
    }
}

/** {@link isNotFound} is true for a {@link NotFoundError}. */
export function isNotFound(e: unknown): boolean {
    return isApiError(e) && e.kind === "not-found";
}
