// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The plan as a graph: its stacks and what each depends on — cycles, levels (what may run together), the reverse
// order (destroy) and everything upstream of a stack. Pure.

import type { Plan } from "./plan";

/**
 * {@link findCycle} returns one dependency cycle as a path (`[a, b, a]`), or undefined when there is none.
 * `deps` maps a node to the nodes it depends on; unknown names are ignored.
 */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (n: string): string[] | undefined => {
        state.set(n, "visiting");
        stack.push(n);
        for (const d of deps.get(n) ?? []) {
            if (!deps.has(d)) continue;
            const s = state.get(d);
            if (s === "visiting") return [...stack.slice(stack.indexOf(d)), d];
            if (s === undefined) {
                const c = visit(d);
                if (c) return c;
            }
        }
        stack.pop();
        state.set(n, "done");
        return undefined;
    };
    for (const n of [...deps.keys()].sort()) {
        if (state.get(n) === undefined) {
            const c = visit(n);
            if (c) return c;
        }
    }
    return undefined;
}

/**
 * {@link topologicalLevels} groups nodes into levels: level 0 depends on nothing, level n only on lower levels.
 * Within a level, nodes keep the order of `order` (plan file order). Throws on a cycle.
 */
export function topologicalLevels(deps: ReadonlyMap<string, readonly string[]>, order?: readonly string[]): string[][] {
    const cycle = findCycle(deps);
    if (cycle) throw new Error(`dependency cycle: ${cycle.join(" → ")}`);
    const names = order ?? [...deps.keys()];
    const level = new Map<string, number>();
    const depth = (n: string): number => {
        const known = level.get(n);
        if (known !== undefined) return known;
        const ds = (deps.get(n) ?? []).filter((d) => deps.has(d));
        const l = ds.length ? Math.max(...ds.map(depth)) + 1 : 0;
        level.set(n, l);
        return l;
    };
    const out: string[][] = [];
    for (const n of names) {
        const l = depth(n);
        (out[l] ??= []).push(n);
    }
    return out.filter((x) => x !== undefined);
}

/** {@link reverseDeps} turns "depends on" into "is depended on by" (the order of a destroy). */
export function reverseDeps(deps: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
    const out = new Map<string, string[]>([...deps.keys()].map((k) => [k, []]));
    for (const [n, ds] of deps) for (const d of ds) out.get(d)?.push(n);
    for (const v of out.values()) v.sort();
    return out;
}

/** {@link dependencyMap} is a plan's stack → dependencies map. */
export function dependencyMap(plan: Plan): Map<string, readonly string[]> {
    return new Map(plan.stacks.map((s) => [s.name, s.dependsOn]));
}

/** {@link upstreamOf} is every stack `name` depends on, directly or not. */
export function upstreamOf(plan: Plan, name: string): string[] {
    const deps = dependencyMap(plan);
    const seen = new Set<string>();
    const walk = (n: string): void => {
        for (const d of deps.get(n) ?? []) {
            if (!seen.has(d)) {
                seen.add(d);
                walk(d);
            }
        }
    };
    walk(name);
    return plan.stacks.map((s) => s.name).filter((n) => seen.has(n));
}
