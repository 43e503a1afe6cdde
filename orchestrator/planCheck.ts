// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The plan checked as a whole. Each stack's preview writes what its program declares — facts and results, from the
// structured check report (core/checkReport.ts) — and this module joins them: a VPC that one stack
// declares and another references by id (or by the placeholder of a not-yet-deployed upstream output) becomes one
// VPC, with the declaring stack's facts. The graph-wide rules then run over the union with the same pure functions
// the program and the providers use (`checkProgram`). A violation a stack's own preview did not report spans stacks:
// it is a constraint failure of the stack whose resource it is about, naming every stack, resource and value.
// Names in the union are `<stack>/<resource>`. Pure: it reads recorded results and computes.

import { CheckRecord, parsePlaceholder } from "../core/checkReport";
import {
    AccepterFacts,
    applySuppressions,
    checkProgram,
    PeeringFacts,
    RouteFacts,
    subjectKindOf,
    Violation,
    VpcFacts,
} from "../core/rules";
import { UNKNOWN } from "./events";

/** {@link StackDeclarations} is what one stack's preview says it declares. */
export interface StackDeclarations {
    readonly stack: string;
    /** The stack's check report records. */
    readonly records: readonly CheckRecord[];
    /** Ids of the stack's resources that exist (`Vpc/<name>` → id), from the preview's steps. */
    readonly ids: ReadonlyMap<string, string>;
}

/** {@link PlaceholderMapping} says which declared VPC a placeholder for a not-deployed upstream output was taken as. */
export interface PlaceholderMapping {
    /** The upstream stack and output the placeholder stands for. */
    readonly stack: string;
    readonly output: string;
    /** `<stack>/<Vpc name>` it was taken as, or undefined when no single VPC of that stack matches. */
    readonly vpc?: string;
    /** How it was matched. */
    readonly why: string;
}

/** {@link CrossStackViolation} is a violation only the whole plan shows. */
export interface CrossStackViolation {
    /** The stack whose resource the violation is about (its first resource). */
    readonly stack: string;
    /** `Kind name` of that resource, in that stack. */
    readonly resource: string;
    /** Every stack it involves. */
    readonly stacks: readonly string[];
    readonly violation: Violation;
}

/** {@link PlanCheck} is the result of checking a plan as a whole. */
export interface PlanCheck {
    readonly violations: readonly CrossStackViolation[];
    readonly placeholders: readonly PlaceholderMapping[];
}

const qualify = (stack: string, name: string) => `${stack}/${name}`;

