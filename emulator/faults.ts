// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Fault injection, a test hook for client retry logic. A fault matches requests by method and path and
// fires for the next `count` matching requests, in one of three ways:
//
// - answer `status` (429 or 5xx, default 503) without touching the API — "the gateway refused": nothing is
//   written, and a client may retry safely;
// - `dropAfterCommit`: run the request normally (the write is committed), then destroy the connection
//   without an answer — "the response was lost": a client that retries a create must not duplicate it;
// - `errorAfterCommit`: run the request normally (committed), then answer `status` (default 500) instead
//   of the real reply — the same lost-response case, seen as a server error.
//
// Faults are checked in the order they were injected; the first matching one with count left fires.

/** {@link FaultSpec} describes one injected fault. */
export interface FaultSpec {
    /** The HTTP method to match (any case). @default any method */
    readonly method?: string;
    /**
     * What the received path (region prefix included, query excluded) must match: a RegExp, or a string that
     * must occur in the path (e.g. `"/vpc/peerings"` matches create, show, accept...). @default any path
     */
    readonly pathPattern?: string | RegExp;
    /** The status to answer: 429 or 500–599. @default 503, or 500 with `errorAfterCommit` */
    readonly status?: number;
    /** How many matching requests the fault fires for. @default 1 */
    readonly count?: number;
    /** Seconds to put in a `Retry-After` header. @default no header */
    readonly retryAfter?: number;
    /** Run and commit the request, then drop the connection without an answer. */
    readonly dropAfterCommit?: boolean;
    /** Run and commit the request, then answer `status` (default 500) instead of the real reply. */
    readonly errorAfterCommit?: boolean;
}

/** {@link FaultKind} is how a fault fired, as recorded in the request log. */
export type FaultKind = "refused" | "drop-after-commit" | "error-after-commit";

/** {@link FiredFault} is a fault that fired for one request. */
export interface FiredFault {
    readonly id: number;
    readonly kind: FaultKind;
    readonly status: number;
    readonly retryAfter?: number;
}

/** {@link FaultHandle} controls one injected fault. */
export interface FaultHandle {
    readonly id: number;
    /** How many more matching requests it will fire for. */
    remaining(): number;
    /** Stops the fault from firing again. */
    cancel(): void;
}

interface ActiveFault {
    readonly id: number;
    readonly spec: FaultSpec;
    remaining: number;
}

/** {@link FaultInjector} holds the pending faults of one server (`server.faults`). */
export class FaultInjector {
    private readonly active: ActiveFault[] = [];
    private nextId = 1;

    /**
     * {@link FaultInjector.inject} adds a fault for the next `count` matching requests and returns a handle.
     * Throws a `TypeError` for an impossible spec (a status outside 429/5xx, a count below 1, both
     * `dropAfterCommit` and `errorAfterCommit`).
     */
    inject(spec: FaultSpec): FaultHandle {
        const count = spec.count ?? 1;
        if (!Number.isInteger(count) || count < 1)
            throw new TypeError(`fault count must be an integer ≥ 1, not ${count}`);
        if (spec.status !== undefined && !(spec.status === 429 || (spec.status >= 500 && spec.status <= 599))) {
            throw new TypeError(`fault status must be 429 or 500–599, not ${spec.status}`);
        }
        if (spec.dropAfterCommit && spec.errorAfterCommit) {
            throw new TypeError("a fault cannot both drop the connection and answer an error");
        }
        if (spec.retryAfter !== undefined && !(Number.isInteger(spec.retryAfter) && spec.retryAfter >= 0)) {
            throw new TypeError(`retryAfter must be a whole number of seconds, not ${spec.retryAfter}`);
        }
        const fault: ActiveFault = { id: this.nextId++, spec, remaining: count };
        this.active.push(fault);
        return {
            id: fault.id,
            remaining: () => fault.remaining,
            cancel: () => {
                fault.remaining = 0;
                this.prune();
            },
        };
    }

    /** {@link FaultInjector.clear} removes every pending fault. */
    clear(): void {
        this.active.length = 0;
    }

    /** {@link FaultInjector.pending} is how many faults still have count left. */
    pending(): number {
        return this.active.length;
    }

    /** Consumes one firing of the first fault matching the request, if any (used by the server). */
    take(method: string, path: string): FiredFault | undefined {
        for (const f of this.active) {
            if (f.remaining <= 0) continue;
            if (f.spec.method !== undefined && f.spec.method.toUpperCase() !== method) continue;
            const pattern = f.spec.pathPattern;
            if (pattern !== undefined) {
                if (typeof pattern === "string" ? !path.includes(pattern) : !matches(pattern, path)) continue;
            }
            f.remaining--;
            this.prune();
            const kind: FaultKind = f.spec.dropAfterCommit
                ? "drop-after-commit"
                : f.spec.errorAfterCommit
                  ? "error-after-commit"
                  : "refused";
            const status = f.spec.status ?? (kind === "error-after-commit" ? 500 : 503);
            return { id: f.id, kind, status, retryAfter: f.spec.retryAfter };
        }
        return undefined;
    }

    private prune(): void {
        for (let i = this.active.length - 1; i >= 0; i--) if (this.active[i]!.remaining <= 0) this.active.splice(i, 1);
    }
}

function matches(re: RegExp, path: string): boolean {
    re.lastIndex = 0;
    return re.test(path);
}
