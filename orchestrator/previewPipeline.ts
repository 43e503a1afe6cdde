// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The plan preview: every stack previewed in dependency order (a failure does not hide the others), each against
// what it will read — deployed outputs, a not-deployed upstream's preview outputs and placeholders, a changing
// upstream's planned outputs — then the rules across stacks over the whole plan (`checkWholePlan`). `up` keeps the
// previews: a stack whose preview still holds is applied without a second one, and the others are checked across
// stacks again at apply with their fresh preview (`recheckAcrossStacks`).

import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";

import { readCheckReport } from "../core/checkReport";
import { encodePlannedOutputs, PLANNED_OUTPUTS_ENV } from "../core/plannedOutputs";
import { CollectedPreview, PreviewCollector, UNKNOWN, applyCheckRecords } from "./events";
import { isLockedError } from "./lock";
import { MissingOutputError, OutputsByStack, PlanStack, dependencyMap, resolveValue, upstreamOf } from "./plan";
import { PlaceholderMapping, checkPlan } from "./planCheck";
import { changingUpstreams, configReferences, plannedConfigOutputs, previewedOutputs } from "./previewInputs";
import { describeChanges, failureText, plural, progressPrinter, secs } from "./progress";
import { redact } from "./redact";
import type { RunContext } from "./runContext";
import type { PreviewRun, StackPreviewResult, UpstreamState } from "./runTypes";
import { runDag } from "./schedule";
import { applyConfig } from "./stackConfig";

/** {@link PreviewPipeline} previews a plan and keeps what it saw for the `up` that follows. */
export class PreviewPipeline {
    private readonly ctx: RunContext;
    private readonly previews = new Map<string, StackPreviewResult>();
    /** Ids of what `up` created or updated, by stack (`Type/name` → id), for the checks across stacks at apply. */
    private readonly appliedIds = new Map<string, Map<string, string>>();
    /** Stacks this `up` changed something in. */
    private readonly changedInRun = new Set<string>();

    constructor(ctx: RunContext) {
        this.ctx = ctx;
    }

    /** An `up` starts: nothing applied yet; without a plan preview there is nothing to re-check across stacks against. */
    beginApply(skipPreview: boolean): void {
        this.appliedIds.clear();
        this.changedInRun.clear();
        if (skipPreview) this.previews.clear();
    }

    /** A stack was applied: the ids of its resources, and whether it changed anything. */
    recordApplied(name: string, ids: Map<string, string>, changed: boolean): void {
        this.appliedIds.set(name, ids);
        if (changed) this.changedInRun.add(name);
    }

    /**
     * `preview` over the given stacks, in dependency order: a stack whose upstream is deployed is previewed against
     * the upstream's *deployed* outputs (what its StackReferences and `${stack.output}` config read). A stack whose
     * upstream is not deployed yet is previewed with the upstream's *preview* outputs where they are known (a CIDR
     * from its config) and placeholders for the rest (ids), when it reads them through `${stack.output}` config; one
     * that depends on it otherwise (a StackReference) is skipped and says so. Then the plan is checked as a whole
     * ({@link checkPlan}): a violation only the union of the stacks shows fails the stack it is about. Failures do
     * not stop the other previews.
     */
    async preview(nodes: readonly string[], refresh: boolean): Promise<PreviewRun> {
        const ctx = this.ctx;
        ctx.forgetReads();
        this.previews.clear();
        ctx.log(`preview ${plural(nodes.length, "stack")} of ${ctx.plan.name} (backend ${ctx.driver.backendUrl})`);
        const result = await runDag<StackPreviewResult>({
            nodes,
            deps: dependencyMap(ctx.plan),
            parallel: ctx.parallel,
            stopOnFailure: false,
            signal: ctx.signal,
            run: (n) => this.previewStack(ctx.stack(n), refresh),
        });
        const stacks = nodes.map((n) => {
            const o = result.outcomes.get(n)!;
            if (o.status === "succeeded") return o.value;
            const s = ctx.stack(n);
            return {
                name: n,
                fqName: s.fqName,
                program: ctx.relProgram(s),
                status: "failed" as const,
                reason: o.status === "failed" ? failureText(o.error, []) : o.reason,
                durationMs: 0,
                deployed: false,
                upstream: [],
                collected: { changes: [], findings: [], resources: [] },
            };
        });
        const planCheck = this.checkWholePlan(stacks);
        return {
            plan: ctx.plan.name,
            ok: planCheck.stacks.every((s) => s.status !== "failed"),
            stacks: planCheck.stacks,
            ...(planCheck.placeholders.length ? { placeholderMappings: planCheck.placeholders } : {}),
            dependsOn: Object.fromEntries(ctx.plan.stacks.map((s) => [s.name, s.dependsOn])),
            generatedAt: new Date().toISOString(),
        };
    }

