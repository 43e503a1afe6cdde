// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Program-wide registry of the peering resources a program declares. It builds every resource's facts once — from
// the declared Vpc, or from the facts a `VpcRef` gives for a VPC outside the program — runs every rule over the
// whole program with the same pure functions the providers and the orchestrator use
// (core/rules.ts), and hands each resource its facts and structured results in its `__checks`
// input (core/checksPayload.ts). The provider's `check` turns them into check failures, so
// `pulumi preview` fails on the resource, with its name, before anything is created. Deferred checks, suppressed
// rules and unaccepted cross-account requests are printed as warnings on the resource, here and nowhere else.
//
// When the checks run (deterministic): a resource's registration waits for its `__checks` input, and the
// declarations settle once every declared resource's facts are resolved and a turn of the event loop brought no
// new declaration. A fact is never decided by a timer, with one exception that cannot be avoided: a fact that only
// resolves after one of our own (waiting) resources registers would wait forever. Outputs of our own resources are
// recognised and mapped back to their args (`vpc.cidr` is the Vpc's `cidr` arg; a new `vpc.id` is unknown at
// once); an output of a foreign resource that itself depends on one of ours cannot be recognised (Pulumi does not
// expose a resource's dependencies), so a safety net (VPCPEERING_GRAPH_WAIT_MS, default 10 s) settles anyway and
// names the facts still unresolved. Resources declared later (after an `await`) form a new round, checked against
// everything declared so far; a violation whose subject was already sent is reported on the new resource or, when
// none of its resources is new, as an error on its subject (the preview fails either way).
//
// One file on purpose: the registry's module state (the declarations, the rounds, what was delivered, the safety-net
// timer) and every function that reads or writes it; the rules it runs are core/. (Its check pipeline is owned by
// the cross-stack issue.)

import { AsyncLocalStorage } from "node:async_hooks";

import * as pulumi from "@pulumi/pulumi";
import {
    AccepterFacts,
    applySuppressions,
    checkProgram,
    Deferred,
    isCrossAccount,
    PENDING_ACCEPTANCE_DAYS,
    PeeringFacts,
    RouteFacts,
    SubjectKind,
    subjectKindOf,
    Suppression,
    Violation,
    violationKey,
    VpcFacts,
} from "../core/rules";
import { CHECKS_OFF, DeclaredFacts, encodeChecks } from "../core/checksPayload";
import { isPlaceholder, parsePlaceholder, writeCheckRecord } from "../core/checkReport";
import {
    describeNotFinal,
    NotFinalRead,
    notFinalConfigValue,
    notFinalRead,
    PlannedOutputs,
    readPlannedOutputs,
} from "../core/plannedOutputs";

/** {@link DeclarationKind} names the resource kinds the graph checks know about. */
export type DeclarationKind = SubjectKind;

type Known<T> = { known: true; value: T } | { known: false };

interface Entry {
    readonly kind: DeclarationKind;
    readonly name: string;
    readonly args: Record<string, unknown>;
    resource?: pulumi.Resource;
    facts?: Promise<void>;
    resolved: boolean;
    vpc?: VpcFacts;
    peering?: PeeringFacts;
    route?: RouteFacts;
    accepter?: AccepterFacts;
    suppressions?: Suppression[];
    /** Facts read from upstream outputs this plan changes (see core/plannedOutputs.ts). */
    readonly notFinal: NotFinalRead[];
    resolveGate: (payload: string) => void;
    resolveSent: (facts: DeclaredFacts | undefined) => void;
}

/** {@link Declared} is what {@link declare} gives a resource class: its `__checks` input and a hook to attach itself. */
export interface Declared {
    /** Pass as the `__checks` input. */
    readonly checks: pulumi.Output<string>;
    /**
     * The facts the `__checks` input carries, once the declarations settle (`undefined` when the checks are off or
     * resolving them failed): what the provider's `check` takes from the program before the facts inputs.
     */
    readonly sent: Promise<DeclaredFacts | undefined>;
    /** Call right after `super(...)` so the registry can map the resource's outputs back to its args. */
    attach(resource: pulumi.Resource): void;
}

/** {@link GraphClock} is the timer the safety net uses (replaceable in tests). */
export interface GraphClock {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
    setImmediate(fn: () => void): void;
}

