// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// One stack's part in an `up`, `destroy` or `refresh`: its config written from the upstreams' outputs, for `up` the
// preview that must pass first (unless the plan's preview still holds) and the re-check across stacks, the
// operation with its progress lines, and how it ended — succeeded, failed (the useful error lines), or cancelled
// (what it changed before it stopped, and what to run next). A stack locked by another run is waited for.

import * as fs from "node:fs";

import { readCheckReport } from "../core/checkReport";
import { PreviewCollector, UNKNOWN, applyCheckRecords, nameOfUrn, shortType } from "./events";
import { LockTimeoutError, isLockedError } from "./lock";
import { MissingOutputError, PlanStack } from "./plan";
import type { PreviewPipeline } from "./previewPipeline";
import { describeChanges, failureText, progressPrinter, publicOutputs, secs } from "./progress";
import type { RunContext } from "./runContext";
import { CancelledError, StackRunResult } from "./runTypes";
import type { NodeOutcome } from "./schedule";
import { applyConfig } from "./stackConfig";

/** {@link StackCommand} is a command that runs each stack of the plan once. */
export type StackCommand = "up" | "destroy" | "refresh";

/** {@link runStack} runs one stack's `command`, waiting while another run holds its lock; a failure throws. */
export function runStack(
    ctx: RunContext,
    pipeline: PreviewPipeline,
    command: StackCommand,
    s: PlanStack,
    skipPreview: boolean,
): Promise<StackRunResult> {
    const t0 = Date.now();
    return ctx.driver.keepProgramClean(s, () =>
        ctx
            .waitForLock(s, () => runStackUnguarded(ctx, pipeline, command, s, skipPreview))
            .catch((e: unknown) => {
                if (e instanceof LockTimeoutError) {
                    ctx.log(`[${s.name}] ${command} failed after ${secs(Date.now() - t0)}: ${e.message}`);
                }
                throw e;
            }),
    );
}

/** {@link toRunResult} is a stack's result from its outcome in the run's graph. */
export function toRunResult(ctx: RunContext, n: string, o: NodeOutcome<StackRunResult>): StackRunResult {
    const s = ctx.stack(n);
    if (o.status === "succeeded") return o.value;
    if (o.status === "failed") {
        const err = o.error as Error & { stackResult?: string };
        return {
            name: n,
            fqName: s.fqName,
            status: err instanceof CancelledError ? "cancelled" : "failed",
            reason: err instanceof Error ? err.message : String(err),
            durationMs: o.endedAt - o.startedAt,
        };
    }
    return { name: n, fqName: s.fqName, status: "not-started", reason: o.reason };
}

