// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Turns the engine events of one `preview` (Automation API `onEvent`) into what a PR comment needs: the planned
// operations with a property-level diff of our own (the engine has none for dynamic resources: `diffs` and
// `detailedDiff` are empty, pulumi#3080), other warnings and errors, the stack's (preview) outputs, and every
// resource's last known state for the topology. Constraint failures and deferred checks come structured from the
// check report the program and the providers write (`applyCheckRecords`); the diagnostics that print them are
// dropped as duplicates. Only a stack without a check report (an SDK that writes none) falls back to recognising
// `[rule-id]` in a diagnostic. Internal inputs (`__provider`, `__checks`, `__resourceName`, any `__` key) never
// appear.

import type { EngineEvent, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { RULE_TITLES, Violation } from "../core/rules";
import { parsePlaceholder, UNKNOWN, type CheckRecord } from "../core/checkReport";

/** The engine's placeholder for a value that is only known after apply. */
export { UNKNOWN };
/** The engine's marker key of a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Inputs that only carry facts for the preview checks; listed for updates, not for creates and deletes. */
const FACT_KEYS = new Set(["requester", "accepter", "peering", "vpc"]);

/** {@link ChangeOp} is a planned operation as the report shows it. */
export type ChangeOp = "create" | "update" | "replace" | "delete";

/** {@link PropertyChange} is one changed property (a dotted path into the inputs). */
export interface PropertyChange {
    readonly path: string;
    readonly kind: "add" | "update" | "delete";
    readonly old?: string;
    readonly new?: string;
}

/** {@link ResourceChange} is one resource with a planned operation. */
export interface ResourceChange {
    readonly op: ChangeOp;
    /** The short type: `Vpc`, `PeeringConnection`, … (or the full type for other resources). */
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: readonly PropertyChange[];
    /** True when only internal inputs changed (the serialized provider code, after an SDK upgrade). */
    readonly internalOnly?: boolean;
}

/** {@link Finding} is a diagnostic the report lists. */
export interface Finding {
    readonly kind: "failure" | "deferred" | "warning" | "error";
    /** The rule id, for constraint failures and deferred checks. */
    readonly rule?: string;
    /** The resource's short type and name, when the diagnostic is about one. */
    readonly resource?: string;
    readonly message: string;
    /** A constraint failure as data (rule, resources, values, fix), when it came from the check report. */
    readonly violation?: Violation;
    /** For a failure only the whole plan shows: every stack it involves. */
    readonly stacks?: readonly string[];
}

/** {@link ResourceView} is a resource's last known state in a preview: planned inputs, previous outputs. */
export interface ResourceView {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The planned operation (`same` included). */
    readonly op: string;
    /** The id, when the resource exists. */
    readonly id?: string;
    /** The planned inputs (or, for a delete, the old inputs). */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** The outputs of the deployed resource, when it exists. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** {@link CollectedPreview} is everything one stack's preview events said. */
export interface CollectedPreview {
    readonly changes: ResourceChange[];
    readonly findings: Finding[];
    readonly resources: ResourceView[];
    /** The engine's change summary (`{ create: 2, same: 1 }`), when it sent one. */
    readonly changeSummary?: Record<string, number>;
    /** The summary event's result (`succeeded` / `failed`), when sent. */
    readonly result?: string;
    /** The stack's outputs as the preview computed them (unknowns as the engine's placeholder). */
    readonly stackOutputs?: Readonly<Record<string, unknown>>;
    /** The structured check report of the preview (what the program declared, what each check returned). */
    readonly checks?: readonly CheckRecord[];
}

/** `pulumi-nodejs:dynamic/peering:Vpc` → `Vpc`. */
export function shortType(type: string): string {
    const m = /^pulumi-nodejs:dynamic\/[^:]*:(.+)$/.exec(type);
    return m ? m[1] : type;
}

/** The resource name at the end of a URN. */
export function nameOfUrn(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function isSecret(v: unknown): boolean {
    return !!v && typeof v === "object" && SECRET_SIG in (v as object);
}

/** Renders a leaf value for the report: unknowns and secrets say what they are. */
export function renderValue(v: unknown): string {
    if (v === UNKNOWN) return "(known after apply)";
    const upstream = typeof v === "string" ? parsePlaceholder(v) : undefined;
    if (upstream) return `(${upstream.stack}.${upstream.output}, known once ${upstream.stack} is deployed)`;
    if (isSecret(v)) return "[secret]";
    if (typeof v === "string") return v;
    if (v === undefined) return "(none)";
    return JSON.stringify(v);
}

/** Flattens inputs to dotted leaf paths, skipping `__` keys; `factKeys` (top level) are skipped too when given. */
export function flatten(value: unknown, skipTop: ReadonlySet<string> = new Set()): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const walk = (v: unknown, p: string, top: boolean): void => {
        if (Array.isArray(v)) {
            if (v.length === 0) out.set(p, []);
            v.forEach((x, i) => walk(x, `${p}[${i}]`, false));
        } else if (v && typeof v === "object" && !isSecret(v)) {
            const entries = Object.entries(v).filter(
                ([k, x]) => !k.startsWith("__") && x !== undefined && !(top && skipTop.has(k)),
            );
            if (entries.length === 0 && p) out.set(p, {});
            for (const [k, x] of entries) walk(x, p ? `${p}.${k}` : k, false);
        } else if (v !== undefined && v !== null) {
            out.set(p, v);
        }
    };
    walk(value ?? {}, "", true);
    return out;
}

function same(a: unknown, b: unknown): boolean {
    if (isSecret(a) && isSecret(b)) return true;
    return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * {@link propertyChanges} is our property-level diff between old and new inputs. Creates list the new inputs and
 * deletes the old ones (top-level facts for the preview checks left out); updates and replaces list what differs.
 */
export function propertyChanges(
    op: ChangeOp,
    oldInputs: Record<string, unknown> | undefined,
    newInputs: Record<string, unknown> | undefined,
): PropertyChange[] {
    if (op === "create") {
        return [...flatten(newInputs, FACT_KEYS)].map(([p, v]) => ({ path: p, kind: "add", new: renderValue(v) }));
    }
    if (op === "delete") {
        return [...flatten(oldInputs, FACT_KEYS)].map(([p, v]) => ({ path: p, kind: "delete", old: renderValue(v) }));
    }
    const a = flatten(oldInputs);
    const b = flatten(newInputs);
    const out: PropertyChange[] = [];
    for (const p of [...new Set([...a.keys(), ...b.keys()])].sort()) {
        const has = [a.has(p), b.has(p)];
        if (has[0] && has[1]) {
            if (!same(a.get(p), b.get(p))) {
                out.push({ path: p, kind: "update", old: renderValue(a.get(p)), new: renderValue(b.get(p)) });
            }
        } else if (has[1]) out.push({ path: p, kind: "add", new: renderValue(b.get(p)) });
        else out.push({ path: p, kind: "delete", old: renderValue(a.get(p)) });
    }
    return out;
}

/** Rule ids in a message (`[peering-cidr-overlap]`), restricted to the rules this package defines. */
export function rulesIn(message: string): string[] {
    const out: string[] = [];
    for (const m of message.matchAll(/\[([a-z0-9-]+)\]/g)) {
        if (m[1] in RULE_TITLES && !out.includes(m[1])) out.push(m[1]);
    }
    return out;
}

/**
 * {@link classifyDiagnostic} sorts a diagnostic into the report's buckets, or undefined for noise (debug output,
 * plain info, the stack traces a cancelled program prints on stderr).
 */
export function classifyDiagnostic(severity: string, message: string, resource?: string): Finding | undefined {
    const text = cleanMessage(message, resource);
    if (!text) return undefined;
    const rule = rulesIn(text)[0];
    const extra = { ...(rule ? { rule } : {}), ...(resource ? { resource } : {}), message: text };
    if (/deferred until apply/.test(text)) return { kind: "deferred", ...extra };
    if (severity === "error") return rule ? { kind: "failure", ...extra } : { kind: "error", ...extra };
    if (severity === "warning") return { kind: "warning", ...extra };
    return undefined;
}

/**
 * Drops the engine's boilerplate around a check failure, a leading `Type "name": ` that repeats the resource the
 * diagnostic is attached to (`resource` is `Type name`), and trailing whitespace.
 */
export function cleanMessage(message: string, resource?: string): string {
    let m = message.replace(/\s+$/, "");
    // "<type> resource '<name>': property <p> value <v> has a problem: [rule] …" → "[rule] …"
    const problem = /has a problem: (\[[a-z0-9-]+\][\s\S]*)$/.exec(m);
    if (problem) m = problem[1];
    m = m.replace(/^warning: /, "").replace(/^error: /, "");
    if (resource) {
        const sp = resource.indexOf(" ");
        const repeat = `${resource.slice(0, sp)} "${resource.slice(sp + 1)}": `;
        if (m.startsWith(repeat)) m = m.slice(repeat.length);
        else if (m.replace(/^\[[a-z0-9-]+\] /, "").startsWith(repeat)) {
            const rule = /^\[[a-z0-9-]+\] /.exec(m)![0];
            m = rule + m.slice(rule.length + repeat.length);
        }
    }
    return m.trim();
}

const REPLACEMENT_STEPS = new Set(["create-replacement", "delete-replaced", "discard-replaced"]);

/** {@link PreviewCollector} accumulates one preview's engine events. */
export class PreviewCollector {
    private readonly changes = new Map<string, ResourceChange>();
    private readonly resources = new Map<string, ResourceView>();
    private readonly findings: Finding[] = [];
    private readonly seen = new Set<string>();
    private changeSummary?: Record<string, number>;
    private result?: string;
    private stackOutputs?: Record<string, unknown>;

    /** Pass as (or call from) the Automation API's `onEvent`. */
    readonly onEvent = (e: EngineEvent): void => {
        if (e.resourcePreEvent) this.step(e.resourcePreEvent.metadata);
        if (e.resOutputsEvent?.metadata.type === "pulumi:pulumi:Stack") {
            this.stackOutputs = { ...((e.resOutputsEvent.metadata.new?.outputs ?? {}) as Record<string, unknown>) };
        }
        if (e.diagnosticEvent) {
            const d = e.diagnosticEvent;
            const resource = d.urn ? this.label(d.urn) : undefined;
            const f = classifyDiagnostic(d.severity, d.message, resource);
            if (f) {
                const key = `${f.kind}\0${f.resource ?? ""}\0${f.message}`;
                if (!this.seen.has(key)) {
                    this.seen.add(key);
                    this.findings.push(f);
                }
            }
        }
        if (e.summaryEvent) {
            this.changeSummary = { ...(e.summaryEvent.resourceChanges as Record<string, number>) };
            this.result = (e.summaryEvent as unknown as { result?: string }).result;
        }
    };

    private label(urn: string): string {
        const r = this.resources.get(urn);
        const type = r?.type ?? shortType(urn.split("::")[2] ?? "");
        return `${type} ${nameOfUrn(urn)}`;
    }

    private step(m: {
        op: string;
        urn: string;
        type: string;
        old?: StepEventStateMetadata;
        new?: StepEventStateMetadata;
    }): void {
        if (m.type.startsWith("pulumi:providers:") || m.type === "pulumi:pulumi:Stack") return;
        const type = shortType(m.type);
        const name = nameOfUrn(m.urn);
        const state = m.new ?? m.old;
        const id = m.old?.id || (m.new?.id && m.new.id !== UNKNOWN ? m.new.id : undefined);
        if (!REPLACEMENT_STEPS.has(m.op)) {
            this.resources.set(m.urn, {
                type,
                name,
                urn: m.urn,
                op: m.op,
                id: id || undefined,
                inputs: (state?.inputs ?? {}) as Record<string, unknown>,
                outputs: (m.old?.outputs ?? {}) as Record<string, unknown>,
            });
        }
        const op = m.op as ChangeOp;
        if (!["create", "update", "replace", "delete"].includes(op)) return;
        const oldInputs = m.old?.inputs as Record<string, unknown> | undefined;
        const newInputs = m.new?.inputs as Record<string, unknown> | undefined;
        const properties = propertyChanges(op, oldInputs, newInputs);
        const internalOnly = (op === "update" || op === "replace") && properties.length === 0;
        this.changes.set(m.urn, { op, type, name, urn: m.urn, properties, ...(internalOnly ? { internalOnly } : {}) });
    }

    /** What was collected so far. */
    collected(): CollectedPreview {
        return {
            changes: [...this.changes.values()],
            findings: [...this.findings],
            resources: [...this.resources.values()],
            changeSummary: this.changeSummary,
            result: this.result,
            ...(this.stackOutputs ? { stackOutputs: this.stackOutputs } : {}),
        };
    }
}

/**
 * {@link applyCheckRecords} takes a preview's constraint failures and deferred checks from its check report: per
 * resource, what its provider's `check` returned (else what the program found), as structured findings. Diagnostics
 * that print one of them are dropped (they say the same thing); every other diagnostic stays.
 */
export function applyCheckRecords(c: CollectedPreview, records: readonly CheckRecord[]): CollectedPreview {
    if (records.length === 0) return c;
    const last = (source: CheckRecord["source"]) => {
        const m = new Map<string, CheckRecord>();
        for (const r of records) if (r.source === source) m.set(`${r.kind} ${r.name}`, r);
        return m;
    };
    const program = last("program");
    const provider = last("provider");
    const structured: Finding[] = [];
    const texts: string[] = [];
    for (const resource of new Set([...program.keys(), ...provider.keys()])) {
        const violations = (provider.get(resource) ?? program.get(resource))!.violations;
        const deferred = (program.get(resource) ?? provider.get(resource))!.deferred;
        for (const v of violations) {
            const message = cleanMessage(v.message, resource);
            texts.push(v.message, message);
            structured.push({ kind: "failure", rule: v.rule, resource, message, violation: v });
        }
        for (const d of deferred) {
            texts.push(d.reason);
            structured.push({ kind: "deferred", rule: d.rule, resource, message: d.reason });
        }
    }
    const rest = c.findings.filter((f) => !texts.some((t) => f.message.includes(t)));
    return { ...c, findings: [...structured, ...rest], checks: records };
}
