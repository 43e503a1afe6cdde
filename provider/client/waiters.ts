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
    /** Poll interval in ms. @default 2000 */
    readonly intervalMs?: number;
    /** Keep polling while `poll` throws {@link NotFoundError} (eventual consistency). @default false */
    readonly tolerateNotFound?: boolean;
    /** Describes what is awaited, for the timeout message, e.g. `VPC vpc-1 to become OK`. */
    readonly what: string;
    /** Describes a value for the timeout message, e.g. its status. */
    readonly describe?: (value: T) => string;
}

/** {@link waitUntil} polls until `done`, `failed`, or the deadline. The first poll happens at once. */
export async function waitUntil<T>(o: WaitOptions<T>): Promise<T> {
    const interval = o.intervalMs ?? 2000;
    let last: T | undefined;
    let seen = false;
    let lastNotFound: NotFoundError | undefined;
    for (;;) {
        try {
            last = await o.poll();
            seen = true;
            lastNotFound = undefined;
            const reason = o.failed?.(last);
            if (reason !== undefined) throw new WaitFailedError(reason, last);
            if (o.done(last)) return last;
        } catch (e) {
            if (!(o.tolerateNotFound === true && e instanceof NotFoundError)) throw e;
            lastNotFound = e;
        }
        if (Date.now() + interval > o.deadline) {
            const observed = lastNotFound
                ? "it was still not found"
                : seen && o.describe !== undefined
                  ? `last seen: ${o.describe(last as T)}`
                  : "no answer yet";
            throw new WaitTimeoutError(`timed out waiting for ${o.what} (${observed})`, seen ? last : undefined);
        }
        await sleep(interval);
    }
}

/** {@link isNotFound} is true for a {@link NotFoundError}. */
export function isNotFound(e: unknown): boolean {
    return isApiError(e) && e.kind === "not-found";
}
