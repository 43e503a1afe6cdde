// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What a stack's plan preview reads of the stacks before it, beside their deployed outputs: for an upstream not
// deployed yet, its preview's outputs (known values, placeholders for the rest); for a deployed upstream the plan
// changes, its planned outputs (the config reads the planned value; StackReference reads are marked not final).

import { placeholderFor } from "../core/checkReport";
import { changingOutputs, PlannedOutput, PlannedOutputs } from "../core/plannedOutputs";
import { UNKNOWN } from "./events";
import { OutputsByStack, PlanStack, findReferences, upstreamOf } from "./plan";
import type { RunContext } from "./runContext";
import type { PlaceholderUse, StackPreviewResult } from "./runTypes";

/** The previews of this run so far, by stack. */
export type PreviewsByStack = ReadonlyMap<string, StackPreviewResult>;

/** {@link StoodInOutputs} are upstream outputs a preview uses in place of deployed ones, and what it used. */
export interface StoodInOutputs {
    readonly outputs: OutputsByStack;
    readonly used: PlaceholderUse[];
}

/** {@link configReferences} are the `${stack.output}` references of a stack's config and secret config. */
export function configReferences(s: PlanStack): ReturnType<typeof findReferences> {
    return [...Object.values(s.config), ...Object.values(s.secretConfig)].flatMap((v) => findReferences(v));
}

/**
 * {@link previewedOutputs} are the outputs of upstream stacks that are not deployed yet, from their previews: known
 * values as they are, unknown ones (ids) as placeholders the checks treat as unknown. Undefined when one of them
 * was not previewed.
 */
export function previewedOutputs(
    previews: PreviewsByStack,
    s: PlanStack,
    missing: readonly string[],
): StoodInOutputs | undefined {
    const refs = configReferences(s);
    const outputs: Record<string, Record<string, { value: unknown; secret?: boolean }>> = {};
    const used: PlaceholderUse[] = [];
    for (const u of missing) {
        const p = previews.get(u);
        if (!p || p.status === "skipped") return undefined;
        const previewed = p.collected.stackOutputs ?? {};
        const outs: Record<string, { value: unknown; secret?: boolean }> = {};
        for (const r of refs.filter((x) => x.stack === u)) {
            const v = previewed[r.output];
            const knownValue = typeof v === "string" && v !== UNKNOWN && r.path.length === 0;
            const value = knownValue ? v : placeholderFor(u, r.output);
            outs[r.output] = { value };
            if (!used.some((x) => x.stack === u && x.output === r.output)) {
                used.push({ stack: u, output: r.output, from: knownValue ? "preview" : "placeholder", value });
            }
        }
        outputs[u] = outs;
    }
    return { outputs, used };
}

/**
 * {@link changingUpstreams} are the outputs of deployed upstreams that this run's preview of them says will change
 * (planned value, or unknown until applied), by upstream. A stack previewed after them reads the planned values
 * through its `${stack.output}` config and is told, for its StackReferences, which deployed values are about to go.
 */
export async function changingUpstreams(
    ctx: RunContext,
    previews: PreviewsByStack,
    s: PlanStack,
): Promise<Map<string, Record<string, PlannedOutput>>> {
    const out = new Map<string, Record<string, PlannedOutput>>();
    // Every upstream, not only the direct ones: a StackReference may read any stack the plan runs before it.
    for (const u of upstreamOf(ctx.plan, s.name)) {
        const p = previews.get(u);
        if (!p || p.status !== "ok" || !p.deployed || !p.collected.stackOutputs) continue;
        const deployed = (await ctx.outputsOf(u)) ?? {};
        const changing = changingOutputs(deployed, p.collected.stackOutputs, (v) => v === UNKNOWN);
        if (Object.keys(changing).length) out.set(u, changing);
    }
    return out;
}

/**
 * {@link plannedConfigOutputs} are the config values read from changing upstream outputs: the planned value; when
 * the upstream's preview cannot know it (an output its provider computes), the deployed value, marked `viaConfig` so
 * the checks do not decide on it. A placeholder would change the stack's inputs (a spurious replace) for what is
 * most likely the same value. `planned` is what the program is told of them, by upstream fully qualified name.
 */
export function plannedConfigOutputs(
    s: PlanStack,
    changing: ReadonlyMap<string, Record<string, PlannedOutput>>,
    deployedOutputs: OutputsByStack,
    fqNameOf: (stack: string) => string,
): StoodInOutputs & { readonly planned: PlannedOutputs } {
    const refs = configReferences(s);
    const outputs: Record<string, Record<string, { value: unknown; secret?: boolean }>> = {};
    const used: PlaceholderUse[] = [];
    const planned: Record<string, Record<string, PlannedOutput>> = {};
    for (const [u, outs] of changing) {
        const merged = { ...(deployedOutputs[u] ?? {}) };
        const told = { ...outs };
        for (const r of refs.filter((x) => x.stack === u && outs[x.output] && x.path.length === 0)) {
            const o = outs[r.output]!;
            if (o.planned === undefined) told[r.output] = { ...o, viaConfig: true };
            const value = o.planned ?? o.deployed;
            merged[r.output] = { value };
            if (!used.some((x) => x.stack === u && x.output === r.output)) {
                used.push({
                    stack: u,
                    output: r.output,
                    from: o.planned !== undefined ? "preview" : "deployed",
                    value,
                    deployed: o.deployed,
                });
            }
        }
        outputs[u] = merged;
        planned[fqNameOf(u)] = told;
    }
    return { outputs, used, planned };
}