const realClock: GraphClock = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    setImmediate: (fn) => void setImmediate(fn),
};

const byResource = new WeakMap<pulumi.Resource, Entry>();
const origins = new WeakMap<object, { entry: Entry; field: string }>();
let round: Entry[] = [];
let all: Entry[] = [];
let safetyNet: unknown;
let clock: GraphClock = realClock;
let settleQueued = false;
const delivered = new Set<string>();
let planned: PlannedOutputs | undefined;
/** The declaration whose facts are being resolved, so a read of a not-final upstream output is recorded on it. */
const resolving = new AsyncLocalStorage<Entry>();

function enabled(): boolean {
    // VPCPEERING_CHECKS=off turns every constraint check off (benchmarks only); _GRAPH_CHECKS only this part.
    const off = (v: string | undefined) => (v ?? "on").toLowerCase() === "off";
    return !off(process.env.VPCPEERING_CHECKS) && !off(process.env.VPCPEERING_GRAPH_CHECKS);
}

function safetyNetMs(): number {
    const n = Number(process.env.VPCPEERING_GRAPH_WAIT_MS);
    return Number.isFinite(n) && n > 0 ? n : 10_000;
}

/**
 * {@link declare} records a resource declared by the program and returns its `__checks` input, which resolves
 * when the program's declarations settle to a JSON {@link ChecksPayload} (see the module comment).
 */
export function declare(kind: DeclarationKind, name: string, args: unknown): Declared {
    if (!enabled())
        return { checks: pulumi.output(CHECKS_OFF), sent: Promise.resolve(undefined), attach: () => undefined };
    let resolveGate!: (payload: string) => void;
    const gate = new Promise<string>((resolve) => (resolveGate = resolve));
    let resolveSent!: (facts: DeclaredFacts | undefined) => void;
    const sent = new Promise<DeclaredFacts | undefined>((resolve) => (resolveSent = resolve));
    const entry: Entry = {
        kind,
        name,
        args: (args ?? {}) as Record<string, unknown>,
        resolved: false,
        notFinal: [],
        resolveGate,
        resolveSent,
    };
    round.push(entry);
    all.push(entry);
    if (safetyNet === undefined) safetyNet = clock.setTimeout(() => settle(true), safetyNetMs());
    // Facts are resolved on a later turn, once the resource has attached itself.
    entry.facts = Promise.resolve()
        .then(() => resolving.run(entry, () => resolveFacts(entry)))
        .catch(() => undefined)
        .then(() => {
            entry.resolved = true;
            maybeSettle();
        });
    return {
        checks: pulumi.output(gate),
        sent,
        attach(resource: pulumi.Resource) {
            entry.resource = resource;
            byResource.set(resource, entry);
            const r = resource as unknown as Record<string, unknown>;
            for (const field of ["cidr", "region", "account", "id", "vpcId", "peeringConnectionId"]) {
                const o = r[field];
                if (o && typeof o === "object") origins.set(o, { entry, field });
            }
        },
    };
}

/** Settles after a full turn of the event loop once every fact of the round is resolved (no timer decides). */
function maybeSettle(): void {
    if (settleQueued || round.length === 0 || !round.every((e) => e.resolved)) return;
    settleQueued = true;
    clock.setImmediate(() => {
        settleQueued = false;
        if (round.length > 0 && round.every((e) => e.resolved)) settle(false);
    });
}

function isOutput(x: unknown): x is pulumi.Output<unknown> {
    return pulumi.Output.isInstance(x);
}

async function resolveInput<T>(x: unknown, gated: boolean = true): Promise<Known<T>> {
    if (x === undefined || x === null) return { known: false };
    if (isOutput(x)) {
        const origin = origins.get(x);
        if (origin) {
            if (origin.field === "id" || origin.field === "vpcId" || origin.field === "peeringConnectionId")
                return { known: false };
            return resolveInput<T>(origin.entry.args[origin.field], gated);
        }
        const deps = (x as unknown as { resources(): Set<pulumi.Resource> }).resources?.() ?? new Set();
        for (const r of deps) if (gated && byResource.has(r)) return { known: false };
        const out = x as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
        const [known, value] = await Promise.all([out.isKnown, out.promise()]);
        if (!known || value === undefined) return { known: false };
        const read = (await notFinalUpstream(deps, value)) ?? notFinalConfigValue(plannedOutputs(), value);
        return notFinalValue(read) ? { known: false } : { known: true, value };
    }
    if (x instanceof Promise) return resolveInput<T>(await x, gated);
    if (typeof x === "string" && x === pulumi.runtime.unknownValue) return { known: false };
    if (notFinalValue(notFinalConfigValue(plannedOutputs(), x))) return { known: false };
    return { known: true, value: x as T };
}

