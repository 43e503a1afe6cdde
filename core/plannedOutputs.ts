// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Outputs an upstream stack's preview says will change. When `peering-stacks preview` (or the preview `up` runs
// first) previews a stack whose upstream this plan also changes, a StackReference in that stack still reads the
// upstream's *deployed* outputs — values the plan is about to replace. The orchestrator passes, in
// VPCPEERING_PLANNED_OUTPUTS, each changing output's deployed and planned value; the program (sdk/graph.ts) then
// treats a fact read from such an output as not final: unknown for the checks, said out loud, and checked again when
// `up` reaches the stack (its upstream applied by then, so the StackReference reads the new value). Values passed
// through `${stack.output}` config get the planned value itself; when the upstream's preview cannot know it (an
// output the provider computes, such as a project id: a dynamic provider's update is not previewed), the deployed
// value is passed and marked `viaConfig`, so a fact equal to it is not final either.
// `readPlannedOutputs` is the only reader. No secret output is ever put in it.

/** {@link PLANNED_OUTPUTS_ENV} names the environment variable holding the planned outputs (JSON). */
export const PLANNED_OUTPUTS_ENV = "VPCPEERING_PLANNED_OUTPUTS";

/** {@link PlannedOutput} is one output of an upstream that this plan changes. */
export interface PlannedOutput {
    /** The value deployed now (what a StackReference reads). */
    readonly deployed: string;
    /** The value once the upstream is applied; undefined when its preview cannot know it (a computed output). */
    readonly planned?: string;
    /**
     * The orchestrator passed the deployed value through `${stack.output}` config because the planned one is not
     * known: a config value equal to it is not final either.
     */
    readonly viaConfig?: boolean;
}

/** {@link PlannedOutputs} maps a Pulumi stack (`organization/project/stack`) to its changing outputs by name. */
export type PlannedOutputs = Readonly<Record<string, Readonly<Record<string, PlannedOutput>>>>;

/** {@link NotFinalRead} is a fact a program read from an output this plan changes. */
export interface NotFinalRead {
    /** The Pulumi stack the StackReference reads. */
    readonly stack: string;
    readonly output: string;
    readonly deployed: string;
    readonly planned?: string;
}

/**
 * {@link changingOutputs} compares an upstream's deployed outputs with what its preview plans: every plain string
 * output whose planned value differs or is not known yet. Secret outputs are left out.
 */
export function changingOutputs(
    deployed: Readonly<Record<string, { readonly value: unknown; readonly secret?: boolean }>>,
    planned: Readonly<Record<string, unknown>>,
    isUnknown: (v: unknown) => boolean,
): Record<string, PlannedOutput> {
    const out: Record<string, PlannedOutput> = {};
    for (const [k, d] of Object.entries(deployed)) {
        if (d.secret || typeof d.value !== "string") continue;
        const p = planned[k];
        if (p === d.value) continue;
        out[k] = typeof p === "string" && !isUnknown(p) ? { deployed: d.value, planned: p } : { deployed: d.value };
    }
    return out;
}

/** {@link encodePlannedOutputs} renders the environment value. */
export function encodePlannedOutputs(p: PlannedOutputs): string {
    return JSON.stringify(p);
}

/** {@link readPlannedOutputs} reads VPCPEERING_PLANNED_OUTPUTS; an absent or malformed value is "nothing changes". */
export function readPlannedOutputs(env: NodeJS.ProcessEnv = process.env): PlannedOutputs {
    const raw = env[PLANNED_OUTPUTS_ENV];
    if (!raw) return {};
    try {
        const parsed = JSON.parse(raw) as unknown;
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
        const out: Record<string, Record<string, PlannedOutput>> = {};
        for (const [stack, outputs] of Object.entries(parsed as Record<string, unknown>)) {
            if (!outputs || typeof outputs !== "object") continue;
            for (const [k, o] of Object.entries(outputs as Record<string, Partial<PlannedOutput>>)) {
                if (typeof o?.deployed !== "string") continue;
                (out[stack] ??= {})[k] = {
                    deployed: o.deployed,
                    ...(typeof o.planned === "string" ? { planned: o.planned } : {}),
                    ...(o.viaConfig === true ? { viaConfig: true } : {}),
                };
            }
        }
        return out;
    } catch {
        return {};
    }
}

/**
 * {@link notFinalRead} tells whether `value`, read through a StackReference to `stackName`, is an output this plan
 * changes. A StackReference may name the stack in full (`org/project/stack`) or without its organization.
 */
export function notFinalRead(p: PlannedOutputs, stackName: string, value: unknown): NotFinalRead | undefined {
    if (typeof value !== "string") return undefined;
    for (const [stack, outputs] of Object.entries(p)) {
        if (stack !== stackName && !stack.endsWith(`/${stackName}`)) continue;
        for (const [output, o] of Object.entries(outputs)) {
            if (o.deployed === value && o.planned !== value) {
                return {
                    stack,
                    output,
                    deployed: o.deployed,
                    ...(o.planned !== undefined ? { planned: o.planned } : {}),
                };
            }
        }
    }
    return undefined;
}

/**
 * {@link notFinalConfigValue} tells whether a value that did not come through a StackReference is the deployed value
 * of an output the orchestrator passed through config while its planned value is unknown.
 */
export function notFinalConfigValue(p: PlannedOutputs, value: unknown): NotFinalRead | undefined {
    if (typeof value !== "string") return undefined;
    for (const [stack, outputs] of Object.entries(p)) {
        for (const [output, o] of Object.entries(outputs)) {
            if (o.viaConfig && o.deployed === value) return { stack, output, deployed: o.deployed };
        }
    }
    return undefined;
}

/** {@link describeNotFinal} says which outputs a resource read before this plan changes them. */
export function describeNotFinal(reads: readonly NotFinalRead[]): string {
    return reads
        .map(
            (r) =>
                `${r.output} of stack ${r.stack} (deployed ${r.deployed}, ${r.planned !== undefined ? `planned ${r.planned}` : "planned value known once it is applied"})`,
        )
        .join(", ");
}
