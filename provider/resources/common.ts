// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Longer than ~400 lines: three small sections (input checks, rules → check failures, errors with context) that
// every provider and define.ts import together; split them when one grows.
//
// Helpers shared by the four resource providers: the unknown sentinel, common input checks, rule outcomes → check
// failures, the "created but not ready" error, and messages with resource context. (The internal input keys are
// define.ts's INTERNAL_KEYS.)

import type * as pulumi from "@pulumi/pulumi";

import { checksDisabled } from "./lookups";
import {
    CheckOutcome,
    Deferred,
    PeeringFacts,
    SubjectKind,
    Suppression,
    Violation,
    VpcFacts,
    applySuppressions,
    validateSuppressions,
    violationKey,
} from "../../core/rules";
import { ApiClient } from "../client/client";
import { NotFoundError } from "../client/errors";
import { ConfigError, Timeouts, clientFor, findProfile, profileSources } from "../config";
import { DURATION_EXAMPLES, parseDuration } from "../../core/duration";
import { DeclaredFacts, SuppressedViolation, readChecks } from "../../core/checksPayload";
import { isPlaceholder, UNKNOWN, writeCheckRecord } from "../../core/checkReport";
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_TEXT, descriptionProblem, nameProblem } from "../../core/text";

/** {@link UNKNOWN} is the value Pulumi sends for inputs not known during preview (the kernel's one constant). */
export { UNKNOWN };

/** {@link CheckFailure} is one failure returned by `check`. */
export type CheckFailure = pulumi.dynamic.CheckFailure;

/**
 * {@link isUnknown} is true for the unknown sentinel, and for an orchestrator placeholder (the output of an upstream
 * stack that is not deployed yet: unknown until that stack is up).
 */
export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN || isPlaceholder(v);
}

/** {@link known} returns `v` unless it is the unknown sentinel, `null` or `undefined`. */
export function known<T>(v: T | undefined | null): T | undefined {
    return v === undefined || v === null || isUnknown(v) ? undefined : v;
}

/** {@link knownString} returns `v` when it is a known string. */
export function knownString(v: unknown): string | undefined {
    return typeof v === "string" && !isUnknown(v) ? v : undefined;
}

/** {@link containsUnknown} is true when the sentinel appears anywhere inside `v`. */
export function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

/** {@link trimString} trims a known string; leaves anything else as it is. */
export function trimString<T>(v: T): T {
    return (typeof v === "string" && !isUnknown(v) ? v.trim() : v) as T;
}

/** {@link dropUndefined} removes keys whose value is `undefined` (the Struct encoding cannot carry them). */
export function dropUndefined<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** {@link valuesEqual} compares two input values structurally (JSON), treating `undefined` and missing alike. */
export function valuesEqual(a: unknown, b: unknown): boolean {
    return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(normalise);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.keys(v)
                .sort()
                .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, normalise((v as Record<string, unknown>)[k])]),
        );
    }
    return v;
}

/** {@link changedKeys} lists the keys in `keys` whose value differs between old outputs and new inputs. */
export function changedKeys(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    keys: readonly string[],
): string[] {
    return keys.filter((k) => containsUnknown(news[k]) || !valuesEqual(olds[k], news[k]));
}