function plannedOutputs(): PlannedOutputs {
    return (planned ??= readPlannedOutputs());
}

/** Records a not-final read on the declaration being resolved; true when there was one. */
function notFinalValue(read: NotFinalRead | undefined): boolean {
    if (!read) return false;
    const e = resolving.getStore();
    if (e && !e.notFinal.some((r) => r.stack === read.stack && r.output === read.output)) e.notFinal.push(read);
    return true;
}

/**
 * A value a StackReference read from an upstream output that this plan changes (the orchestrator says which, in
 * VPCPEERING_PLANNED_OUTPUTS): the deployed value is about to be replaced, so the fact is not final.
 */
async function notFinalUpstream(deps: Set<pulumi.Resource>, value: unknown): Promise<NotFinalRead | undefined> {
    const p = plannedOutputs();
    if (Object.keys(p).length === 0) return undefined;
    for (const r of deps) {
        if (!(r instanceof pulumi.StackReference)) continue;
        const name = await (r.name as unknown as { promise(): Promise<string | undefined> }).promise();
        const hit = name !== undefined ? notFinalRead(p, name, value) : undefined;
        if (hit) return hit;
    }
    return undefined;
}

/** A known string fact; an orchestrator placeholder (an upstream output not deployed yet) is unknown. */
async function str(x: unknown): Promise<string | undefined> {
    const id = await idOf(x);
    return isPlaceholder(id) ? undefined : id;
}

/** A known string, placeholders kept: two references to one placeholder are the same (future) object. */
async function idOf(x: unknown): Promise<string | undefined> {
    const r = await resolveInput<unknown>(x);
    return r.known && typeof r.value === "string" ? r.value : undefined;
}

function entryOf(x: unknown, kind: DeclarationKind): Entry | undefined {
    if (x && typeof x === "object") {
        const e = byResource.get(x as pulumi.Resource);
        if (e && e.kind === kind) return e;
    }
    return undefined;
}

/** A `VpcRef` (plain object of inputs), as opposed to a declared resource. */
function isRef(x: unknown): x is Record<string, unknown> {
    return !!x && typeof x === "object" && !pulumi.Resource.isInstance(x) && !isOutput(x);
}

/**
 * The facts of one VPC: a declared Vpc's own, or those a `VpcRef` (or the by-id arguments) give. `ref` is the
 * argument it came through, so a deferred check can say where to pass a missing fact.
 */
async function vpcFactsFrom(
    obj: unknown,
    id: unknown,
    extra: { region?: unknown; account?: unknown; projectId?: unknown },
    ref: string,
    label: string,
): Promise<VpcFacts> {
    const e = entryOf(obj, "Vpc");
    if (e) {
        await e.facts;
        if (e.vpc) return e.vpc;
    }
    const given = isRef(obj) ? obj : {};
    const vpcId = await idOf(given.id ?? id);
    const upstream = vpcId !== undefined ? parsePlaceholder(vpcId) : undefined;
    return dropUndefined({
        name: upstream ? `${upstream.stack}.${upstream.output} (not deployed yet)` : vpcId ? `vpc ${vpcId}` : label,
        id: vpcId,
        cidr: await str(given.cidr),
        region: (await str(given.region)) ?? (await str(extra.region)),
        account: (await str(given.account)) ?? (await str(extra.account)),
        projectId: (await str(given.projectId)) ?? (await str(extra.projectId)),
        ref,
    });
}

function dropUndefined<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

async function suppressionsOf(args: Record<string, unknown>): Promise<Suppression[]> {
    const r = await resolveInput<unknown>(args.suppressRules, false);
    if (!r.known || !Array.isArray(r.value)) return [];
    return r.value.filter(
        (s): s is Suppression => !!s && typeof s === "object" && typeof (s as Suppression).rule === "string",
    );
}

