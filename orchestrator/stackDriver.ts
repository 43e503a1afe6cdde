// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// What the orchestrator needs of a stack backend, and nothing more: open (select or create) a stack, set its config,
// preview, up, destroy, refresh, read its outputs, state and last update, remove its lock, remove it. The scheduling,
// the plan checks and the failure handling are written against this interface; automationDriver.ts implements it with
// the Automation API and the pinned CLI, and the unit tests drive the same code with an in-memory stack backend.

import type { EngineEvent, OutputMap } from "@pulumi/pulumi/automation";

import type { PlanStack } from "./plan";
import type { StateResource } from "./verifyDrift";

/** {@link StackOperationOptions} are what every engine operation on a stack takes. */
export interface StackOperationOptions {
    /** The stack's config file (outside the program folder, see stackConfig.ts). */
    readonly configFile: string;
    /** Aborting cancels the operation gracefully (in-flight steps finish, the lock is released). */
    readonly signal?: AbortSignal;
    /** The engine's events, as they come. */
    readonly onEvent: (e: EngineEvent) => void;
}

/** {@link ConfigEntry} is one resolved config value of a stack. */
export interface ConfigEntry {
    readonly key: string;
    /** The value as the CLI takes it (`configString`). */
    readonly value: string;
    readonly secret: boolean;
}

/** {@link LastUpdate} is a stack's most recent update, from its history. */
export interface LastUpdate {
    readonly kind: string;
    readonly result: string;
    readonly endTime?: string;
}

/** {@link DriverStack} is one opened stack. */
export interface DriverStack {
    /** Sets an environment variable for the stack's later operations (the check report file, planned outputs). */
    setEnv(name: string, value: string): void;
    /** Writes the entries into the config file (which already holds the stack's non-config settings). */
    setConfig(configFile: string, entries: readonly ConfigEntry[], signal?: AbortSignal): Promise<void>;
    preview(opts: StackOperationOptions & { readonly refresh?: boolean }): Promise<void>;
    /** Applies the program; answers the stack's outputs after the update. */
    up(opts: StackOperationOptions): Promise<{ readonly outputs: OutputMap }>;
    destroy(opts: StackOperationOptions): Promise<void>;
    /** Refreshes the state from the cloud; answers the engine's counts (`{ same: 3, update: 1 }`). */
    refresh(opts: StackOperationOptions): Promise<{ readonly changes?: Record<string, number> }>;
    outputs(): Promise<OutputMap>;
    /** The resources of the stack's state (every one, the stack and provider resources too). */
    exportStack(): Promise<readonly StateResource[]>;
    /** The most recent update, if the history says. */
    lastUpdate(): Promise<LastUpdate | undefined>;
    /** Removes the stack's lock (`pulumi cancel`). */
    cancel(): Promise<void>;
    /** Removes the stack and its (empty) state from the backend. */
    remove(): Promise<void>;
}

/** {@link OpenedStack} is a stack {@link StackDriver.open} found or created. */
export interface OpenedStack {
    readonly stack: DriverStack;
    /** Whether this open created the stack. */
    readonly created: boolean;
}

/** {@link StackDriver} runs one plan's stacks on a backend. */
export interface StackDriver {
    /** The backend URL in use (for progress lines). */
    readonly backendUrl: string;
    /** Selects the stack; creates it when `create` (another run creating it at the same moment is fine). */
    open(s: PlanStack, create: boolean): Promise<OpenedStack | undefined>;
    /**
     * Runs `fn` (a sequence of operations on the stack) and then removes whatever the backend tooling left beside
     * the program for this stack.
     */
    keepProgramClean<T>(s: PlanStack, fn: () => Promise<T>): Promise<T>;
}