/** {@link checkPlan} joins the stacks' declarations and runs the graph-wide rules over the union. */
export function checkPlan(stacks: readonly StackDeclarations[]): PlanCheck {
    const program = (s: StackDeclarations) => s.records.filter((r) => r.source === "program");
    // Declared VPCs, by `<stack>/<name>` and by id when they exist.
    const declared = new Map<string, VpcFacts>();
    const byId = new Map<string, VpcFacts>();
    const declaredIn = new Map<VpcFacts, string>();
    for (const s of stacks) {
        for (const r of program(s)) {
            if (r.kind !== "Vpc" || !r.facts?.vpc) continue;
            const id = known(s.ids.get(`Vpc/${r.name}`));
            const v: VpcFacts = { ...r.facts.vpc, name: qualify(s.stack, r.name), ...(id ? { id } : {}) };
            declared.set(v.name, v);
            declaredIn.set(v, s.stack);
            if (id) byId.set(id, v);
        }
    }
    // A placeholder stands for an output of a stack that is not deployed: the one VPC of that stack it can be.
    const placeholders = new Map<string, PlaceholderMapping & { facts?: VpcFacts }>();
    const mapPlaceholder = (id: string, ref: VpcFacts): VpcFacts | undefined => {
        const p = parsePlaceholder(id)!;
        const key = `${id}\u0000${ref.cidr ?? ""}`;
        if (!placeholders.has(key)) {
            const candidates = [...declared.values()].filter((v) => declaredIn.get(v) === p.stack);
            const same = ref.cidr !== undefined ? candidates.filter((v) => v.cidr === ref.cidr) : candidates;
            const one = same.length === 1 ? same[0] : undefined;
            const why = one
                ? ref.cidr !== undefined
                    ? `the VPC of ${p.stack} with CIDR ${ref.cidr}`
                    : `the only VPC ${p.stack} declares`
                : `${same.length} VPCs of ${p.stack} could be it`;
            placeholders.set(key, { ...p, vpc: one?.name, why, facts: one });
        }
        return placeholders.get(key)!.facts;
    };
    const vpc = (stack: string, f: VpcFacts): VpcFacts => {
        if (f.ref === undefined) return declared.get(qualify(stack, f.name)) ?? { ...f, name: qualify(stack, f.name) };
        if (f.id !== undefined && byId.has(f.id)) return byId.get(f.id)!;
        if (f.id !== undefined && parsePlaceholder(f.id)) return mapPlaceholder(f.id, f) ?? f;
        return f;
    };
    const peering = (stack: string, p: PeeringFacts, ids: ReadonlyMap<string, string>): PeeringFacts => {
        const id = known(ids.get(`PeeringConnection/${p.name}`)) ?? p.id;
        return {
            ...p,
            name: qualify(stack, p.name),
            ...(id ? { id } : {}),
            requester: vpc(stack, p.requester),
            accepter: vpc(stack, p.accepter),
        };
    };
    // Declared peerings by id (deployed) and by stack, so an accepter of another stack's peering (by id, or by the
    // placeholder of a not-yet-deployed upstream's output) is checked against that peering's facts.
    const peeringById = new Map<string, PeeringFacts>();
    const peeringsOf = new Map<string, PeeringFacts[]>();
    for (const s of stacks) {
        for (const r of program(s)) {
            if (r.kind !== "PeeringConnection" || !r.facts?.peering) continue;
            const p = peering(s.stack, r.facts.peering, s.ids);
            if (p.id !== undefined) peeringById.set(p.id, p);
            peeringsOf.set(s.stack, [...(peeringsOf.get(s.stack) ?? []), p]);
        }
    }
    const acceptedPeering = (stack: string, p: PeeringFacts, ids: ReadonlyMap<string, string>): PeeringFacts => {
        if (p.id !== undefined && peeringById.has(p.id)) return peeringById.get(p.id)!;
        const upstream = p.id !== undefined ? parsePlaceholder(p.id) : undefined;
        const candidates = upstream ? (peeringsOf.get(upstream.stack) ?? []) : [];
        return candidates.length === 1 ? candidates[0]! : peering(stack, p, ids);
    };
    const peerings = [...peeringsOf.values()].flat();
    const routes: RouteFacts[] = [];
    const accepters: AccepterFacts[] = [];
    const local = new Set<string>();
    const suppressionsOf = new Map<string, CheckRecord["suppressions"]>();
    for (const s of stacks) {
        for (const r of s.records) {
            // What the stack's own preview reported (program or provider), by rule and subject.
            for (const v of [...r.violations, ...r.suppressed]) local.add(`${v.rule}\u0000${qualify(s.stack, r.name)}`);
        }
        for (const r of program(s)) {
            if (r.suppressions?.length) suppressionsOf.set(`${r.kind}/${qualify(s.stack, r.name)}`, r.suppressions);
            const f = r.facts ?? {};
            if (r.kind === "Route" && f.route) {
                routes.push({
                    ...f.route,
                    name: qualify(s.stack, r.name),
                    vpc: vpc(s.stack, f.route.vpc),
                    peering: peering(s.stack, f.route.peering, s.ids),
                });
            }
            if (r.kind === "PeeringAccepter" && f.accepter) {
                accepters.push({
                    ...f.accepter,
                    name: qualify(s.stack, r.name),
                    peering: acceptedPeering(s.stack, f.accepter.peering, s.ids),
                });
            }
        }
    }
    const outcome = checkProgram({ vpcs: [...declared.values()], peerings, routes, accepters });
    const stackNames = new Set(stacks.map((s) => s.stack));
    const stackOf = (name: string): string | undefined => {
        const slash = name.indexOf("/");
        if (slash > 0 && stackNames.has(name.slice(0, slash))) return name.slice(0, slash);
        const id = /^vpc (.+)$/.exec(name)?.[1];
        const v = id ? byId.get(id) : undefined;
        return v ? declaredIn.get(v) : undefined;
    };
    const violations: CrossStackViolation[] = [];
    const seen = new Set<string>();
    for (const v of outcome.violations) {
        const subject = v.resources[0]!;
        const stack = stackOf(subject);
        if (!stack) continue;
        const key = `${v.rule}\u0000${subject}`;
        if (local.has(key) || seen.has(key)) continue;
        const kind = subjectKindOf(v.rule, v.property);
        const kept = applySuppressions(
            { violations: [v], deferred: [] },
            suppressionsOf.get(`${kind}/${subject}`) ?? [],
        );
        if (kept.violations.length === 0) continue;
        seen.add(key);
        const involved = [...new Set(v.resources.map(stackOf).filter((x): x is string => x !== undefined))];
        violations.push({
            stack,
            resource: `${kind} ${subject.slice(stack.length + 1)}`,
            stacks: involved.includes(stack) ? involved : [stack, ...involved],
            violation: v,
        });
    }
    return {
        violations,
        placeholders: [...placeholders.values()].map(({ facts: _facts, ...p }) => p),
    };
}

function known(v: string | undefined): string | undefined {
    return v !== undefined && v !== "" && v !== UNKNOWN ? v : undefined;
}