/** {@link pickKnownKeys} copies `keys` of `src` that are not `undefined`. */
export function pick<T extends object>(src: Record<string, unknown>, keys: readonly string[]): T {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
    return out as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Common input checks.

const REGION_SHAPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;
const PROJECT_SHAPE = /^[0-9a-fA-F]{32}$/;

/** {@link checkRegion} validates a region name like `ap-southeast-1`. */
export function checkRegion(v: unknown, property = "region"): CheckFailure[] {
    if (isUnknown(v)) return [];
    if (typeof v !== "string" || !REGION_SHAPE.test(v)) {
        return [{ property, reason: `${JSON.stringify(v)} is not a region name; use one like "ap-southeast-1"` }];
    }
    return [];
}

/** {@link checkAccount} validates that an account profile is named and defined (config, env or accounts file). */
export function checkAccount(v: unknown, property = "account"): CheckFailure[] {
    if (isUnknown(v)) return [];
    if (typeof v !== "string" || v.trim() === "") {
        return [
            { property, reason: `an account profile name is required (e.g. "alice"); ${profileSources("<name>")}` },
        ];
    }
    try {
        if (!findProfile(v)) {
            return [{ property, reason: `account profile '${v}' is not defined: ${profileSources(v)}` }];
        }
    } catch (e) {
        if (e instanceof ConfigError) return [{ property, reason: e.message }];
        throw e;
    }
    return [];
}

/** {@link checkName} validates an API object name (the server's validator: 1–64 letters, digits, `_`, `-`, `.`). */
export function checkName(v: unknown, property = "name"): CheckFailure[] {
    if (isUnknown(v) || v === undefined) return [];
    const problem = typeof v === "string" ? nameProblem(v) : "is not a string";
    if (problem) {
        return [
            {
                property,
                reason: `${JSON.stringify(v)} is not a valid name (${problem}): use 1–${NAME_MAX_LENGTH} ${NAME_TEXT}`,
            },
        ];
    }
    return [];
}

/** {@link checkDescription} validates a description (the server's validator: ≤255 characters, no `<` `>` or controls). */
export function checkDescription(v: unknown, property = "description"): CheckFailure[] {
    if (isUnknown(v) || v === undefined) return [];
    const problem = typeof v === "string" ? descriptionProblem(v) : "is not a string";
    if (problem) {
        return [
            {
                property,
                reason: `the description ${problem}: a description has at most ${DESCRIPTION_MAX_LENGTH} characters, no '<' or '>' and no control characters`,
            },
        ];
    }
    return [];
}

/** {@link checkId} validates that an id input is a non-empty string. */
export function checkId(v: unknown, property: string, what: string): CheckFailure[] {
    if (isUnknown(v)) return [];
    if (typeof v !== "string" || v.trim() === "") return [{ property, reason: `${what} is required` }];
    return [];
}

/** {@link checkProjectId} validates a project id (32 hex characters). */
export function checkProjectId(v: unknown, property: string): CheckFailure[] {
    if (isUnknown(v) || v === undefined) return [];
    if (typeof v !== "string" || !PROJECT_SHAPE.test(v)) {
        return [
            {
                property,
                reason:
                    `${JSON.stringify(v)} is not a project id (32 hex characters). Use the peer's project id in ` +
                    "this region, not its account (domain) id or name",
            },
        ];
    }
    return [];
}

/** {@link checkTimeouts} validates `timeouts: {create?, update?, delete?}` durations. */
export function checkTimeouts(v: unknown, property = "timeouts"): CheckFailure[] {
    if (v === undefined || isUnknown(v)) return [];
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        return [{ property, reason: 'timeouts must be an object like {create: "10m", delete: "5m"}' }];
    }
    const out: CheckFailure[] = [];
    for (const [k, d] of Object.entries(v)) {
        if (!["create", "update", "delete"].includes(k)) {
            out.push({ property, reason: `unknown timeout "${k}"; use create, update or delete` });
        } else if (
            !isUnknown(d) &&
            (typeof d === "string" || typeof d === "number") &&
            parseDuration(d) === undefined
        ) {
            out.push({
                property,
                reason: `timeouts.${k} ${JSON.stringify(d)} is not a duration like ${DURATION_EXAMPLES}`,
            });
        } else if (!isUnknown(d) && typeof d !== "string" && typeof d !== "number") {
            out.push({ property, reason: `timeouts.${k} must be a duration string like "10m"` });
        }
    }
    return out;
}

/** {@link checkBoolean} validates an optional boolean input. */
export function checkBoolean(v: unknown, property: string): CheckFailure[] {
    if (v === undefined || isUnknown(v) || typeof v === "boolean") return [];
    return [{ property, reason: `${property} must be true or false` }];
}

/** {@link checkSuppressions} validates `suppressRules: [{rule, reason}]`. */
export function checkSuppressions(v: unknown, property = "suppressRules"): CheckFailure[] {
    if (v === undefined || isUnknown(v)) return [];
    if (!Array.isArray(v) || v.some((s) => s === null || typeof s !== "object")) {
        return [
            { property, reason: 'suppressRules must be a list like [{rule: "peering-cidr-overlap", reason: "..."}]' },
        ];
    }
    if (containsUnknown(v)) return [];
    return validateSuppressions(v as Suppression[]).map((reason) => ({ property, reason }));
}

// ---------------------------------------------------------------------------------------------------------------
// Rules → check failures.

/** {@link VpcFactsInput} is what an input carries about a VPC for the rules (all optional, may be unknown). */
export interface VpcFactsInput {
    /** The Pulumi resource name of the VPC (or a label). */
    readonly name?: string;
    readonly id?: string;
    readonly cidr?: string;
    readonly region?: string;
    readonly account?: string;
    readonly projectId?: string;
}

/** {@link PeeringFactsInput} is what an input carries about a peering for the rules. */
export interface PeeringFactsInput {
    readonly name?: string;
    readonly id?: string;
    readonly requester?: VpcFactsInput;
    readonly accepter?: VpcFactsInput;
    readonly peerProjectId?: string;
}