async function resolveFacts(e: Entry): Promise<void> {
    const a = e.args;
    e.suppressions = await suppressionsOf(a);
    switch (e.kind) {
        case "Vpc":
            e.vpc = dropUndefined({
                name: e.name,
                cidr: await str(a.cidr),
                region: await str(a.region),
                account: await str(a.account),
            });
            return;
        case "PeeringConnection": {
            const requester = await vpcFactsFrom(
                a.requesterVpc,
                a.requesterVpcId,
                { region: a.region, account: a.account },
                "requesterVpc",
                `requester VPC of "${e.name}"`,
            );
            const accepter = await vpcFactsFrom(
                a.accepterVpc,
                a.accepterVpcId,
                { region: a.region ?? requester.region, account: a.peerAccount, projectId: a.peerProjectId },
                "accepterVpc",
                `accepter VPC of "${e.name}"`,
            );
            e.peering = dropUndefined({ name: e.name, requester, accepter, peerProjectId: await str(a.peerProjectId) });
            return;
        }
        case "PeeringAccepter": {
            const pe = entryOf(a.peeringConnection, "PeeringConnection");
            if (pe) await pe.facts;
            const account = await str(a.account);
            if (pe?.peering) {
                e.accepter = dropUndefined({ name: e.name, account, peering: pe.peering });
                return;
            }
            // A peering by id (another stack's): only its id is known here; the plan's check joins it to the
            // stack that declares it (placeholders kept: a not-yet-deployed upstream's peering).
            const id = await idOf(a.peeringConnectionId);
            if (id !== undefined) {
                const what = isPlaceholder(id) ? "a peering not deployed yet" : `peering ${id}`;
                e.accepter = dropUndefined({
                    name: e.name,
                    account,
                    peering: {
                        name: what,
                        id,
                        requester: { name: `requester VPC of ${what}` },
                        accepter: { name: `accepter VPC of ${what}` },
                    },
                });
            }
            return;
        }
        case "Route": {
            // A route may name the peering or the accepter of a cross-account peering.
            const pe =
                entryOf(a.peeringConnection, "PeeringConnection") ??
                entryOf(entryOf(a.peeringConnection, "PeeringAccepter")?.args.peeringConnection, "PeeringConnection");
            if (pe) await pe.facts;
            const vpc = await vpcFactsFrom(
                a.vpc,
                a.vpcId,
                { region: a.region, account: a.account },
                "vpc",
                `VPC of route "${e.name}"`,
            );
            const peeringId = await str(a.peeringConnectionId);
            // A peering outside the program: its sides are the route's VPC and the `peerVpc` the program gives.
            const peer = isRef(a.peerVpc)
                ? await vpcFactsFrom(a.peerVpc, undefined, {}, "peerVpc", `peer VPC of route "${e.name}"`)
                : undefined;
            const peering: PeeringFacts = pe?.peering ?? {
                name: peeringId ? `peering ${peeringId}` : "a peering outside the program",
                requester: peer ? vpc : { name: "unknown requester" },
                accepter: peer ?? { name: "unknown accepter" },
            };
            e.route = dropUndefined({ name: e.name, vpc, destination: await str(a.destination), peering });
            return;
        }
    }
}

function factsOf(e: Entry): DeclaredFacts {
    return dropUndefined({ vpc: e.vpc, peering: e.peering, route: e.route, accepter: e.accepter });
}

