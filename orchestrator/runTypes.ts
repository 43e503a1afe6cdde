// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What the orchestrator is given — its options, of which the environment and the run context take their part — and
// what its commands answer: a run's report (`up`, `destroy`, `refresh`, `unlock`), a preview over the plan (what the
// PR report renders), and `status`. Plain data, shared by the runner, the preview pipeline, the progress lines and
// the reports.

import type { CollectedPreview } from "./events";
import type { NotFinalRead } from "../core/plannedOutputs";
import type { Plan } from "./plan";
import type { PlaceholderMapping } from "./planCheck";
import type { StackDriver } from "./stackDriver";

/** {@link OrchestratorOptions} are the knobs of an {@link Orchestrator}; everything but `plan` is optional. */
export interface OrchestratorOptions {
    readonly plan: Plan;
    /** Stack config files, filtered accounts files and (by default) the file backend. @default plan's, else `<plan dir>/.peering-stacks` */
    readonly workDir?: string;
    /** Backend URL or folder. @default plan's, else $PULUMI_BACKEND_URL, else `file://<workDir>/state` */
    readonly backend?: string;
    /** PULUMI_HOME. @default scripts/toolchain.js's choice */
    readonly pulumiHome?: string;
    /** The passphrase of the file backend's secrets. @default $PULUMI_CONFIG_PASSPHRASE or the project default */
    readonly passphrase?: string;
    /** A folder holding `bin/pulumi`. @default the pinned CLI from scripts/toolchain.js */
    readonly pulumiRoot?: string;
    /** Extra environment for every stack (over the plan's `env`, under each stack's). */
    readonly env?: Readonly<Record<string, string>>;
    /** The accounts file the stacks' `accounts` lists filter. @default plan's, else $VPCPEERING_ACCOUNTS_FILE */
    readonly accountsFile?: string;
    /** Overrides the plan's `parallel`. */
    readonly parallel?: number;
    /** `preview` writes each stack's engine events here (`<stack>.jsonl`, internal inputs and debug lines left out). */
    readonly eventsDir?: string;
    /** Progress lines. @default stdout */
    readonly log?: (line: string) => void;
    /**
     * Cancels the run when aborted (see cancel.ts): no new stack starts, running operations get the CLI's graceful
     * cancel (in-flight steps finish, the lock is released) and end as `cancelled`.
     */
    readonly signal?: AbortSignal;
    /** How long to wait for a stack locked by another run. @default DEFAULT_LOCK_TIMEOUT_MS (2 minutes) */
    readonly lockTimeoutMs?: number;
    /** How often a locked stack is tried again. @default LOCK_POLL_MS */
    readonly lockPollMs?: number;
    /** How the stacks are run. @default the Automation API on the pinned CLI ({@link AutomationDriver}) */
    readonly driver?: StackDriver;
}

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