/** {@link vpcFacts} turns a facts input into {@link VpcFacts}, mapping the unknown sentinel to `undefined`. */
export function vpcFacts(
    f: VpcFactsInput | undefined,
    fallbackName: string,
    overrides: Partial<VpcFacts> = {},
): VpcFacts {
    const g = (isUnknown(f) ? undefined : f) ?? {};
    const id = knownString(overrides.id) ?? knownString(g.id);
    const name = knownString(g.name) ?? (id !== undefined ? `vpc ${id}` : fallbackName);
    return dropUndefined({
        name,
        id,
        cidr: knownString(overrides.cidr) ?? knownString(g.cidr),
        region: knownString(overrides.region) ?? knownString(g.region),
        account: knownString(overrides.account) ?? knownString(g.account),
        projectId: knownString(overrides.projectId) ?? knownString(g.projectId),
    });
}

/** {@link peeringFacts} turns a peering facts input into {@link PeeringFacts}. */
export function peeringFacts(p: PeeringFactsInput | undefined, fallbackName: string, id?: string): PeeringFacts {
    const g = (isUnknown(p) ? undefined : p) ?? {};
    const knownId = knownString(id) ?? knownString(g.id);
    return dropUndefined({
        name: knownString(g.name) ?? (knownId !== undefined ? `peering ${knownId}` : fallbackName),
        id: knownId,
        requester: vpcFacts(g.requester, "requester VPC"),
        accepter: vpcFacts(g.accepter, "accepter VPC"),
        peerProjectId: knownString(g.peerProjectId),
    });
}

/** {@link Warn} receives warnings; they reach the CLI's output (the provider host passes stderr through). */
export type Warn = (message: string) => void;

let warnSink: Warn = (m) => console.warn(`warning: ${m}`);

/** {@link setWarningSink} replaces where warnings go (tests). Returns the previous sink. */
export function setWarningSink(w: Warn): Warn {
    const prev = warnSink;
    warnSink = w;
    return prev;
}

/** {@link warn} emits one warning. */
export function warn(message: string): void {
    warnSink(message);
}

/**
 * {@link fillUnknown} fills the facts `base` leaves unknown from `more` (field by field, nested objects included);
 * what `base` knows wins. The providers start from the program's facts and fill them from their inputs and lookups.
 */
export function fillUnknown<T extends object>(base: T | undefined, more: T): T {
    if (base === undefined) return more;
    const out: Record<string, unknown> = { ...(more as Record<string, unknown>) };
    for (const [k, v] of Object.entries(base)) {
        const m = (more as Record<string, unknown>)[k];
        out[k] =
            v !== null && typeof v === "object" && !Array.isArray(v) && m !== null && typeof m === "object"
                ? fillUnknown(v as object, m as object)
                : (v ?? m);
    }
    return dropUndefined(out) as T;
}

/** {@link CheckSubject} names the resource a provider's `check` is about. */
export interface CheckSubject {
    readonly kind: SubjectKind;
    /** The Pulumi resource name. */
    readonly name: string;
    /** `Kind 'name'`, for warnings. */
    readonly label: string;
}

/**
 * {@link finishCheck} is the end of every provider's `check`: the input failures, plus the rule failures.
 *
 * When the program ran its checks (a `__checks` payload), its violations are taken as they are and the provider adds
 * only what its own facts changed: the violations of `completed` (rules over the program's facts filled from the
 * inputs and read-only lookups) that are neither in the payload nor in `given` (the same rules over the program's
 * facts alone). Violations are compared on (rule, resources), never on their text. Without a payload (checks of the
 * program turned off, a resource registered without the SDK) every violation of `completed` counts, and the
 * provider prints the deferred checks itself. Suppressions of what the provider adds are printed here; the program
 * printed its own. When VPCPEERING_CHECK_REPORT is set, the result is also written there, structured.
 */
