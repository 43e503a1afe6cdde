// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The one duration grammar of the project: resource `timeouts`, stack config `vpcpeering:timeouts`, the
// `VPCPEERING_*` duration variables, Pulumi's `customTimeouts` and the API server's `--…-ttl`/`--…-delay` flags
// all go through {@link parseDuration}.
//
// Grammar: Pulumi's `customTimeouts` strings are Go durations (`time.ParseDuration`: "90s", "1h30m", "1.5h"), so
// that is the grammar, plus the day unit `d` (peering requests live 7 days) and a bare whole number meaning
// milliseconds. Strict on purpose: no sign, no spaces, no unknown units, no trailing digits without a unit. The
// npm parsers we tried are lax where a typo should be an error (`parse-duration` reads "5m3" as 5 m 3 ms and
// "1,5s" as 15 s; `ms` rejects "1h30m"), and a typo in a timeout should never turn into a silent default.
//
//   duration := "0" | digits | (number unit)+
//   number   := digits ["." digits] | "." digits
//   unit     := "ns" | "us" | "µs" | "ms" | "s" | "m" | "h" | "d"

const UNIT_MS: Readonly<Record<string, number>> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/** {@link DURATION_EXAMPLES} is how messages describe a valid duration. */
export const DURATION_EXAMPLES = '"250ms", "90s", "10m", "1h30m" or "7d" (a bare number is milliseconds)';

/** {@link DurationError} is a malformed duration; its message names the setting and shows valid examples. */
export class DurationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DurationError";
    }
}

/**
 * {@link parseDuration} returns the milliseconds of a duration (see the grammar above), rounded to a whole
 * millisecond, or `undefined` when `text` is not one. A number is taken as milliseconds when finite and ≥ 0.
 */
export function parseDuration(text: string | number): number | undefined {
    if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? Math.round(text) : undefined;
    if (/^\d+$/.test(text)) return Number(text);
    if (text === "") return undefined;
    let total = 0;
    TERM.lastIndex = 0;
    while (TERM.lastIndex < text.length) {
        const at = TERM.lastIndex;
        const m = TERM.exec(text);
        if (!m || m.index !== at) return undefined;
        total += Number(m[1]) * UNIT_MS[m[2]!]!;
    }
    return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * {@link requireDuration} is {@link parseDuration} for a named setting: it throws a {@link DurationError} naming
 * `setting` (a flag, a variable, a config key) when the value is malformed.
 */
export function requireDuration(setting: string, text: string | number): number {
    const ms = parseDuration(text);
    if (ms === undefined) {
        throw new DurationError(
            `${setting} must be a duration like ${DURATION_EXAMPLES} (got ${JSON.stringify(text)})`,
        );
    }
    return ms;
}
