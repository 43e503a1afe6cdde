// An in-memory StackDriver for the orchestrator's unit tests: each stack runs a tiny "program" (config → resources
// and outputs) and its operations emit the engine events the real CLI does (resource pre/outputs events, the stack's
// outputs, error diagnostics), so the scheduling, the preview pipeline and the failure handling run unchanged —
// without the engine. A script per stack makes an operation fail, find the stack locked, or wait for cancellation.
import type { EngineEvent, OutputMap } from "@pulumi/pulumi/automation";

import { UNKNOWN } from "../../orchestrator/events";
import type { PlanStack } from "../../orchestrator/plan";
import type {
    ConfigEntry,
    DriverStack,
    LastUpdate,
    OpenedStack,
    StackDriver,
    StackOperationOptions,
} from "../../orchestrator/stackDriver";
import type { StateResource } from "../../orchestrator/verifyDrift";

/** One resource a fake program declares; `id` is known after `up` (`<stack>-<name>`), unknown in a preview. */
export interface FakeResource {
    readonly type: string;
    readonly name: string;
    readonly outputs?: Record<string, unknown>;
}

/** A fake program: its config (plain values as the CLI got them) → resources and stack outputs. */
export type FakeProgram = (config: Readonly<Record<string, string>>) => {
    readonly resources: readonly FakeResource[];
    /** Stack outputs; `UNKNOWN` ones (ids) become `<stack>-<resource>` at `up`. */
    readonly outputs: Readonly<Record<string, unknown>>;
};

/** How a stack's operations behave. */
export interface FakeScript {
    readonly program?: FakeProgram;
    /** The preview fails with this error diagnostic. */
    readonly failPreview?: string;
    /** The up fails with this error diagnostic (after the first resource was created). */
    readonly failUp?: string;
    /** This many operations in a row find the stack locked by another run. */
    readonly lockedAttempts?: number;
    /** The up creates its first resource, calls `onHold`, and then waits until its signal is aborted. */
    readonly holdUp?: boolean;
}

/** What the backend holds for one stack. */
export interface FakeState {
    resources: StateResource[];
    outputs: OutputMap;
    config: Record<string, string>;
    lastUpdate?: LastUpdate;
    locked: boolean;
}

const TYPE = (t: string) => `pulumi-nodejs:dynamic/fake:${t}`;

/** {@link FakeStackDriver} keeps every stack in memory; `calls` records each operation (`up a`, `preview b`). */
export class FakeStackDriver implements StackDriver {
    readonly backendUrl = "memory://fake";
    readonly calls: string[] = [];
    readonly state = new Map<string, FakeState>();
    /** Called when a `holdUp` stack starts waiting (abort the run from here). */
    onHold?: (stack: string) => void;
    private readonly scripts: Record<string, FakeScript>;
    private readonly lockedLeft = new Map<string, number>();

    constructor(scripts: Record<string, FakeScript>) {
        this.scripts = scripts;
        for (const [n, s] of Object.entries(scripts)) this.lockedLeft.set(n, s.lockedAttempts ?? 0);
    }

    async open(s: PlanStack, create: boolean): Promise<OpenedStack | undefined> {
        let st = this.state.get(s.name);
        let created = false;
        if (!st) {
            if (!create) return undefined;
            st = { resources: [], outputs: {}, config: {}, locked: false };
            this.state.set(s.name, st);
            created = true;
            this.calls.push(`create ${s.name}`);
        }
        return { stack: this.stack(s, st), created };
    }

    keepProgramClean<T>(_s: PlanStack, fn: () => Promise<T>): Promise<T> {
        return fn();
    }

    /** Deploys a stack directly (a stack deployed before the test's run). */
    deploy(name: string, resources: StateResource[], outputs: Record<string, unknown>): void {
        const out: OutputMap = Object.fromEntries(
            Object.entries(outputs).map(([k, v]) => [k, { value: v, secret: false }]),
        );
        this.state.set(name, { resources, outputs: out, config: {}, locked: false });
    }

    private checkLock(name: string): void {
        const left = this.lockedLeft.get(name) ?? 0;
        if (left > 0) {
            this.lockedLeft.set(name, left - 1);
            throw new Error(
                `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end ` +
                    `or delete the lock file with \`pulumi cancel\`.\n  created by ci@runner-2 (pid 4242) at 2026-12-02T08:00:00Z`,
            );
        }
    }