    /**
     * Whether the plan's preview of a stack is still what `up` would preview now: it passed against deployed
     * outputs only (no placeholder, nothing read that the plan changes) and no upstream changed anything since.
     * Then the stack is applied without previewing it a second time.
     */
    planPreviewHolds(s: PlanStack): boolean {
        const p = this.previews.get(s.name);
        if (!p || p.status !== "ok" || p.placeholders?.length || p.notFinal?.length) return false;
        return upstreamOf(this.ctx.plan, s.name).every((u) => !this.changedInRun.has(u));
    }

    /**
     * At apply: the rules across stacks run again with this stack's fresh preview (its upstreams applied, so what it
     * reads is final now) and what the plan's preview recorded for the others, with the ids `up` gave their new
     * resources. Returns why this stack must not be applied, or undefined. Without a plan preview (`--skip-preview`)
     * there is nothing to join.
     */
    recheckAcrossStacks(s: PlanStack, fresh: CollectedPreview): string | undefined {
        const before = this.previews.get(s.name);
        if (!before) return undefined;
        this.previews.set(s.name, { ...before, status: "ok", collected: fresh });
        const withIds = [...this.previews.values()].map((p) => {
            const ids = this.appliedIds.get(p.name);
            if (!ids) return p;
            const resources = p.collected.resources.map((r) => {
                const id = ids.get(`${r.type}/${r.name}`);
                return id && (!r.id || r.id === UNKNOWN) ? { ...r, id } : r;
            });
            return { ...p, collected: { ...p.collected, resources } };
        });
        // This stack's violations, and those it makes with stacks already applied (one about a stack still to
        // come is that stack's, at its turn).
        const mine = checkPlan(declarationsOf(withIds)).violations.filter(
            (v) =>
                v.stack === s.name ||
                (v.stacks.includes(s.name) && v.stacks.every((x) => x === s.name || this.appliedIds.has(x))),
        );
        if (mine.length === 0) return undefined;
        for (const v of mine) {
            this.ctx.log(
                `[${s.name}] error: ${v.resource} (across stacks ${v.stacks.join(", ")}, checked at apply): ${v.violation.message}`,
            );
        }
        return `checked across stacks ${[...new Set(mine.flatMap((v) => v.stacks))].join(", ")} at apply: ${mine.map((v) => v.violation.message).join("\n")}`;
    }

    /** Runs the graph-wide rules over what every previewed stack declares; cross-stack violations fail their stack. */
    private checkWholePlan(stacks: StackPreviewResult[]): {
        stacks: StackPreviewResult[];
        placeholders: readonly PlaceholderMapping[];
    } {
        const result = checkPlan(declarationsOf(stacks));
        for (const v of result.violations) {
            this.ctx.log(
                `[${v.stack}] error: ${v.resource} (across stacks ${v.stacks.join(", ")}): ${v.violation.message}`,
            );
        }
        const out = stacks.map((s) => {
            const mine = result.violations.filter((v) => v.stack === s.name);
            if (mine.length === 0) return s;
            const findings = mine.map((v) => ({
                kind: "failure" as const,
                rule: v.violation.rule,
                resource: v.resource,
                message: v.violation.message,
                violation: v.violation,
                stacks: v.stacks,
            }));
            const reason = `checked across stacks ${[...new Set(mine.flatMap((v) => v.stacks))].join(", ")}: ${mine.map((v) => v.violation.message).join("\n")}`;
            return {
                ...s,
                status: "failed" as const,
                reason: s.status === "failed" && s.reason ? `${s.reason}\n${reason}` : reason,
                collected: { ...s.collected, findings: [...findings, ...s.collected.findings] },
            };
        });
        return { stacks: out, placeholders: result.placeholders };
    }

