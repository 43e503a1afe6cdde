// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Runs the nodes of a dependency graph: a node starts once everything it depends on has succeeded, at most
// `parallel` at a time, in the given priority order among the ready ones. With `stopOnFailure`, the first failure
// stops new starts (running nodes finish); either way a node whose dependency failed never starts. An aborted
// `signal` (a cancelled run) stops new starts too: the running nodes end as their `run` decides.

/** {@link NodeOutcome} is what happened to one node. */
export type NodeOutcome<T> =
    | { readonly status: "succeeded"; readonly value: T; readonly startedAt: number; readonly endedAt: number }
    | { readonly status: "failed"; readonly error: unknown; readonly startedAt: number; readonly endedAt: number }
    | { readonly status: "not-started"; readonly reason: string };

/** {@link DagOptions} configures {@link runDag}. */
export interface DagOptions<T> {
    /** The nodes, in priority order (ready nodes start in this order). */
    readonly nodes: readonly string[];
    /** Node → the nodes that must succeed first. Names outside `nodes` are treated as already done. */
    readonly deps: ReadonlyMap<string, readonly string[]>;
    /** How many nodes may run at once (>= 1). */
    readonly parallel: number;
    /** Stop starting nodes after the first failure. */
    readonly stopOnFailure: boolean;
    /** Runs one node; a throw is a failure. */
    readonly run: (node: string) => Promise<T>;
    /** Once aborted, no node starts; the ones that did not are "cancelled before it started". */
    readonly signal?: AbortSignal;
    /** Called when a node starts and ends (progress lines). */
    readonly onStart?: (node: string) => void;
}

/** {@link DagResult} is every node's outcome plus the order they started in. */
export interface DagResult<T> {
    readonly outcomes: ReadonlyMap<string, NodeOutcome<T>>;
    readonly started: readonly string[];
    /** The first node that failed, if any. */
    readonly firstFailure?: string;
}

/** {@link runDag} runs a dependency graph; it never throws for a node's failure (see the outcomes). */
export async function runDag<T>(opts: DagOptions<T>): Promise<DagResult<T>> {
    const parallel = Math.max(1, Math.floor(opts.parallel));
    const inSet = new Set(opts.nodes);
    const depsOf = (n: string): string[] => (opts.deps.get(n) ?? []).filter((d) => inSet.has(d));
    const outcomes = new Map<string, NodeOutcome<T>>();
    const started: string[] = [];
    const running = new Set<string>();
    let firstFailure: string | undefined;

    return new Promise<DagResult<T>>((resolve) => {
        const pump = (): void => {
            const cancelled = opts.signal?.aborted === true;
            // Nodes blocked by a failed or blocked dependency can never start.
            let changed = !cancelled;
            while (changed) {
                changed = false;
                for (const n of opts.nodes) {
                    if (outcomes.has(n) || running.has(n)) continue;
                    // Name a failed dependency rather than a blocked one when there are both.
                    const ds = depsOf(n);
                    const bad =
                        ds.find((d) => outcomes.get(d)?.status === "failed") ??
                        ds.find((d) => outcomes.get(d)?.status === "not-started");
                    if (bad !== undefined) {
                        const o = outcomes.get(bad)!;
                        outcomes.set(n, {
                            status: "not-started",
                            reason: o.status === "failed" ? `${bad} failed` : `${bad} did not run`,
                        });
                        changed = true;
                    }
                }
            }
            if (!cancelled && (firstFailure === undefined || !opts.stopOnFailure)) {
                for (const n of opts.nodes) {
                    if (running.size >= parallel) break;
                    if (outcomes.has(n) || running.has(n)) continue;
                    if (!depsOf(n).every((d) => outcomes.get(d)?.status === "succeeded")) continue;
                    start(n);
                }
            }
            if (running.size === 0) {
                for (const n of opts.nodes) {
                    if (!outcomes.has(n)) {
                        outcomes.set(n, {
                            status: "not-started",
                            reason: cancelled
                                ? "cancelled before it started"
                                : firstFailure !== undefined
                                  ? `stopped after ${firstFailure} failed`
                                  : "not reached",
                        });
                    }
                }
                resolve({ outcomes, started, firstFailure });
            }
        };
        const start = (n: string): void => {
            running.add(n);
            started.push(n);
            const startedAt = Date.now();
            opts.onStart?.(n);
            Promise.resolve()
                .then(() => opts.run(n))
                .then(
                    (value) => outcomes.set(n, { status: "succeeded", value, startedAt, endedAt: Date.now() }),
                    (error: unknown) => {
                        firstFailure ??= n;
                        outcomes.set(n, { status: "failed", error, startedAt, endedAt: Date.now() });
                    },
                )
                .finally(() => {
                    running.delete(n);
                    pump();
                });
        };
        pump();
    });
}