async function runStackUnguarded(
    ctx: RunContext,
    pipeline: PreviewPipeline,
    command: StackCommand,
    s: PlanStack,
    skipPreview: boolean,
): Promise<StackRunResult> {
    const t0 = Date.now();
    const errors: string[] = [];
    // Counted from the engine's events: the summary's counts include the stack resource itself.
    const counted: Record<string, number> = {};
    const onEvent = progressPrinter(ctx.log, s.name, command, errors, counted);
    const configFile = ctx.configFile(s);
    const signal = ctx.signal;
    const config = (stack: Parameters<typeof applyConfig>[1], outputs: Parameters<typeof applyConfig>[2]) =>
        applyConfig(s, stack, outputs, ctx.workDir, signal);
    try {
        if (command === "destroy") {
            const opened = await ctx.driver.open(s, false);
            if (!opened) {
                ctx.log(`[${s.name}] nothing to destroy: the stack does not exist`);
                return { name: s.name, fqName: s.fqName, status: "succeeded", changes: {}, durationMs: 0 };
            }
            if (!fs.existsSync(configFile)) await config(opened.stack, {}).catch(() => undefined);
            ctx.throwIfCancelled();
            await opened.stack.destroy({ configFile, onEvent, signal });
            const changes = counted;
            ctx.setOutputs(s.name, undefined);
            ctx.log(`[${s.name}] destroy succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
            return { name: s.name, fqName: s.fqName, status: "succeeded", changes, durationMs: Date.now() - t0 };
        }
        if (command === "refresh") {
            const opened = await ctx.driver.open(s, false);
            if (!opened) {
                ctx.log(`[${s.name}] nothing to refresh: the stack does not exist`);
                return { name: s.name, fqName: s.fqName, status: "succeeded", changes: {}, durationMs: 0 };
            }
            // A refresh does not run the program; config from missing upstream outputs keeps its last values.
            await config(opened.stack, await ctx.upstreamOutputs(s)).catch((e: unknown) => {
                if (!(e instanceof MissingOutputError)) throw e;
                ctx.log(`[${s.name}] warning: config kept as it was: ${e.message}`);
            });
            ctx.throwIfCancelled();
            const r = await opened.stack.refresh({ configFile, onEvent, signal });
            const changes = r.changes;
            ctx.log(`[${s.name}] refresh succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
            return { name: s.name, fqName: s.fqName, status: "succeeded", changes, durationMs: Date.now() - t0 };
        }
        const outputs = await ctx.upstreamOutputs(s);
        const opened = (await ctx.driver.open(s, true))!;
        await config(opened.stack, outputs);
        const holds = !skipPreview && pipeline.planPreviewHolds(s);
        if (holds) ctx.log(`[${s.name}] the plan's preview of this stack still holds (no upstream changed)`);
        if (!skipPreview && !holds) {
            // Like `pulumi up` without --skip-preview: the constraint checks fail the preview, before anything is
            // created (an up alone would create the VPCs while the peering's check is still failing).
            const previewErrors: string[] = [];
            const progress = progressPrinter(ctx.log, s.name, "preview", previewErrors);
            const checksFile = ctx.freshChecksFile(opened.stack, `${s.name}.apply`);
            const collector = new PreviewCollector();
            try {
                ctx.throwIfCancelled();
                await opened.stack.preview({
                    configFile,
                    signal,
                    onEvent: (e) => {
                        collector.onEvent(e);
                        if (e.diagnosticEvent && ["error"].includes(e.diagnosticEvent.severity)) progress(e);
                    },
                });
            } catch (e) {
                if (signal?.aborted) throw e;
                throw new Error(`preview failed, nothing was changed:\n${failureText(e, previewErrors)}`);
            }
            const across = pipeline.recheckAcrossStacks(
                s,
                applyCheckRecords(collector.collected(), readCheckReport(checksFile)),
            );
            if (across) throw new Error(`preview failed, nothing was changed:\n${across}`);
        }
        ctx.throwIfCancelled();
        const applied = new Map<string, string>();
        const r = await opened.stack.up({
            configFile,
            signal,
            onEvent: (e) => {
                const m = e.resOutputsEvent?.metadata;
                if (m?.new?.id && m.new.id !== UNKNOWN)
                    applied.set(`${shortType(m.type)}/${nameOfUrn(m.urn)}`, m.new.id);
                onEvent(e);
            },
        });
        const changes = counted;
        pipeline.recordApplied(
            s.name,
            applied,
            Object.entries(changes).some(([op, n]) => op !== "same" && n > 0),
        );
        ctx.setOutputs(s.name, r.outputs);
        ctx.log(`[${s.name}] up succeeded in ${secs(Date.now() - t0)}: ${describeChanges(changes)}`);
        return {
            name: s.name,
            fqName: s.fqName,
            status: "succeeded",
            changes,
            durationMs: Date.now() - t0,
            outputs: publicOutputs(r.outputs),
        };
    } catch (e) {
        if (isLockedError(e) && !signal?.aborted) throw e; // runStack waits and tries again
        if (signal?.aborted) {
            const sig = String(signal.reason);
            const finished = { ...counted, same: 0 }; // what this run changed before it stopped
            const made = Object.values(finished).some((n) => n > 0) ? `: ${describeChanges(finished)}` : "";
            const forced = /stopped by SIGKILL|received; terminating/.test(e instanceof Error ? e.message : "");
            const reason =
                e instanceof CancelledError
                    ? `cancelled (${sig}) before its ${command} started`
                    : forced
                      ? `stopped at once (${sig}, forced) after ${secs(Date.now() - t0)}${made}; it may keep its ` +
                        `lock and pending operations — peering-stacks unlock --stack ${s.name}, then refresh`
                      : `cancelled (${sig}) after ${secs(Date.now() - t0)}${made}; its in-flight steps ` +
                        `finished and its state was saved — run ${command} again to continue`;
            ctx.log(`[${s.name}] ${command} ${reason}`);
            throw new CancelledError(reason);
        }
        const text = failureText(e, errors);
        ctx.log(`[${s.name}] ${command} failed after ${secs(Date.now() - t0)}: ${text.split("\n")[0]}`);
        throw new Error(text);
    }
}
