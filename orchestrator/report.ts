// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PR preview report, from a preview over a plan: per stack the planned creates / updates / replaces / deletes
// with the changed properties, every constraint failure and deferred check, the pending acceptances with their
// expiry, and a topology of VPCs, peerings and routes — as Markdown (a PR comment, Mermaid diagram inside), JSON
// (for machines) and a standalone SVG. Everything here is pure: it renders recorded preview results.

import type { ChangeOp, Finding, PropertyChange, ResourceChange, ResourceView } from "./events";
import { UNKNOWN } from "./events";
import { isPlaceholder, parsePlaceholder } from "../core/checkReport";
import { PENDING_ACCEPTANCE_DAYS } from "../core/rules";
import { describeNotFinal, NotFinalRead } from "../core/plannedOutputs";
import type { PlaceholderUse, PreviewRun, StackPreviewResult } from "./runner";
import type { PlaceholderMapping } from "./planCheck";
import { code, md, topologySection } from "./markdown";

export { md };

/** Past this many properties per resource the report says "… n more". */
const MAX_PROPERTIES = 14;
/** A stack's change table longer than this is collapsed in `<details>`. */
const MAX_OPEN_ROWS = 8;

/** {@link StackSection} is one stack in the report. */
export interface StackSection {
    readonly name: string;
    readonly fqName: string;
    readonly program: string;
    readonly status: "ok" | "failed" | "skipped";
    readonly reason?: string;
    readonly durationMs: number;
    readonly counts: Readonly<Record<ChangeOp, number>>;
    readonly changes: readonly ResourceChange[];
    readonly failures: readonly Finding[];
    readonly deferred: readonly Finding[];
    readonly warnings: readonly Finding[];
    readonly errors: readonly Finding[];
    readonly notes: readonly string[];
    /** Outputs of upstream stacks not deployed yet that this preview used (from their previews, or placeholders). */
    readonly placeholders?: readonly PlaceholderUse[];
    /** Facts read through StackReferences from upstream outputs this change replaces (checked at `up`). */
    readonly notFinal?: readonly NotFinalRead[];
}

/** {@link PendingItem} is a peering request that waits (or will wait) for the peer's acceptance. */
export interface PendingItem {
    readonly stack: string;
    readonly resource: string;
    readonly peeringId?: string;
    /** `pending` (deployed, waiting), `expired` (deployed, past its expiry), `new` (created by this change). */
    readonly state: "pending" | "expired" | "new";
    readonly expiresAt?: string;
    readonly peerProjectId?: string;
    /** The accepter in this plan that accepts it (`stack/resource`), if any. */
    readonly acceptedBy?: string;
}

/** {@link TopoVpc} is a VPC node of the topology. */
export interface TopoVpc {
    readonly key: string;
    readonly name: string;
    readonly stack?: string;
    readonly account?: string;
    readonly cidr?: string;
    readonly id?: string;
    /**
     * The planned operation (`same` for unchanged, `external` for a VPC outside the previewed stacks, `failing` for
     * one a constraint failure names or that a failed stack would have created).
     */
    readonly op: string;
}

/** {@link TopoPeering} is a peering edge. */
export interface TopoPeering {
    readonly key: string;
    readonly name: string;
    readonly stack: string;
    readonly from: string;
    readonly to: string;
    readonly id?: string;
    /**
     * `ACTIVE`, `PENDING_ACCEPTANCE`, … for a deployed peering; `new` for one this change creates; `failing` for one
     * a constraint failure names or a failed stack would create.
     */
    readonly status: string;
    readonly op: string;
    readonly acceptedBy?: string;
}

/** {@link TopoRoute} is a route of one VPC through a peering. */
export interface TopoRoute {
    readonly key: string;
    readonly name: string;
    readonly stack: string;
    readonly vpc: string;
    readonly destination?: string;
    readonly peering?: string;
    /** The VPC at the other end of the peering, when known. */
    readonly to?: string;
    readonly op: string;
}

