// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The skeleton every resource provider shares, written once: a provider is a {@link ResourceSpec} — declarative key
// lists (the inputs it takes, which replace on change, which update in place, which only feed the preview checks,
// which are trimmed, which make the replacement delete first) in the spirit of Terraform's plan modifiers — plus
// its API-specific rule facts, create, read, update and delete. {@link defineResource} turns a spec into the
// `pulumi.dynamic.ResourceProvider`: `check` (normalise, validate, rules), `diff` from the key lists, error context
// on every operation, the client of the resource's account, refresh's "gone" and inputs, and the provider code
// kept with a half-succeeded create's outputs.

import type * as pulumi from "@pulumi/pulumi";

import { ApiClient } from "../client/client";
import { ConfigureRequestLike, Timeouts, clientFor, configure } from "../config";
import { DeclaredFacts, readChecks } from "../../core/checksPayload";
import { CheckOutcome, SubjectKind, Suppression } from "../../core/rules";
import {
    CheckFailure,
    ResourceInitError,
    changedKeys,
    checkSuppressions,
    checkTimeouts,
    containsUnknown,
    dropUndefined,
    finishCheck,
    knownString,
    pick,
    readClient,
    trimString,
    valuesEqual,
    withContext,
} from "./common";
import { applyAutoName } from "./naming";

/** {@link CommonInputs} are the inputs every resource takes besides its own. */
export interface CommonInputs {
    /** The region, e.g. `ap-southeast-1`. */
    region: string;
    /** The account profile the provider calls the API as. */
    account: string;
    /** Per-operation timeouts (`"10m"`). */
    timeouts?: Timeouts;
    /** Rule suppressions (`[{rule, reason}]`), reported as warnings. */
    suppressRules?: Suppression[];
    /** Internal: the Pulumi resource name (for messages). */
    __resourceName?: string;
    /** Internal: the program-wide check payload. */
    __checks?: unknown;
}

/**
 * {@link SHARED_SETTINGS} are inputs every resource takes, validated here and changed in place: settings of the
 * provider, never of the API object.
 */
export const SHARED_SETTINGS = ["timeouts", "suppressRules"] as const;

/**
 * {@link INTERNAL_KEYS} are inputs that are not part of the resource: never diffed. `__provider` (the provider code,
 * put there by Pulumi) is also kept out of the outputs, which the provider host adds it to itself.
 */
export const INTERNAL_KEYS = ["__provider", "__resourceName", "__autoNamed", "__checks"] as const;

/** {@link Label} names a resource in messages: `Kind 'name'`. */
export type Label = (inputs: object, id?: string) => string;

/**
 * {@link resourceLabel} is the label of a `kind`: its Pulumi resource name, else the value of `fallbackKey` (its API
 * name, a route's destination), else its id.
 */
export function resourceLabel(kind: SubjectKind, fallbackKey?: string): Label {
    return (i, id) => {
        const v = i as Record<string, unknown>;
        const fallback = fallbackKey !== undefined ? knownString(v[fallbackKey]) : undefined;
        return `${kind} '${knownString(v.__resourceName) ?? fallback ?? id ?? "?"}'`;
    };
}

/** {@link Validator} checks one input's value (it decides itself what unknown and `undefined` mean). */
export type Validator = (value: unknown, property: string) => CheckFailure[];

/** {@link OperationContext} is what create, update and delete get besides their inputs. */
export interface OperationContext {
    /** The client of the resource's account and region for this operation (made on first use). */
    readonly client: () => ApiClient;
}

/** {@link ReadContext} is what read gets: the client of the account and region recorded in the state. */
export interface ReadContext {
    readonly client: ApiClient;
    readonly region: string;
    readonly account: string;
}

/** {@link RuleFacts} are one resource's facts for the rules, after its inputs and lookups completed the program's. */
export interface RuleFacts<F> {
    readonly facts: F;
    /** The rules' outcome over `facts` when it is more than {@link RuleSpec.check} of them (table rules). */
    readonly completed?: CheckOutcome;
}

