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
//
// Besides these targeted faults, a *fault profile* (`--faults rate=0.1,seed=7` on the CLI, the
// `PEERING_API_FAULTS` environment variable, or `ServerOptions.faults`) fires random faults into the
// server's own traffic, for soak runs: a seeded share of requests gets a 5xx, a 429 with Retry-After, a
// connection reset before or after the commit, or added latency.

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
    /** Drop the connection without running the request (a reset before the commit: nothing is written). */
    readonly dropBeforeCommit?: boolean;
}

/** {@link FaultKind} is how a fault fired, as recorded in the request log. */
export type FaultKind = "refused" | "drop-before-commit" | "drop-after-commit" | "error-after-commit" | "delay";

/** {@link FiredFault} is a fault that fired for one request. */
export interface FiredFault {
    /** The handle id of a targeted fault; 0 for one fired by the fault profile. */
    readonly id: number;
    readonly kind: FaultKind;
    readonly status: number;
    readonly retryAfter?: number;
    /** For `delay`: how long the request is held before it runs normally. */
    readonly delayMs?: number;
}

/** {@link ProfileFault} is a kind of random fault a {@link FaultProfile} fires. */
export type ProfileFault = "error" | "throttle" | "reset-before" | "reset-after" | "latency";

/** {@link PROFILE_FAULTS} lists every {@link ProfileFault}. */
export const PROFILE_FAULTS: readonly ProfileFault[] = ["error", "throttle", "reset-before", "reset-after", "latency"];

/** {@link FaultProfile} fires random faults into a share of all requests, reproducibly from a seed. */
export interface FaultProfile {
    /** The share of requests that get a fault, 0–1. */
    readonly rate: number;
    /** The seed of the pseudo-random sequence (the same seed and traffic give the same faults). */
    readonly seed: number;
    /** Which faults, each equally likely. @default all of {@link PROFILE_FAULTS} */
    readonly kinds?: readonly ProfileFault[];
    /** The largest added latency (uniform from 0). @default 200 */
    readonly maxLatencyMs?: number;
    /** The Retry-After of a 429, in seconds. @default 1 */
    readonly retryAfterSeconds?: number;
}

/** {@link FaultProfileError} is a fault profile text that cannot be read. */
export class FaultProfileError extends Error {}

/**
 * {@link parseFaultProfile} reads the text form of a {@link FaultProfile}, comma-separated `key=value` pairs:
 * `rate=0.1,seed=7[,kinds=error+throttle+reset-before+reset-after+latency][,latency=200][,retry-after=1]`
 * (`latency` in milliseconds). The one reader of the format, for the CLI flag and the environment variable.
 */
export function parseFaultProfile(text: string): FaultProfile {
    const values = new Map<string, string>();
    for (const part of text.split(",")) {
        const eq = part.indexOf("=");
        if (eq <= 0) throw new FaultProfileError(`fault profile part ${JSON.stringify(part)} is not key=value`);
        values.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const number = (key: string, min: number, max: number): number | undefined => {
        const raw = values.get(key);
        values.delete(key);
        if (raw === undefined) return undefined;
        const n = Number(raw);
        if (raw === "" || !Number.isFinite(n) || n < min || n > max) {
            throw new FaultProfileError(
                `fault profile ${key} must be a number from ${min} to ${max}, not ${JSON.stringify(raw)}`,
            );
        }
        return n;
    };
    const rate = number("rate", 0, 1);
    if (rate === undefined) throw new FaultProfileError("a fault profile needs rate=<0–1>");
    const seed = number("seed", 0, 2 ** 32 - 1) ?? 1;
    const maxLatencyMs = number("latency", 0, 60_000);
    const retryAfterSeconds = number("retry-after", 0, 3600);
    const rawKinds = values.get("kinds");
    values.delete("kinds");
    const kinds = rawKinds?.split("+").map((k) => k.trim());
    for (const k of kinds ?? []) {
        if (!PROFILE_FAULTS.includes(k as ProfileFault)) {
            throw new FaultProfileError(`fault kind ${JSON.stringify(k)} is not one of ${PROFILE_FAULTS.join(", ")}`);
        }
    }
    if (values.size > 0) {
        throw new FaultProfileError(
            `unknown fault profile key(s): ${[...values.keys()].join(", ")} (use rate, seed, kinds, latency, retry-after)`,
        );
    }
    return { rate, seed, kinds: kinds as ProfileFault[] | undefined, maxLatencyMs, retryAfterSeconds };
}

/** {@link seededRandom} is mulberry32: a small seeded PRNG, uniform in [0, 1) (the same sequence for a seed). */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
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
    private profile?: { readonly spec: FaultProfile; readonly random: () => number };
    private readonly firedByProfile = new Map<ProfileFault, number>();

    /**
     * {@link FaultInjector.useProfile} starts firing random faults by `profile` (replacing any earlier one and
     * resetting {@link FaultInjector.profileCounts}); `undefined` stops. Targeted faults still fire first.
     */
    useProfile(profile: FaultProfile | undefined): void {
        this.firedByProfile.clear();
        if (!profile) {
            this.profile = undefined;
            return;
        }
        if (!(profile.rate >= 0 && profile.rate <= 1))
            throw new TypeError(`fault rate must be 0–1, not ${profile.rate}`);
        if (profile.kinds !== undefined && profile.kinds.length === 0)
            throw new TypeError("a fault profile needs a kind");
        this.profile = { spec: profile, random: seededRandom(profile.seed) };
    }

    /** {@link FaultInjector.profileCounts} is how many faults of each kind the profile has fired. */
    profileCounts(): Record<ProfileFault, number> {
        return Object.fromEntries(PROFILE_FAULTS.map((k) => [k, this.firedByProfile.get(k) ?? 0])) as Record<
            ProfileFault,
            number
        >;
    }

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
        if ([spec.dropAfterCommit, spec.errorAfterCommit, spec.dropBeforeCommit].filter(Boolean).length > 1) {
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
                  : f.spec.dropBeforeCommit
                    ? "drop-before-commit"
                    : "refused";
            const status = f.spec.status ?? (kind === "error-after-commit" ? 500 : 503);
            return { id: f.id, kind, status, retryAfter: f.spec.retryAfter };
        }
        return this.fromProfile();
    }

    private fromProfile(): FiredFault | undefined {
        const p = this.profile;
        if (!p || p.random() >= p.spec.rate) return undefined;
        const kinds = p.spec.kinds ?? PROFILE_FAULTS;
        const kind = kinds[Math.min(kinds.length - 1, Math.floor(p.random() * kinds.length))]!;
        this.firedByProfile.set(kind, (this.firedByProfile.get(kind) ?? 0) + 1);
        switch (kind) {
            case "error":
                return { id: 0, kind: "refused", status: [500, 502, 503][Math.floor(p.random() * 3)]! };
            case "throttle":
                return { id: 0, kind: "refused", status: 429, retryAfter: p.spec.retryAfterSeconds ?? 1 };
            case "reset-before":
                return { id: 0, kind: "drop-before-commit", status: 0 };
            case "reset-after":
                return { id: 0, kind: "drop-after-commit", status: 0 };
            case "latency":
                return {
                    id: 0,
                    kind: "delay",
                    status: 0,
                    delayMs: Math.round(p.random() * (p.spec.maxLatencyMs ?? 200)),
                };
        }
    }

    private prune(): void {
        for (let i = this.active.length - 1; i >= 0; i--) if (this.active[i]!.remaining <= 0) this.active.splice(i, 1);
    }
}

function matches(re: RegExp, path: string): boolean {
    re.lastIndex = 0;
    return re.test(path);
}