/** {@link Topology} is the peering graph the previews describe. */
export interface Topology {
    readonly vpcs: readonly TopoVpc[];
    readonly peerings: readonly TopoPeering[];
    readonly routes: readonly TopoRoute[];
}

/** {@link PreviewReport} is the report's data; the JSON output is exactly this. */
export interface PreviewReport {
    readonly schema: "pulumi-vpc-peering/preview-report@1";
    readonly plan: string;
    readonly generatedAt: string;
    readonly ok: boolean;
    /** Counts; `pending` counts every waiting request, `unaccepted` those that nobody in this plan accepts. */
    readonly totals: Readonly<
        Record<ChangeOp | "failures" | "deferred" | "pending" | "unaccepted" | "failedStacks" | "skippedStacks", number>
    >;
    readonly stacks: readonly StackSection[];
    readonly pending: readonly PendingItem[];
    readonly topology: Topology;
    /** When the plan was checked as a whole: which declared VPC each placeholder id was taken as. */
    readonly placeholderMappings?: readonly PlaceholderMapping[];
}

function known(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && v !== UNKNOWN && !isPlaceholder(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** {@link buildReport} turns a preview run into the report's data. `now` decides what has expired. */
export function buildReport(run: PreviewRun, now: Date = new Date(run.generatedAt)): PreviewReport {
    const changedStacks = new Set(
        run.stacks.filter((s) => s.status === "ok" && s.collected.changes.length > 0).map((s) => s.name),
    );
    const failedStacks = new Set(run.stacks.filter((s) => s.status === "failed").map((s) => s.name));
    const sections: StackSection[] = run.stacks.map((s) => section(s, run, changedStacks, failedStacks));
    const topology = buildTopology(run.stacks);
    const pending = pendingItems(run.stacks, topology, now);
    const sum = (f: (s: StackSection) => number): number => sections.reduce((n, s) => n + f(s), 0);
    return {
        schema: "pulumi-vpc-peering/preview-report@1",
        plan: run.plan,
        generatedAt: run.generatedAt,
        ok: run.ok,
        totals: {
            create: sum((s) => s.counts.create),
            update: sum((s) => s.counts.update),
            replace: sum((s) => s.counts.replace),
            delete: sum((s) => s.counts.delete),
            failures: sum((s) => s.failures.length),
            deferred: sum((s) => s.deferred.length),
            pending: pending.length,
            unaccepted: pending.filter((p) => !p.acceptedBy).length,
            failedStacks: failedStacks.size,
            skippedStacks: sections.filter((s) => s.status === "skipped").length,
        },
        stacks: sections,
        pending,
        topology,
        ...(run.placeholderMappings?.length ? { placeholderMappings: run.placeholderMappings } : {}),
    };
}

function section(
    s: StackPreviewResult,
    run: PreviewRun,
    changedStacks: ReadonlySet<string>,
    failedStacks: ReadonlySet<string>,
): StackSection {
    const counts: Record<ChangeOp, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const c of s.collected.changes) counts[c.op]++;
    const f = (k: Finding["kind"]) => s.collected.findings.filter((x) => x.kind === k);
    const notes: string[] = [];
    if (s.status !== "skipped") {
        const direct = run.dependsOn[s.name] ?? [];
        const list = (xs: string[]) => xs.map((d) => `\`${d}\``).join(", ");
        // An upstream stood in for by its preview (not deployed yet, or its changed outputs) is not "the deployed
        // outputs"; nor is one whose changed outputs the program was told about (read at apply).
        const stoodIn = new Set([
            ...(s.placeholders ?? []).map((p) => p.stack),
            ...(s.notFinal ?? []).map((r) => run.stacks.find((x) => x.fqName === r.stack)?.name ?? r.stack),
        ]);
        const changing = direct.filter((d) => changedStacks.has(d) && !stoodIn.has(d));
        const failing = direct.filter((d) => failedStacks.has(d) && !stoodIn.has(d));
        if (changing.length) {
            notes.push(
                `Previewed against the **deployed** outputs of ${list(changing)}, which this change also modifies: ` +
                    `preview again after ${changing.length === 1 ? "it is" : "they are"} applied.`,
            );
        }
        if (failing.length) {
            notes.push(
                `Previewed against the **deployed** outputs of ${list(failing)}, whose preview failed: ` +
                    `fix ${failing.length === 1 ? "it" : "them"} first.`,
            );
        }
    }
    const planned = (s.placeholders ?? []).filter((p) => p.deployed !== undefined);
    if (planned.length) {
        notes.push(
            `Previewed with the outputs this change gives its upstream: ` +
                planned
                    .map((p) =>
                        p.from === "preview"
                            ? `\`${p.stack}.${p.output}\` = ${p.value} (deployed: ${p.deployed})`
                            : `\`${p.stack}.${p.output}\` = ${p.value} as deployed (its planned value is known once applied; not decided on)`,
                    )
                    .join(", ") +
                ".",
        );
    }
    if (s.notFinal?.length) {
        notes.push(
            `Reads through StackReferences ${describeNotFinal(s.notFinal)} — outputs this change replaces: the ` +
                `checks that use them are not decided by this preview; \`peering-stacks up\` runs them when it reaches ` +
                `this stack, after its upstream is applied.`,
        );
    }
    const missing = (s.placeholders ?? []).filter((p) => p.deployed === undefined);
    if (missing.length) {
        const ups = [...new Set(missing.map((p) => p.stack))];
        notes.push(
            `Previewed before ${ups.map((u) => `\`${u}\``).join(", ")} ${ups.length === 1 ? "is" : "are"} deployed: ` +
                missing
                    .map((p) =>
                        p.from === "preview"
                            ? `\`${p.stack}.${p.output}\` = ${p.value} (from its preview)`
                            : `\`${p.stack}.${p.output}\` is a placeholder (known once it is deployed)`,
                    )
                    .join(", ") +
                ".",
        );
    }
    for (const x of f("failure").filter((y) => y.stacks && y.stacks.length > 1)) {
        notes.push(
            `\`${x.rule}\` on ${x.resource} was found by checking the stacks ${x.stacks!.map((n) => `\`${n}\``).join(", ")} together.`,
        );
    }
    const errors = f("error");
    // A failed preview with no diagnostic still says why.
    if (s.status === "failed" && f("failure").length === 0 && errors.length === 0 && s.reason) {
        errors.push({ kind: "error", message: s.reason });
    }
    return {
        name: s.name,
        fqName: s.fqName,
        program: s.program,
        status: s.status,
        reason: s.reason,
        durationMs: s.durationMs,
        counts,
        changes: s.collected.changes,
        failures: f("failure"),
        deferred: f("deferred"),
        warnings: f("warning"),
        errors,
        notes,
        ...(s.placeholders?.length ? { placeholders: s.placeholders } : {}),
        ...(s.notFinal?.length ? { notFinal: s.notFinal } : {}),
    };
}

/**
 * The resources of one stack as the topology draws them. A resource whose check failed has no step in the preview
 * (the engine stops at its check), so it is drawn from what its program declared (the check report), as `failing`;
 * in a failed stack nothing is created, so what it would create is `failing` too.
 */
function topologyViews(s: StackPreviewResult, namedElsewhere: ReadonlySet<string> = new Set()): ResourceView[] {
    const failing = new Set<string>(namedElsewhere);
    for (const f of s.collected.findings) {
        if (f.kind !== "failure") continue;
        if (f.resource) failing.add(f.resource.slice(f.resource.indexOf(" ") + 1));
        for (const n of f.violation?.resources ?? []) {
            failing.add(n.startsWith(`${s.name}/`) ? n.slice(s.name.length + 1) : n);
        }
    }
    const mark = (r: ResourceView): ResourceView =>
        failing.has(r.name) || (s.status === "failed" && ["create", "replace", "update"].includes(r.op))
            ? { ...r, op: "failing" }
            : r;
    const views = s.collected.resources.map(mark);
    const have = new Set(views.map((r) => `${r.type}/${r.name}`));
    for (const rec of s.collected.checks ?? []) {
        if (rec.source !== "program" || have.has(`${rec.kind}/${rec.name}`)) continue;
        have.add(`${rec.kind}/${rec.name}`);
        const f = rec.facts ?? {};
        const inputs: Record<string, unknown> = f.vpc
            ? { name: rec.name, cidr: f.vpc.cidr, account: f.vpc.account, region: f.vpc.region }
            : f.peering
              ? {
                    name: rec.name,
                    requester: f.peering.requester,
                    accepter: f.peering.accepter,
                    requesterVpcId: f.peering.requester.id,
                    accepterVpcId: f.peering.accepter.id,
                }
              : f.route
                ? { vpc: f.route.vpc, destination: f.route.destination, peering: { name: f.route.peering.name } }
                : { peering: f.accepter ? { name: f.accepter.peering.name } : undefined };
        views.push({ type: rec.kind, name: rec.name, urn: "", op: "failing", inputs, outputs: {} });
    }
    return views;
}

/** {@link buildTopology} assembles VPCs, peerings and routes across the previewed stacks. */
export function buildTopology(stacks: readonly StackPreviewResult[]): Topology {
    const vpcs = new Map<string, TopoVpc>();
    const byId = new Map<string, string>();
    const byName = new Map<string, string>();
    // A failure found across stacks names resources of other stacks too (`spoke-a/shop-payments`): draw them failing.
    const named = new Map<string, Set<string>>();
    for (const s of stacks) {
        for (const f of s.collected.findings) {
            if (f.kind !== "failure" || !f.stacks) continue;
            for (const n of f.violation?.resources ?? []) {
                const slash = n.indexOf("/");
                const other = slash > 0 ? n.slice(0, slash) : undefined;
                if (other && other !== s.name && f.stacks.includes(other)) {
                    if (!named.has(other)) named.set(other, new Set());
                    named.get(other)!.add(n.slice(slash + 1));
                }
            }
        }
    }
    const all = stacks.flatMap((s) => topologyViews(s, named.get(s.name)).map((r) => ({ stack: s.name, r })));
    for (const { stack, r } of all) {
        if (r.type !== "Vpc") continue;
        const id = known(r.id);
        const key = id ? `id:${id}` : `${stack}/${r.name}`;
        vpcs.set(key, {
            key,
            name: r.name, // the program's name (an auto-named API name carries a random suffix)
            stack,
            account: known(r.inputs.account),
            cidr: known(r.inputs.cidr),
            id,
            op: r.op,
        });
        if (id) byId.set(id, key);
        byName.set(`${stack}/${r.name}`, key);
    }
    const vpcFor = (stack: string, idValue: unknown, factsValue: unknown, fallback: string): string => {
        const facts = obj(factsValue);
        // The placeholder of a not-yet-deployed upstream's VPC: that stack's VPC with the same CIDR (or its only one).
        const upstream = [idValue, facts.id]
            .map((v) => (typeof v === "string" ? parsePlaceholder(v) : undefined))
            .find((p) => p);
        if (upstream) {
            const candidates = [...vpcs.values()].filter((v) => v.stack === upstream.stack && v.op !== "external");
            const cidr = known(facts.cidr);
            const same = cidr ? candidates.filter((v) => v.cidr === cidr) : candidates;
            if (same.length === 1) return same[0]!.key;
        }
        const id = known(idValue) ?? known(facts.id);
        if (id && byId.has(id)) return byId.get(id)!;
        const name = known(facts.name);
        if (name && byName.has(`${stack}/${name}`)) return byName.get(`${stack}/${name}`)!;
        const key = id ? `id:${id}` : `${stack}/${fallback}`;
        if (!vpcs.has(key)) {
            vpcs.set(key, {
                key,
                name: name ?? (id ? `vpc ${id.slice(0, 8)}` : "VPC outside the plan"),
                account: known(facts.account),
                cidr: known(facts.cidr),
                id,
                op: "external",
            });
            if (id) byId.set(id, key);
        }
        return key;
    };
    const peerings = new Map<string, TopoPeering>();
    const peeringById = new Map<string, string>();
    const peeringByName = new Map<string, string>();
    for (const { stack, r } of all) {
        if (r.type !== "PeeringConnection") continue;
        const id = known(r.id);
        const key = id ? `p:${id}` : `${stack}/${r.name}`;
        const from = vpcFor(stack, r.inputs.requesterVpcId, r.inputs.requester, `${r.name}:requester`);
        const to = vpcFor(stack, r.inputs.accepterVpcId, r.inputs.accepter, `${r.name}:accepter`);
        const status =
            r.op === "failing"
                ? "failing"
                : r.op === "create" || r.op === "replace"
                  ? "new"
                  : (known(r.outputs.status) ?? "unknown");
        peerings.set(key, { key, name: r.name, stack, from, to, id, status, op: r.op });
        if (id) peeringById.set(id, key);
        peeringByName.set(`${stack}/${r.name}`, key);
    }
    const peeringFor = (stack: string, idValue: unknown, factsValue: unknown): string | undefined => {
        const id = known(idValue) ?? known(obj(factsValue).id);
        if (id && peeringById.has(id)) return peeringById.get(id);
        const name = known(obj(factsValue).name);
        if (name && peeringByName.has(`${stack}/${name}`)) return peeringByName.get(`${stack}/${name}`);
        return undefined;
    };
    for (const { stack, r } of all) {
        if (r.type !== "PeeringAccepter") continue;
        let key = peeringFor(stack, r.inputs.peeringConnectionId, r.inputs.peering);
        if (!key) {
            // The requester side is not in this preview: draw the peering from what the accepter knows.
            const id = known(r.inputs.peeringConnectionId) ?? known(r.id);
            const facts = obj(r.inputs.peering);
            const from = vpcFor(stack, r.outputs.requesterVpcId, facts.requester, `${r.name}:requester`);
            const to = vpcFor(stack, r.outputs.accepterVpcId, facts.accepter, `${r.name}:accepter`);
            key = id ? `p:${id}` : `${stack}/${r.name}:peering`;
            peerings.set(key, {
                key,
                name: known(r.outputs.peeringName) ?? known(facts.name) ?? r.name,
                stack,
                from,
                to,
                id,
                status: known(r.outputs.status) ?? "unknown",
                op: "external",
            });
            if (id) peeringById.set(id, key);
        }
        const p = peerings.get(key)!;
        // The requester's recorded status is from its last up or refresh; a deployed accepter knows better.
        const accepted = r.op === "same" && known(r.outputs.status);
        peerings.set(key, {
            ...p,
            acceptedBy: `${stack}/${r.name}`,
            ...(accepted && p.op === "same" ? { status: accepted } : {}),
        });
    }
    const routes: TopoRoute[] = [];
    for (const { stack, r } of all) {
        if (r.type !== "Route") continue;
        const vpc = vpcFor(stack, r.inputs.vpcId, r.inputs.vpc, `${r.name}:vpc`);
        const peering = peeringFor(stack, r.inputs.peeringConnectionId, r.inputs.peering);
        const p = peering ? peerings.get(peering) : undefined;
        const to = p ? (p.from === vpc ? p.to : p.to === vpc ? p.from : undefined) : undefined;
        routes.push({
            key: `${stack}/${r.name}`,
            name: r.name,
            stack,
            vpc,
            destination: known(r.inputs.destination),
            peering,
            to,
            op: r.op,
        });
    }
    return { vpcs: [...vpcs.values()], peerings: [...peerings.values()], routes };
}

function isCrossAccount(r: ResourceView): boolean {
    const req = obj(r.inputs.requester);
    const acc = obj(r.inputs.accepter);
    const a = known(req.account) ?? known(r.inputs.account);
    const b = known(acc.account);
    if (a && b) return a !== b;
    const peer = r.inputs.peerProjectId;
    if (peer === undefined || peer === null || peer === "") return false;
    const own = known(req.projectId);
    return !(own && known(peer) === own);
}

function pendingItems(stacks: readonly StackPreviewResult[], topo: Topology, now: Date): PendingItem[] {
    const out: PendingItem[] = [];
    for (const s of stacks) {
        for (const r of s.collected.resources) {
            if (r.type !== "PeeringConnection" || r.op === "delete") continue;
            const id = known(r.id);
            const p = topo.peerings.find((x) => (id ? x.id === id : x.key === `${s.name}/${r.name}`));
            const base = {
                stack: s.name,
                resource: r.name,
                peeringId: id,
                peerProjectId: known(r.inputs.peerProjectId),
                acceptedBy: p?.acceptedBy,
            };
            if (r.op === "create" || r.op === "replace") {
                if (isCrossAccount(r)) out.push({ ...base, state: "new" });
            } else if (r.outputs.status === "PENDING_ACCEPTANCE" && p?.status !== "ACTIVE") {
                const expiresAt = known(r.outputs.expiresAt);
                const expired = expiresAt !== undefined && Date.parse(expiresAt) < now.getTime();
                out.push({ ...base, state: expired ? "expired" : "pending", expiresAt });
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const OP_SIGN: Record<ChangeOp, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const STATUS_ICON: Record<StackSection["status"], string> = { ok: "✅", failed: "❌", skipped: "⏸️" };

function propertyText(p: PropertyChange): string {
    if (p.kind === "add") return `${code(p.path)} = ${code(p.new ?? "")}`;
    if (p.kind === "delete") return `${code(p.path)} ~~${code(p.old ?? "")}~~`;
    return `${code(p.path)}: ${code(p.old ?? "")} → ${code(p.new ?? "")}`;
}

function changeRow(c: ResourceChange): string {
    let props: string;
    if (c.internalOnly) props = "_only the serialized provider code changed (no input differs)_";
    else {
        const shown = c.properties.slice(0, MAX_PROPERTIES).map(propertyText);
        if (c.properties.length > MAX_PROPERTIES) shown.push(`… ${c.properties.length - MAX_PROPERTIES} more`);
        props = shown.join("<br>") || "—";
    }
    return `| ${OP_SIGN[c.op]} ${c.op} | ${code(`${c.type} ${c.name}`)} | ${props} |`;
}

function findingLine(f: Finding): string {
    const who = f.resource ? `**${md(f.resource)}**: ` : "";
    const rule = f.rule ? `${code(f.rule)} ` : "";
    let msg = f.message;
    if (f.rule) msg = msg.replace(`[${f.rule}] `, "");
    return `- ${rule}${who}${md(msg)}`;
}

function fmtDate(iso?: string): string {
    if (!iso) return "—";
    const d = new Date(iso);
    return Number.isNaN(d.getTime())
        ? iso
        : d
              .toISOString()
              .replace(/\.\d{3}Z$/, "Z")
              .replace("T", " ");
}

/** {@link renderMarkdown} renders the report as a PR comment. */
export function renderMarkdown(r: PreviewReport, opts: { svgPath?: string; title?: string } = {}): string {
    const L: string[] = [];
    const t = r.totals;
    const previewed = r.stacks.filter((s) => s.status !== "skipped").length;
    L.push(`## ${opts.title ?? `VPC peering preview: ${md(r.plan)}`}`);
    L.push("");
    L.push(
        `${r.ok ? "✅" : "❌"} **${previewed} of ${r.stacks.length} stacks previewed**` +
            (t.failedStacks ? `, **${t.failedStacks} failed**` : "") +
            (t.skippedStacks ? `, ${t.skippedStacks} waiting for upstream` : "") +
            ` · ${t.create} to create · ${t.update} to update · ${t.replace} to replace · ${t.delete} to delete` +
            ` · ${t.failures} constraint failure${t.failures === 1 ? "" : "s"}` +
            ` · ${t.deferred} deferred check${t.deferred === 1 ? "" : "s"}` +
            ` · ${t.pending} pending acceptance${t.pending === 1 ? "" : "s"}` +
            (t.pending ? ` (${t.pending - t.unaccepted} accepted by this plan)` : ""),
    );
    L.push("");
    L.push("| Stack | Result | + | ~ | +- | - | Failures | Deferred |");
    L.push("|---|---|---:|---:|---:|---:|---:|---:|");
    for (const s of r.stacks) {
        const result =
            s.status === "skipped" ? `${STATUS_ICON.skipped} not previewed` : `${STATUS_ICON[s.status]} ${s.status}`;
        L.push(
            `| ${code(s.name)} | ${result} | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ` +
                `${s.counts.delete} | ${s.failures.length} | ${s.deferred.length} |`,
        );
    }
    L.push("");

    if (r.pending.length) {
        L.push("### Pending acceptances");
        L.push("");
        L.push("| Peering | Stack | State | Expires | Accepted by |");
        L.push("|---|---|---|---|---|");
        for (const p of r.pending) {
            const state =
                p.state === "new"
                    ? `new cross-account request: PENDING_ACCEPTANCE once created`
                    : p.state === "expired"
                      ? "⚠️ EXPIRED (the next `up` requests again)"
                      : "⏳ PENDING_ACCEPTANCE";
            const expires =
                p.state === "new" ? `${PENDING_ACCEPTANCE_DAYS} days after it is created` : fmtDate(p.expiresAt);
            const by = p.acceptedBy
                ? `${code(p.acceptedBy)} in this plan`
                : `nobody in this plan: the owner of project ${code(p.peerProjectId ?? "?")} must accept it`;
            L.push(
                `| ${code(p.resource)}${p.peeringId ? ` (${code(p.peeringId)})` : ""} | ${code(p.stack)} | ${state} | ${expires} | ${by} |`,
            );
        }
        L.push("");
    }

    if (r.topology.vpcs.length) L.push(...topologySection("Topology", renderMermaid(r.topology), opts.svgPath));

    for (const s of r.stacks) {
        L.push(`### ${STATUS_ICON[s.status]} ${code(s.name)}`);
        L.push("");
        L.push(
            `${code(s.fqName)} · program ${code(s.program)}${s.durationMs ? ` · ${(s.durationMs / 1000).toFixed(1)}s` : ""}`,
        );
        L.push("");
        if (s.status === "skipped") {
            L.push(`> ${md(s.reason ?? "not previewed")}`);
            L.push("");
            continue;
        }
        for (const n of s.notes) L.push(`> ${n}`, "");
        if (s.failures.length) {
            L.push("**Constraint failures** (the preview fails; nothing would be created)");
            L.push("");
            for (const f of s.failures) L.push(findingLine(f));
            L.push("");
        }
        if (s.errors.length) {
            L.push("**Errors**");
            L.push("");
            for (const f of s.errors) L.push(findingLine(f));
            L.push("");
        }
        if (s.deferred.length) {
            L.push("**Checks deferred until apply** (a value is unknown until then; the provider checks again)");
            L.push("");
            for (const f of s.deferred) L.push(findingLine(f));
            L.push("");
        }
        if (s.warnings.length) {
            L.push("<details><summary>Warnings</summary>");
            L.push("");
            for (const f of s.warnings) L.push(findingLine(f));
            L.push("");
            L.push("</details>");
            L.push("");
        }
        if (s.changes.length) {
            // A long table is collapsed, so the summary, failures and other stacks stay in view.
            const collapse = s.changes.length > MAX_OPEN_ROWS;
            if (collapse) L.push(`<details><summary>${s.changes.length} resource changes</summary>`, "");
            L.push("| Operation | Resource | Properties |");
            L.push("|---|---|---|");
            for (const c of s.changes) L.push(changeRow(c));
            L.push("");
            if (collapse) L.push("</details>", "");
        } else if (s.status === "ok") {
            L.push("No changes.");
            L.push("");
        }
    }
    L.push(
        "<sub>Property diffs are computed by pulumi-vpc-peering from the engine's old and new inputs (the CLI shows " +
            "none for dynamic resources); internal inputs are hidden. Stacks read their upstream's last deployed " +
            "outputs.</sub>",
    );
    return L.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Mermaid