export function finishCheck(opts: {
    readonly subject: CheckSubject;
    readonly inputs: { readonly suppressRules?: unknown; readonly __checks?: unknown };
    readonly inputFailures: readonly CheckFailure[];
    /** Rules over the program's facts as they came (undefined without a payload). */
    readonly given?: CheckOutcome;
    /** Rules over the facts after the inputs and lookups filled them. */
    readonly completed: CheckOutcome;
    /** The facts `completed` was computed from. */
    readonly facts?: DeclaredFacts;
    /** Rule property names → this resource's input names (`accepterVpc` → `accepterVpcId`). */
    readonly propertyMap?: Readonly<Record<string, string>>;
}): CheckFailure[] {
    const { subject, inputs } = opts;
    if (checksDisabled()) return [...opts.inputFailures]; // VPCPEERING_CHECKS=off: benchmarks measure the rules' cost
    const checks = readChecks(inputs.__checks);
    if (!checks.ran && checks.problem) warn(`${subject.label}: ${checks.problem}`);
    const suppressRules = inputs.suppressRules;
    const suppressions =
        Array.isArray(suppressRules) && !containsUnknown(suppressRules) ? (suppressRules as Suppression[]) : undefined;
    let violations: Violation[];
    let deferred: Deferred[];
    let suppressed: SuppressedViolation[];
    if (checks.ran) {
        const known = new Set(
            [...checks.violations, ...checks.suppressed, ...(opts.given?.violations ?? [])].map(violationKey),
        );
        // Facts the program read from outputs this plan changes are unknown on purpose: the inputs and lookups
        // hold their old values, so nothing is added from them until the stack is previewed again at apply.
        const added = checks.notFinal?.length ? [] : opts.completed.violations;
        const fresh = applySuppressions(
            { violations: added.filter((v) => !known.has(violationKey(v))), deferred: [] },
            suppressions,
        );
        violations = [...checks.violations, ...fresh.violations];
        suppressed = [...checks.suppressed, ...(fresh.suppressed ?? [])];
        deferred = [...checks.deferred];
        for (const s of fresh.suppressed ?? [])
            warn(`${subject.label}: rule ${s.rule} suppressed (${s.reason}): ${s.message}`);
    } else {
        const result = applySuppressions(opts.completed, suppressions);
        violations = result.violations;
        suppressed = result.suppressed ?? [];
        deferred = result.deferred;
        for (const s of suppressed) warn(`${subject.label}: rule ${s.rule} suppressed (${s.reason}): ${s.message}`);
        for (const d of deferred) warn(`${subject.label}: ${d.reason}`);
    }
    // A failure names a property only when its value tells the reader something: during a preview an unknown
    // value (a new VPC's id) prints as `output<string>{}`, so such failures are attached to the resource instead
    // (the message names every resource and value anyway).
    const values = inputs as Readonly<Record<string, unknown>>;
    const mapProperty = (p: string | undefined) => {
        if (p === undefined || p === "") return "";
        const mapped = opts.propertyMap?.[p] ?? p;
        return isUnknown(values[mapped]) ? "" : mapped;
    };
    writeCheckRecord({
        source: "provider",
        kind: subject.kind,
        name: subject.name,
        ...(opts.facts ? { facts: opts.facts } : {}),
        violations,
        deferred,
        suppressed,
        inputFailures: opts.inputFailures.map((f) => ({ property: f.property, reason: f.reason })),
    });
    return [
        ...opts.inputFailures,
        ...violations.map((v) => ({ property: mapProperty(v.property), reason: v.message })),
    ];
}

// ---------------------------------------------------------------------------------------------------------------
// Errors with context.

/**
 * {@link ResourceInitError} reports "created but not ready": the object exists (its `id` is recorded in the state by
 * Pulumi, so nothing is orphaned) but never reached a usable state. `properties` become its outputs.
 */
export class ResourceInitError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];
    constructor(message: string, id: string, properties: Record<string, unknown>, reasons: string[] = [message]) {
        super(message);
        this.name = "ResourceInitError";
        this.id = id;
        this.properties = dropUndefined(properties); // the host encodes them as a protobuf Struct
        this.reasons = reasons;
    }
}

/** {@link withContext} prefixes any error thrown by `fn` with `<op> <Kind> '<name>': `. */
export async function withContext<T>(context: string, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (e) {
        if (e instanceof Error) {
            if (!e.message.startsWith(context)) e.message = `${context}: ${e.message}`;
            throw e;
        }
        throw new Error(`${context}: ${String(e)}`);
    }
}

/** {@link Timeouts} re-exported for the resources. */
export type { Timeouts, Suppression };

/**
 * {@link readClient} is the start of every provider's `read` (refresh, `get`): the client for the account and region
 * recorded in the state, or an error saying how to give them.
 */
export function readClient(
    what: string,
    resourceClass: string,
    props: { region?: unknown; account?: unknown; timeouts?: Timeouts },
): { client: ApiClient; region: string; account: string } {
    const region = knownString(props.region);
    const account = knownString(props.account);
    if (region === undefined || account === undefined) {
        throw new Error(
            `region and account are needed to read ${what}: use ${resourceClass}.get(name, id, { region, account })`,
        );
    }
    return { client: clientFor({ account, region, op: "read", timeouts: props.timeouts }), region, account };
}

/** {@link getOrGone} runs a read and maps "not found" to `undefined` (the object is gone). */
export async function getOrGone<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
    }
}

/**
 * {@link renameBody} is the body of an in-place update of a VPC or a peering: only `name` and `description` can
 * change, and only what changed is sent (an absent description counts as empty).
 */
export function renameBody(
    olds: { readonly name?: string; readonly description?: string },
    news: { readonly name?: string; readonly description?: string },
): { name?: string; description?: string } {
    return dropUndefined({
        name: olds.name !== news.name ? news.name : undefined,
        description: (olds.description ?? "") !== (news.description ?? "") ? (news.description ?? "") : undefined,
    });
}
