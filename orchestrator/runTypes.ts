// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What the orchestrator's commands answer: a run's report (`up`, `destroy`, `refresh`, `unlock`), a preview over
// the plan (what the PR report renders), and `status`. Plain data, shared by the runner, the preview pipeline, the
// progress lines and the reports.

import type { CollectedPreview } from "./events";
import type { NotFinalRead } from "../core/plannedOutputs";
import type { PlaceholderMapping } from "./planCheck";

/** Thrown by a stack's operation that ended because the run was cancelled. */
export class CancelledError extends Error {}

/** {@link StackRunResult} is one stack's part in an `up`, `destroy` or `refresh`. */
export interface StackRunResult {
    readonly name: string;
    readonly fqName: string;
    readonly status: "succeeded" | "failed" | "cancelled" | "not-started";
    /** Why it failed or did not start. */
    readonly reason?: string;
    /** The engine's counts (`{ create: 3 }`). */
    readonly changes?: Record<string, number>;
    readonly durationMs?: number;
    /** Outputs after an `up` (secrets shown as `[secret]`). */
    readonly outputs?: Record<string, unknown>;
}

/** {@link RunReport} is the result of `up`, `destroy` or `refresh` over a plan. */
export interface RunReport {
    readonly command: "up" | "destroy" | "refresh" | "unlock";
    readonly plan: string;
    readonly ok: boolean;
    /** Stacks in the order they started, then those that did not. */
    readonly stacks: readonly StackRunResult[];
    readonly firstFailure?: string;
    /** The signal that cancelled the run, if one did (`SIGINT`, `SIGTERM`). */
    readonly cancelled?: string;
}

/** {@link UpstreamState} is what a previewed stack's upstream looked like. */
export interface UpstreamState {
    readonly name: string;
    readonly deployed: boolean;
}

/**
 * {@link PlaceholderUse} is an upstream output a preview used in place of the deployed one: the upstream is not
 * deployed yet, or this plan changes the output (then `deployed` is the value it replaces).
 */
export interface PlaceholderUse {
    readonly stack: string;
    readonly output: string;
    /**
     * `preview` when the upstream's preview computed the value (a CIDR from its config), `placeholder` for a
     * not-deployed upstream's unknown output, `deployed` for a changing upstream's output its preview cannot know
     * (the deployed value is passed, and the checks do not decide on it).
     */
    readonly from: "preview" | "placeholder" | "deployed";
    readonly value: string;
    /** The deployed value the plan replaces, when the upstream is deployed. */
    readonly deployed?: string;
}

/** {@link StackPreviewResult} is one stack's preview. */
export interface StackPreviewResult {
    readonly name: string;
    readonly fqName: string;
    readonly program: string;
    readonly status: "ok" | "failed" | "skipped";
    /** Why it failed (the error diagnostics, or the CLI's message) or why it was skipped. */
    readonly reason?: string;
    readonly durationMs: number;
    readonly deployed: boolean;
    readonly upstream: readonly UpstreamState[];
    readonly collected: CollectedPreview;
    /** Upstream outputs this preview used before they exist (not deployed yet, or changed by this plan). */
    readonly placeholders?: readonly PlaceholderUse[];
    /**
     * Facts its program read through StackReferences from upstream outputs this plan changes: not decided by this
     * preview, checked when `up` reaches the stack.
     */
    readonly notFinal?: readonly NotFinalRead[];
}

/** {@link PreviewRun} is a preview over (part of) a plan. */
export interface PreviewRun {
    readonly plan: string;
    readonly ok: boolean;
    readonly stacks: readonly StackPreviewResult[];
    /** Which declared VPC each placeholder id was taken as when the plan was checked as a whole. */
    readonly placeholderMappings?: readonly PlaceholderMapping[];
    readonly dependsOn: Readonly<Record<string, readonly string[]>>;
    readonly generatedAt: string;
}

/** {@link PendingAcceptance} is a deployed peering request waiting for its peer. */
export interface PendingAcceptance {
    readonly stack: string;
    readonly resource: string;
    readonly peeringId: string;
    readonly peerProjectId?: string;
    readonly expiresAt?: string;
    readonly expired: boolean;
}

/** {@link StackStatus} is one stack as the backend knows it. */
export interface StackStatus {
    readonly name: string;
    readonly fqName: string;
    readonly exists: boolean;
    readonly resources: number;
    readonly lastUpdate?: { kind: string; result: string; endTime?: string };
    readonly outputs: Record<string, unknown>;
    readonly pending: readonly PendingAcceptance[];
}

/** {@link StatusReport} is `status` over a plan. */
export interface StatusReport {
    readonly plan: string;
    readonly stacks: readonly StackStatus[];
}