/** {@link RuleSpec} says how a resource's `check` runs the rules after its inputs are valid enough. */
export interface RuleSpec<I, K extends keyof DeclaredFacts> {
    /** Which of the program's facts (the `__checks` payload) are this resource's. */
    readonly facts: K;
    /** The rules of one resource of this kind over its facts. */
    readonly check: (facts: NonNullable<DeclaredFacts[K]>) => CheckOutcome;
    /** Rule property names → this resource's input names (`accepterVpc` → `accepterVpcId`). */
    readonly propertyMap?: Readonly<Record<string, string>>;
    /** The name the rules give the resource (its Pulumi resource name, else a stand-in). */
    readonly subjectName: (inputs: I) => string;
    /**
     * Completes the program's facts (`given`, undefined without a payload) from the inputs and read-only lookups;
     * `failures` are the input failures so far (lookups are pointless when there are some).
     */
    readonly complete: (
        inputs: I,
        ctx: {
            readonly olds: Partial<I>;
            readonly name: string;
            readonly given: DeclaredFacts[K];
            readonly failures: readonly CheckFailure[];
        },
    ) => Promise<RuleFacts<NonNullable<DeclaredFacts[K]>>> | RuleFacts<NonNullable<DeclaredFacts[K]>>;
}

/** {@link InputKey} is the name of one of a resource's own inputs. */
export type InputKey<I> =
    Exclude<keyof I & string, keyof CommonInputs | (typeof INTERNAL_KEYS)[number]> | "region" | "account";

/**
 * {@link ResourceSpec} describes one resource kind. Every key of `inputs` is in exactly one of `replaceOnChange`,
 * `updateInPlace` and `checkOnly` ({@link defineResource} refuses a spec where it is not).
 */
export interface ResourceSpec<I extends CommonInputs, O extends I, K extends keyof DeclaredFacts> {
    readonly kind: SubjectKind;
    readonly label: Label;
    /** What read calls the API object in messages (`VPC`, `peering`, `route`). */
    readonly noun: string;
    /** The resource's own inputs, in order (besides {@link SHARED_SETTINGS} and {@link INTERNAL_KEYS}). */
    readonly inputs: readonly InputKey<I>[];
    /** Inputs whose change replaces the object (a changed or unknown value). */
    readonly replaceOnChange: readonly InputKey<I>[];
    /** Inputs whose change updates the object in place. */
    readonly updateInPlace: readonly InputKey<I>[];
    /** Inputs that only feed the preview checks: their change is no change. */
    readonly checkOnly?: readonly InputKey<I>[];
    /**
     * When given, a replacement deletes the old object first if all these inputs are known and the same (a nested
     * list: the same values in any order): the API keeps them unique, so the new object could not exist beside the
     * old one. Without it, the replacement is created first.
     */
    readonly deleteBeforeReplaceWhenSame?: readonly (InputKey<I> | readonly InputKey<I>[])[];
    /** Inputs whose known string value is trimmed in `check`. */
    readonly trim?: readonly InputKey<I>[];
    /** Normalises the inputs in `check`, after trimming (in place). */
    readonly normalise?: (inputs: I, olds: Partial<I>) => void;
    /** Without a `name`, the name is generated once and kept (naming.ts); adds the `__autoNamed` input. */
    readonly autoName?: boolean;
    /** One validator per input, run in this order (then those of the shared settings). */
    readonly validate: Readonly<Partial<Record<InputKey<I>, Validator>>>;
    /** Inputs that must be given: the reason when one is `undefined`. */
    readonly required?: Readonly<Partial<Record<InputKey<I>, string>>>;
    /** Failures of inputs the rules cannot run without: when there are some, `check` stops before the rules. */
    readonly rulesNeed?: (inputs: I) => CheckFailure[];
    readonly rules: RuleSpec<I, K>;
    /** Creates (or adopts) the object. A {@link ResourceInitError} reports one that exists but is not usable. */
    readonly create: (inputs: I, ctx: OperationContext) => Promise<{ id: string; outs: O }>;
    /** Reads the object on refresh: its outputs, or `undefined` when it is gone. */
    readonly read: (id: string, props: Partial<O>, ctx: ReadContext) => Promise<O | undefined>;
    /** Updates the object in place (`diff` found only `updateInPlace` changes). */
    readonly update: (id: string, olds: O, news: I, ctx: OperationContext) => Promise<O>;
    /** Deletes the object (or leaves it, when the resource says so). */
    readonly delete: (id: string, props: O, ctx: OperationContext) => Promise<void>;
}