function mermaidLabel(text: string): string {
    return text.replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"));
}

function accountsOf(t: Topology): string[] {
    return [...new Set(t.vpcs.map((v) => v.account ?? "?"))].sort((a, b) =>
        a === "?" ? 1 : b === "?" ? -1 : a.localeCompare(b),
    );
}

/** {@link renderMermaid} draws the topology as a Mermaid flowchart: accounts as boxes, peerings and routes as edges. */
export function renderMermaid(t: Topology): string {
    const L: string[] = ["flowchart LR"];
    const ids = new Map(t.vpcs.map((v, i) => [v.key, `v${i}`]));
    accountsOf(t).forEach((acct, i) => {
        L.push(`    subgraph a${i}["${acct === "?" ? "account unknown" : `account ${mermaidLabel(acct)}`}"]`);
        for (const v of t.vpcs.filter((x) => (x.account ?? "?") === acct)) {
            const lines = [v.name, v.cidr ?? "CIDR known after apply"];
            if (v.stack) lines.push(`stack ${v.stack}`);
            else lines.push("outside the previewed stacks");
            L.push(`        ${ids.get(v.key)}["${lines.map(mermaidLabel).join("<br/>")}"]`);
        }
        L.push("    end");
    });
    for (const p of t.peerings) {
        const label = `${p.name}: ${p.status === "new" ? "new" : p.status}${p.acceptedBy && p.status !== "ACTIVE" ? ", accepted in plan" : ""}`;
        const arrow =
            p.status === "ACTIVE"
                ? "<==>"
                : p.status === "PENDING_ACCEPTANCE"
                  ? "<-.->"
                  : p.status === "failing"
                    ? "x--x"
                    : "<-->";
        L.push(`    ${ids.get(p.from)} ${arrow}|"${mermaidLabel(label)}"| ${ids.get(p.to)}`);
    }
    for (const r of t.routes) {
        if (!r.to) continue;
        const fails = r.op === "failing" ? " (failing)" : "";
        L.push(`    ${ids.get(r.vpc)} -.->|"route ${mermaidLabel(r.destination ?? "?")}${fails}"| ${ids.get(r.to)}`);
    }
    const classes: Record<string, string> = {
        create: "fill:#dafbe1,stroke:#1a7f37",
        replace: "fill:#fff8c5,stroke:#9a6700",
        update: "fill:#ddf4ff,stroke:#0969da",
        delete: "fill:#ffebe9,stroke:#cf222e",
        external: "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3",
        failing: "fill:#ffebe9,stroke:#cf222e,stroke-width:3px",
    };
    for (const [cls, style] of Object.entries(classes)) {
        const members = t.vpcs.filter((v) => v.op === cls).map((v) => ids.get(v.key));
        if (members.length) {
            L.push(`    classDef ${cls} ${style}`);
            L.push(`    class ${members.join(",")} ${cls}`);
        }
    }
    return L.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// SVG: laid out by dagre, in topologySvg.ts

export { renderSvg } from "./topologySvg";

/** {@link renderJson} is the machine-readable report. */
export function renderJson(r: PreviewReport): string {
    return JSON.stringify(r, null, 2) + "\n";
}