function settle(bySafetyNet: boolean): void {
    if (safetyNet !== undefined) clock.clearTimeout(safetyNet);
    safetyNet = undefined;
    const pending = round;
    round = [];
    if (pending.length === 0) return;
    if (bySafetyNet) {
        for (const e of pending.filter((x) => !x.resolved)) {
            pulumi.log.warn(
                `${e.kind} "${e.name}": some of its facts were still unresolved after ${safetyNetMs()} ms (an input ` +
                    `that depends on a resource that itself waits for this program's checks); they are checked as ` +
                    `unknown, and the provider checks again at apply`,
                e.resource,
            );
        }
    }
    const outcome = checkProgram({
        vpcs: all.flatMap((e) => (e.vpc ? [e.vpc] : [])),
        peerings: all.flatMap((e) => (e.peering ? [e.peering] : [])),
        routes: all.flatMap((e) => (e.route ? [e.route] : [])),
        accepters: all.flatMap((e) => (e.accepter ? [e.accepter] : [])),
    });
    // Index every declaration once (kind/name, name, the accepter of each peering) instead of scanning per violation.
    const inRound = new Set(pending);
    const byKindName = new Map<string, Entry>();
    const byName = new Map<string, Entry>();
    for (const e of all) {
        if (!byKindName.has(`${e.kind}/${e.name}`)) byKindName.set(`${e.kind}/${e.name}`, e);
        if (!byName.has(e.name) || inRound.has(e)) byName.set(e.name, e);
    }
    const accepterOf = new Map<unknown, string>();
    for (const x of all) {
        if (x.kind === "PeeringAccepter" && !accepterOf.has(x.args.peeringConnection)) {
            accepterOf.set(x.args.peeringConnection, x.name);
        }
    }
    const violationsOf = new Map<Entry, Violation[]>();
    const push = <T>(m: Map<Entry, T[]>, e: Entry, x: T) => {
        const list = m.get(e);
        if (list) list.push(x);
        else m.set(e, [x]);
    };
    for (const v of outcome.violations) {
        const key = violationKey(v);
        if (delivered.has(key)) continue;
        const subject = byKindName.get(`${subjectKindOf(v.rule, v.property)}/${v.resources[0]}`);
        if (!subject) continue;
        if (inRound.has(subject)) {
            push(violationsOf, subject, v);
            continue;
        }
        // Its subject was sent in an earlier round: deliver it to a resource of this round it names, else fail here.
        const other = v.resources.map((n) => byName.get(n)).find((x) => x && inRound.has(x));
        if (other) push(violationsOf, other, v);
        else {
            delivered.add(key);
            pulumi.log.error(v.message, subject.resource);
        }
    }
    const deferredOf = new Map<Entry, Deferred[]>();
    const seenDeferred = new Set<string>();
    for (const d of outcome.deferred) {
        const e = byName.get(d.resources[0]!);
        if (!e || !inRound.has(e) || seenDeferred.has(`${e.kind}/${e.name}/${d.rule}`)) continue;
        seenDeferred.add(`${e.kind}/${e.name}/${d.rule}`);
        push(deferredOf, e, d);
    }
    for (const e of pending) {
        const checked = applySuppressions({ violations: violationsOf.get(e) ?? [], deferred: [] }, e.suppressions);
        const suppressed = checked.suppressed ?? [];
        const deferred = deferredOf.get(e) ?? [];
        for (const v of checked.violations) delivered.add(violationKey(v));
        for (const s of suppressed) {
            delivered.add(violationKey(s));
            pulumi.log.warn(`${s.message} — suppressed on ${e.kind} "${e.name}": ${s.reason}`, e.resource);
        }
        for (const d of deferred) {
            pulumi.log.warn(
                `${e.kind} "${e.name}": ${d.reason}; the check runs again in the provider at apply time`,
                e.resource,
            );
        }
        const acceptedBy = e.kind === "PeeringConnection" && e.resource ? accepterOf.get(e.resource) : undefined;
        if (e.peering && acceptedBy === undefined && isCrossAccount(e.peering) === true) {
            const to = e.peering.accepter;
            pulumi.log.warn(
                `PeeringConnection "${e.name}": a cross-account request to ${to.account ? `account "${to.account}"` : `project ${e.peering.peerProjectId ?? to.projectId ?? "?"}`} ` +
                    `that nothing in this program accepts: it stays PENDING_ACCEPTANCE, carrying no traffic, until the ` +
                    `peer account accepts it (a PeeringAccepter in its stack), for up to ${PENDING_ACCEPTANCE_DAYS} days; then it expires`,
                e.resource,
            );
        }
        if (e.notFinal.length) {
            pulumi.log.warn(
                `${e.kind} "${e.name}": reads ${describeNotFinal(e.notFinal)} — outputs this plan changes, so the ` +
                    `checks that use them are not decided by this preview; they run when \`peering-stacks up\` reaches ` +
                    `this stack, after its upstream is applied`,
                e.resource,
            );
        }
        const facts = factsOf(e);
        const notFinal = e.notFinal.length ? { notFinal: e.notFinal } : {};
        writeCheckRecord({
            source: "program",
            kind: e.kind,
            name: e.name,
            facts,
            ...(e.suppressions?.length ? { suppressions: e.suppressions } : {}),
            violations: checked.violations,
            deferred,
            suppressed,
            ...notFinal,
        });
        e.resolveGate(
            encodeChecks({
                facts,
                violations: checked.violations,
                suppressed,
                deferred,
                ...(acceptedBy !== undefined ? { acceptedBy } : {}),
                ...notFinal,
            }),
        );
        e.resolveSent(facts);
    }
    // Declarations that arrived while this round was checked form the next one.
    maybeSettle();
}

