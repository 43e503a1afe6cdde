// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The references of a plan's config values: `${stack.output[.path]}` (another stack's output, an implicit
// dependency), `${env:NAME}` (resolved when the plan is loaded) and `$${...}` (a literal `${`). Finding them,
// substituting the environment, and resolving them against upstream outputs. Pure.

/** {@link ConfigValue} is a config value as written in a plan: JSON-like, strings may hold `${...}` references. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** {@link Reference} is one `${stack.output[.path]}` inside a config value. */
export interface Reference {
    readonly stack: string;
    readonly output: string;
    /** Nested keys inside the output's value. */
    readonly path: readonly string[];
    /** The text as written, `${...}` included. */
    readonly text: string;
}

const REF = /\$(\$)?\{([^}]*)\}/g;

/**
 * Finds the `${stack.output[.path]}` references in a config value (escaped `$${...}` excluded). `${env:NAME}` is
 * not a stack reference and is not returned.
 */
export function findReferences(value: ConfigValue): Reference[] {
    const out: Reference[] = [];
    const visit = (v: ConfigValue): void => {
        if (typeof v === "string") {
            for (const m of v.matchAll(REF)) {
                if (m[1]) continue;
                const body = m[2].trim();
                if (body.startsWith("env:")) continue;
                const parts = body.split(".");
                out.push({ stack: parts[0], output: parts[1] ?? "", path: parts.slice(2), text: m[0] });
            }
        } else if (Array.isArray(v)) v.forEach(visit);
        else if (v && typeof v === "object") Object.values(v).forEach(visit);
    };
    visit(value);
    return out;
}

/** {@link substituteEnv} replaces `${env:NAME}` in every string of a value; unknown names go to `missing`. */
export function substituteEnv(
    value: ConfigValue,
    env: NodeJS.ProcessEnv,
    missing: (name: string) => void,
): ConfigValue {
    if (typeof value === "string") {
        return value.replace(REF, (all, escaped: string | undefined, body: string) => {
            if (escaped) return all;
            const b = body.trim();
            if (!b.startsWith("env:")) return all;
            const name = b.slice(4);
            const v = env[name];
            if (v === undefined) {
                missing(name);
                return all;
            }
            return v;
        });
    }
    if (Array.isArray(value)) return value.map((v) => substituteEnv(v, env, missing));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, missing)]));
    }
    return value;
}

/** Thrown by {@link resolveValue} when an output is missing. */
export class MissingOutputError extends Error {
    constructor(
        readonly reference: Reference,
        readonly available: readonly string[],
    ) {
        super(
            `${reference.text}: stack "${reference.stack}" has no output "${[reference.output, ...reference.path].join(".")}"` +
                (available.length
                    ? ` (its outputs: ${available.join(", ")})`
                    : " (it has no outputs: is it deployed?)"),
        );
        this.name = "MissingOutputError";
    }
}

/** {@link OutputsByStack} maps a plan stack's name to its outputs (`{ value, secret }` as the Automation API gives). */
export type OutputsByStack = Readonly<Record<string, Readonly<Record<string, { value: unknown; secret?: boolean }>>>>;

function lookup(ref: Reference, outputs: OutputsByStack): { value: unknown; secret: boolean } {
    const outs = outputs[ref.stack] ?? {};
    const o = outs[ref.output];
    if (o === undefined) throw new MissingOutputError(ref, Object.keys(outs));
    let v: unknown = o.value;
    for (const k of ref.path) {
        if (v && typeof v === "object" && k in (v as object)) v = (v as Record<string, unknown>)[k];
        else throw new MissingOutputError(ref, Object.keys(outs));
    }
    if (v === undefined || v === null) throw new MissingOutputError(ref, Object.keys(outs));
    return { value: v, secret: !!o.secret };
}

/**
 * Resolves the references of a config value against upstream outputs. A string that is exactly one reference takes
 * the output's value (objects stay objects); references inside longer strings are interpolated; `$${` becomes `${`.
 * `secret` is true when any referenced output is secret.
 */
export function resolveValue(value: ConfigValue, outputs: OutputsByStack): { value: unknown; secret: boolean } {
    let secret = false;
    const visit = (v: ConfigValue): unknown => {
        if (typeof v === "string") {
            const whole = /^\$\{([^}]*)\}$/.exec(v);
            if (whole && !whole[1].trim().startsWith("env:")) {
                const r = lookup(findReferences(v)[0], outputs);
                secret ||= r.secret;
                return r.value;
            }
            return v.replace(REF, (all, escaped: string | undefined, body: string) => {
                if (escaped) return all.slice(1);
                const ref = findReferences(`\${${body}}`)[0];
                if (!ref) return all;
                const r = lookup(ref, outputs);
                secret ||= r.secret;
                return typeof r.value === "string" ? r.value : JSON.stringify(r.value);
            });
        }
        if (Array.isArray(v)) return v.map(visit);
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
        return v;
    };
    const value2 = visit(value);
    return { value: value2, secret };
}

/** Renders a resolved config value as the string `pulumi config set` takes (objects as JSON). */
export function configString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