/** {@link inputKeysOf} lists every input a spec's resource takes: its own, the shared settings, the internal keys. */
export function inputKeysOf(
    spec: Pick<ResourceSpec<CommonInputs, CommonInputs, never>, "inputs" | "autoName">,
): string[] {
    return [
        ...spec.inputs,
        ...SHARED_SETTINGS,
        "__resourceName",
        ...(spec.autoName ? ["__autoNamed"] : []),
        "__checks",
    ];
}

/** {@link specProblems} lists what is inconsistent in a spec's key lists (empty when it is sound). */
export function specProblems(spec: ResourceSpec<CommonInputs, CommonInputs, never>): string[] {
    const inputs = new Set<string>(spec.inputs);
    const problems: string[] = [];
    for (const k of spec.inputs) {
        const lists = [spec.replaceOnChange, spec.updateInPlace, spec.checkOnly ?? []].filter((l) => l.includes(k));
        if (lists.length !== 1) {
            problems.push(`input ${k} is in ${lists.length} of replaceOnChange, updateInPlace and checkOnly (not 1)`);
        }
    }
    const listed = {
        replaceOnChange: spec.replaceOnChange,
        updateInPlace: spec.updateInPlace,
        checkOnly: spec.checkOnly ?? [],
        trim: spec.trim ?? [],
        deleteBeforeReplaceWhenSame: (spec.deleteBeforeReplaceWhenSame ?? []).flat(),
        validate: Object.keys(spec.validate),
        required: Object.keys(spec.required ?? {}),
    };
    for (const [list, keys] of Object.entries(listed)) {
        for (const k of keys) if (!inputs.has(k)) problems.push(`${list} names ${k}, which is not an input`);
    }
    return problems;
}

/**
 * {@link outputsOf} is a resource's outputs: its inputs plus what the API computed, without the provider code (the
 * host adds it) and without the program's check payload — it only feeds `check`, which reads the new inputs, and
 * the engine writes every output into each checkpoint of every later operation.
 */
export function outputsOf<O>(inputs: object, computed: object): O {
    const rest: Record<string, unknown> = { ...inputs };
    delete rest.__provider;
    delete rest.__checks;
    return dropUndefined({ ...rest, ...computed }) as O;
}

/**
 * {@link diffInputs} is the diff of a spec's key lists: replaced when a `replaceOnChange` input changed (or is
 * unknown), a change when an `updateInPlace` input or a shared setting did; internal and check-only inputs never
 * count.
 */
export function diffInputs(
    spec: Pick<
        ResourceSpec<CommonInputs, CommonInputs, never>,
        "replaceOnChange" | "updateInPlace" | "deleteBeforeReplaceWhenSame"
    >,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): pulumi.dynamic.DiffResult {
    const replaces = changedKeys(olds, news, spec.replaceOnChange);
    const updates = changedKeys(olds, news, [...spec.updateInPlace, ...SHARED_SETTINGS]);
    const same = spec.deleteBeforeReplaceWhenSame;
    return {
        changes: replaces.length > 0 || updates.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && same !== undefined && same.every((k) => unchanged(olds, news, k)),
    };
}

/** Whether an input (or a group of inputs, in any order) is known and the same in the old outputs and new inputs. */
function unchanged(olds: Record<string, unknown>, news: Record<string, unknown>, key: string | readonly string[]) {
    if (typeof key === "string") return changedKeys(olds, news, [key]).length === 0;
    if (key.some((k) => containsUnknown(news[k]))) return false;
    const values = (o: Record<string, unknown>) => key.map((k) => o[k] ?? "").sort();
    return valuesEqual(values(olds), values(news));
}