/** Fields of a facts input the provider needs even when the program knows the rest: ids exist only once created. */
const ALWAYS_SENT: ReadonlySet<string> = new Set(["id", "projectId"]);

/**
 * {@link withoutSentFacts} is a facts input (e.g. a `Route`'s `vpc` or `peering`) without the fields the program's
 * `__checks` already carries (`sent`, the same facts resolved): the provider's `check` takes those from the payload
 * first (`fillUnknown`), so sending them twice only costs — every value is stored in the state, which the engine
 * serializes after every step, even in a preview. The fields in `keep` (by default ids and project ids) are always
 * kept, and so is any field the program could not resolve (the provider fills it at apply). A value that is not a
 * plain object (an `Output`, a promise) is returned unchanged.
 */
export function withoutSentFacts(full: unknown, sent: unknown, keep: ReadonlySet<string> = ALWAYS_SENT): unknown {
    if (!isPlainObject(full) || !isPlainObject(sent)) return full;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(full)) {
        const known = sent[k];
        if (keep.has(k) || known === undefined) out[k] = v;
        else if (isPlainObject(known) && isPlainObject(v)) out[k] = withoutSentFacts(v, known, keep);
    }
    return out;
}

/** {@link withoutFields} is a plain object without `fields`, at every depth (other values are returned unchanged). */
export function withoutFields(x: unknown, fields: ReadonlySet<string>): unknown {
    if (!isPlainObject(x)) return x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (!fields.has(k)) out[k] = withoutFields(v, fields);
    return out;
}

/** {@link FactsPolicy} is what a resource's facts input keeps besides the facts the program could not send. */
export interface FactsPolicy {
    /** Fields always kept, at every depth (default: ids and project ids, which exist only once created). */
    readonly keep?: ReadonlySet<string>;
    /** Fields no rule of the resource reads: never sent. */
    readonly unread?: ReadonlySet<string>;
}

/**
 * {@link factsInput} is a facts input as a resource sends it (a Route's `vpc`/`peering`, a peering's
 * `requester`/`accepter`, an accepter's `peering`): `full`, once the declarations settle, without the facts the
 * program's `__checks` carries ({@link withoutSentFacts}), without the fields its rules never read, and without its
 * own `id` — that is always another input of the resource (`vpcId`, `peeringConnectionId`, `requesterVpcId`, …),
 * which the provider puts in first. `undefined` when nothing is left. Every value and every key of an input is stored
 * in the state, twice, and the engine serializes the whole state after every step — even in a preview, where its
 * cost grows with the keys of every resource. Without a declaration (`Vpc.get`) it is `full`.
 */
export function factsInput(
    declared: Declared | undefined,
    full: unknown,
    pick: (sent: DeclaredFacts | undefined) => unknown,
    policy: FactsPolicy = {},
): unknown {
    if (declared === undefined || full === undefined) return full;
    return declared.sent.then((sent) => {
        const unsent = withoutSentFacts(full, pick(sent), policy.keep);
        const slim = policy.unread ? withoutFields(unsent, policy.unread) : unsent;
        if (!isPlainObject(slim)) return slim;
        const rest = { ...slim };
        delete rest.id;
        return Object.keys(rest).length > 0 ? rest : undefined;
    });
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
    return !!x && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;
}

/** @internal Resets the registry and, optionally, replaces its clock (tests only). */
export function resetGraphForTests(testClock?: GraphClock): void {
    if (safetyNet !== undefined) clock.clearTimeout(safetyNet);
    safetyNet = undefined;
    round = [];
    all = [];
    delivered.clear();
    settleQueued = false;
    planned = undefined;
    clock = testClock ?? realClock;
}