    private declared(s: PlanStack, st: FakeState) {
        const program = this.scripts[s.name]?.program ?? (() => ({ resources: [], outputs: {} }));
        return program(st.config);
    }

    private stack(s: PlanStack, st: FakeState): DriverStack {
        const script = this.scripts[s.name] ?? {};
        const urn = (r: FakeResource) => `urn:pulumi:${s.stackName}::${s.project}::${TYPE(r.type)}::${r.name}`;
        const diagnostic = (o: StackOperationOptions, message: string) =>
            o.onEvent({ diagnosticEvent: { severity: "error", message, color: "never" } } as unknown as EngineEvent);
        return {
            setEnv: () => undefined,
            setConfig: async (_file: string, entries: readonly ConfigEntry[]) => {
                for (const e of entries) st.config[e.key] = e.value;
            },
            preview: async (o) => {
                this.calls.push(`preview ${s.name}`);
                this.checkLock(s.name);
                const d = this.declared(s, st);
                for (const r of d.resources) {
                    const had = st.resources.some((x) => x.urn === urn(r));
                    const metadata = {
                        op: had ? "same" : "create",
                        urn: urn(r),
                        type: TYPE(r.type),
                        new: { inputs: {} },
                    };
                    o.onEvent({ resourcePreEvent: { metadata } } as unknown as EngineEvent);
                }
                const metadata = { op: "same", urn: "stack", type: "pulumi:pulumi:Stack", new: { outputs: d.outputs } };
                o.onEvent({ resOutputsEvent: { metadata } } as unknown as EngineEvent);
                if (script.failPreview) {
                    diagnostic(o, script.failPreview);
                    throw new Error(`Command failed with exit code 255\nerror: ${script.failPreview}`);
                }
            },
            up: async (o) => {
                this.calls.push(`up ${s.name}`);
                this.checkLock(s.name);
                const d = this.declared(s, st);
                for (const [i, r] of d.resources.entries()) {
                    const had = st.resources.some((x) => x.urn === urn(r));
                    const id = `${s.name}-${r.name}`;
                    const metadata = { op: had ? "same" : "create", urn: urn(r), type: TYPE(r.type), new: { id } };
                    o.onEvent({ resourcePreEvent: { metadata } } as unknown as EngineEvent);
                    if (!had) st.resources.push({ urn: urn(r), type: TYPE(r.type), id, outputs: r.outputs ?? {} });
                    o.onEvent({ resOutputsEvent: { metadata } } as unknown as EngineEvent);
                    if (i === 0 && script.failUp) {
                        diagnostic(o, script.failUp);
                        throw new Error(`Command failed with exit code 255\nerror: ${script.failUp}`);
                    }
                    if (i === 0 && script.holdUp) {
                        this.onHold?.(s.name);
                        if (!o.signal?.aborted) {
                            await new Promise((resolve) =>
                                o.signal?.addEventListener("abort", resolve, { once: true }),
                            );
                        }
                        throw new Error("Command failed with exit code 255\nerror: update canceled");
                    }
                }
                const outputs = Object.fromEntries(
                    Object.entries(d.outputs).map(([k, v]) => [
                        k,
                        { value: v === UNKNOWN ? `${s.name}-${k}` : v, secret: false },
                    ]),
                );
                st.outputs = outputs;
                st.lastUpdate = { kind: "update", result: "succeeded" };
                return { outputs };
            },
            destroy: async (o) => {
                this.calls.push(`destroy ${s.name}`);
                this.checkLock(s.name);
                for (const r of st.resources) {
                    const metadata = { op: "delete", urn: r.urn, type: r.type };
                    o.onEvent({ resOutputsEvent: { metadata } } as unknown as EngineEvent);
                }
                st.resources = [];
                st.outputs = {};
            },
            refresh: async () => {
                this.calls.push(`refresh ${s.name}`);
                this.checkLock(s.name);
                return { changes: { same: st.resources.length } };
            },
            outputs: async () => st.outputs,
            exportStack: async () => st.resources,
            lastUpdate: async () => st.lastUpdate,
            cancel: async () => {
                this.calls.push(`cancel ${s.name}`);
                st.locked = false;
            },
            remove: async () => {
                this.calls.push(`remove ${s.name}`);
                this.state.delete(s.name);
            },
        };
    }
}