/**
 * {@link defineResource} turns a {@link ResourceSpec} into its dynamic provider. Throws when the spec's key lists
 * are inconsistent ({@link specProblems}).
 */
export function defineResource<I extends CommonInputs, O extends I, K extends keyof DeclaredFacts>(
    spec: ResourceSpec<I, O, K>,
): pulumi.dynamic.ResourceProvider<I, O> {
    const problems = specProblems(spec as never);
    if (problems.length > 0) throw new Error(`${spec.kind}: ${problems.join("; ")}`);
    const inputKeys = inputKeysOf(spec as never);
    const { label } = spec;
    const context = (op: "create" | "update" | "delete", x: CommonInputs): OperationContext => {
        let client: ApiClient | undefined;
        return {
            client: () => (client ??= clientFor({ account: x.account, region: x.region, op, timeouts: x.timeouts })),
        };
    };
    return {
        async configure(req: ConfigureRequestLike) {
            configure(req);
        },

        async check(olds, news) {
            const inputs = { ...news } as I;
            const record = inputs as unknown as Record<string, unknown>;
            for (const k of spec.trim ?? []) record[k] = trimString(record[k]);
            spec.normalise?.(inputs, olds);
            if (spec.autoName) applyAutoName(inputs as never, olds as never);
            const failures: CheckFailure[] = [];
            for (const [k, validate] of Object.entries(spec.validate) as [string, Validator][]) {
                failures.push(...validate(record[k], k));
            }
            failures.push(...checkTimeouts(inputs.timeouts), ...checkSuppressions(inputs.suppressRules));
            for (const [k, reason] of Object.entries(spec.required ?? {}) as [string, string][]) {
                if (record[k] === undefined) failures.push({ property: k, reason });
            }
            const missing = spec.rulesNeed?.(inputs) ?? [];
            if (missing.length > 0) return { inputs: dropUndefined(inputs), failures: [...failures, ...missing] };
            const rules = spec.rules;
            const name = rules.subjectName(inputs);
            const program = readChecks(inputs.__checks);
            const given = (program.ran ? program.facts[rules.facts] : undefined) as DeclaredFacts[K];
            const { facts, completed } = await rules.complete(inputs, { olds, name, given, failures });
            const all = finishCheck({
                subject: { kind: spec.kind, name, label: label(inputs) },
                inputs,
                inputFailures: failures,
                given: given ? rules.check(given) : undefined,
                completed: completed ?? rules.check(facts),
                facts: { [rules.facts]: facts },
                propertyMap: rules.propertyMap,
            });
            return { inputs: dropUndefined(inputs), failures: all };
        },

        async diff(_id, olds, news) {
            return diffInputs(spec as never, olds as never, news as never);
        },

        async create(inputs) {
            return withContext(`creating ${label(inputs)}`, async () => {
                try {
                    return await spec.create(inputs, context("create", inputs));
                } catch (e) {
                    // The host records the properties of a half-made object as its outputs: with the code.
                    const code = (inputs as { __provider?: unknown }).__provider;
                    if (e instanceof ResourceInitError && code !== undefined) e.properties.__provider = code;
                    throw e;
                }
            });
        },

        async read(id, props) {
            const p = (props ?? {}) as Partial<O>;
            return withContext(`reading ${label(p, id)}`, async () => {
                const { client, region, account } = readClient(`${spec.noun} ${id}`, spec.kind, p);
                const outs = await spec.read(id, p, { client, region, account });
                if (outs === undefined) return { id: "" };
                return { id, props: outs, inputs: pick<O>(outs as never, inputKeys) };
            });
        },

        async update(id, olds, news) {
            return withContext(`updating ${label(news, id)}`, async () => ({
                outs: await spec.update(id, olds, news, context("update", news)),
            }));
        },

        async delete(id, props) {
            await withContext(`deleting ${label(props, id)}`, () => spec.delete(id, props, context("delete", props)));
        },
    };
}