    private async previewStack(s: PlanStack, refresh: boolean): Promise<StackPreviewResult> {
        const r = await this.ctx.driver.keepProgramClean(s, () =>
            this.ctx.waitForLock(s, () => this.previewStackUnguarded(s, refresh)),
        );
        this.previews.set(s.name, r);
        return r;
    }

    private async previewStackUnguarded(s: PlanStack, refresh: boolean): Promise<StackPreviewResult> {
        const ctx = this.ctx;
        const t0 = Date.now();
        const base = { name: s.name, fqName: s.fqName, program: ctx.relProgram(s) };
        const empty: CollectedPreview = { changes: [], findings: [], resources: [] };
        const upstream: UpstreamState[] = [];
        for (const u of upstreamOf(ctx.plan, s.name)) upstream.push({ name: u, deployed: await ctx.isDeployed(u) });
        const deployed = await ctx.isDeployed(s.name);
        // Only direct upstreams matter: their outputs are what this stack reads.
        const direct = new Set(s.dependsOn);
        const missing = upstream.filter((u) => !u.deployed && direct.has(u.name)).map((u) => u.name);
        // Upstreams read through `${stack.output}` config can be stood in for by their previews; a dependency
        // declared only with dependsOn is read some other way (a StackReference reads the last deployed outputs).
        const viaConfig = new Set(configReferences(s).map((r) => r.stack));
        const standIn = missing.every((m) => viaConfig.has(m))
            ? previewedOutputs(this.previews, s, missing)
            : undefined;
        if (missing.length && !standIn) {
            const reason =
                `not previewed: upstream ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not deployed yet, ` +
                `and this stack reads ${missing.length === 1 ? "its" : "their"} deployed outputs ` +
                `(a StackReference reads the last deployed outputs); preview again once ${missing.join(", ")} ` +
                `${missing.length === 1 ? "is" : "are"} up`;
            ctx.log(`[${s.name}] skipped: upstream ${missing.join(", ")} not deployed`);
            return { ...base, status: "skipped", reason, durationMs: 0, deployed, upstream, collected: empty };
        }
        let outputs: OutputsByStack;
        const changing = await changingUpstreams(ctx, this.previews, s);
        let planned: ReturnType<typeof plannedConfigOutputs> = { outputs: {}, used: [], planned: {} };
        try {
            const deployedOutputs = await ctx.upstreamOutputs(s);
            planned = plannedConfigOutputs(s, changing, deployedOutputs, (u) => ctx.stack(u).fqName);
            outputs = { ...deployedOutputs, ...planned.outputs, ...(standIn?.outputs ?? {}) };
            for (const [, v] of [...Object.entries(s.config), ...Object.entries(s.secretConfig)])
                resolveValue(v, outputs);
        } catch (e) {
            if (!(e instanceof MissingOutputError)) throw e;
            const reason = `not previewed: ${e.message}`;
            ctx.log(`[${s.name}] skipped: ${e.message}`);
            return { ...base, status: "skipped", reason, durationMs: 0, deployed, upstream, collected: empty };
        }
        const opened = (await ctx.driver.open(s, true))!;
        const collector = new PreviewCollector();
        const eventsFile = ctx.eventsDir ? path.join(ctx.eventsDir, `${s.name}.jsonl`) : undefined;
        if (eventsFile) {
            fs.mkdirSync(path.dirname(eventsFile), { recursive: true });
            fs.writeFileSync(eventsFile, "");
        }
        const recordEvent = (e: EngineEvent): void => {
            if (!eventsFile || (e.diagnosticEvent && (e.diagnosticEvent.severity as string) === "debug")) return;
            const text = JSON.stringify(e, (k, v: unknown) => (k === "__provider" ? "<provider>" : v));
            fs.appendFileSync(eventsFile, redact(text) + "\n");
        };
        const errors: string[] = [];
        const progress = progressPrinter(ctx.log, s.name, "preview", errors);
        ctx.log(`[${s.name}] preview started (${s.fqName})`); // in flight: independent previews run in parallel
        // The program and the providers write their structured check results here (read back below).
        const checksFile = ctx.freshChecksFile(opened.stack, s.name);
        if (changing.size) opened.stack.setEnv(PLANNED_OUTPUTS_ENV, encodePlannedOutputs(planned.planned));
        const used = [...(standIn?.used ?? []), ...planned.used];
        const placeholders = used.length ? { placeholders: used } : {};
        if (planned.used.length) {
            ctx.log(
                `[${s.name}] previewed with outputs this plan changes: ` +
                    planned.used
                        .map((u) =>
                            u.from === "preview"
                                ? `${u.stack}.${u.output} = ${u.value} (deployed ${u.deployed})`
                                : `${u.stack}.${u.output} = ${u.value} (deployed; its planned value is known once applied)`,
                        )
                        .join(", "),
            );
        }
        if (standIn?.used.length) {
            ctx.log(
                `[${s.name}] previewed before ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} deployed: ` +
                    standIn.used
                        .map((u) => `${u.stack}.${u.output} = ${u.from === "preview" ? u.value : "(placeholder)"}`)
                        .join(", "),
            );
        }
        const collect = () => applyCheckRecords(collector.collected(), readCheckReport(checksFile));
        const notFinalOf = (c: CollectedPreview) => {
            const reads = (c.checks ?? []).flatMap((r) => r.notFinal ?? []);
            const unique = reads.filter(
                (r, i) => reads.findIndex((x) => x.stack === r.stack && x.output === r.output) === i,
            );
            return unique.length ? { notFinal: unique } : {};
        };
        try {
            await applyConfig(s, opened.stack, outputs, ctx.workDir, ctx.signal);
            try {
                await opened.stack.preview({
                    configFile: ctx.configFile(s),
                    signal: ctx.signal,
                    refresh: refresh && !opened.created,
                    onEvent: (e) => {
                        recordEvent(e);
                        collector.onEvent(e);
                        if (e.diagnosticEvent) progress(e);
                    },
                });
                const c = collect();
                const counts: Record<string, number> = {};
                for (const r of c.resources) counts[r.op] = (counts[r.op] ?? 0) + 1;
                ctx.log(`[${s.name}] preview: ${describeChanges(counts, true)} (${secs(Date.now() - t0)})`);
                return {
                    ...base,
                    status: "ok",
                    durationMs: Date.now() - t0,
                    deployed,
                    upstream,
                    collected: c,
                    ...placeholders,
                    ...notFinalOf(c),
                };
            } catch (e) {
                if (isLockedError(e) && !ctx.signal?.aborted) throw e; // previewStack waits and tries again
                const cancelled = ctx.cancelledBy();
                const reason = cancelled ? `cancelled (${cancelled})` : failureText(e, errors);
                ctx.log(`[${s.name}] preview ${cancelled ? reason : "failed"} (${secs(Date.now() - t0)})`);
                return {
                    ...base,
                    status: "failed",
                    reason,
                    durationMs: Date.now() - t0,
                    deployed,
                    upstream,
                    collected: collect(),
                    ...placeholders,
                };
            }
        } finally {
            if (opened.created) {
                // A stack created only to be previewed is removed again: `status` keeps saying "not deployed".
                await opened.stack.remove().catch(() => undefined);
                fs.rmSync(ctx.configFile(s), { force: true });
                ctx.setOutputs(s.name, undefined);
            }
        }
    }
}

/** What each previewed stack declares, for {@link checkPlan}: its check records and the ids its resources have. */
function declarationsOf(stacks: readonly StackPreviewResult[]) {
    return stacks
        .filter((s) => s.collected.checks?.length)
        .map((s) => ({
            stack: s.name,
            records: s.collected.checks!,
            ids: new Map(
                s.collected.resources.flatMap((r) =>
                    r.id && r.id !== UNKNOWN ? [[`${r.type}/${r.name}`, r.id]] : [],
                ) as [string, string][],
            ),
        }));
}
