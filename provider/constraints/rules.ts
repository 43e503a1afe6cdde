// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The platform rules for VPC peering, each a pure function with a stable rule id. The same functions are
// used by the program-wide checks (sdk/graph.ts), by each provider's `check`, and by the API server where
// the server also refuses. Facts that are `undefined` are unknown until apply: a rule that needs them is
// reported as deferred (said out loud), never silently passed.

import {
    Cidr,
    cidrContains,
    cidrsOverlap,
    DEFAULT_VPC_CIDR_POLICY,
    describeVpcCidrProblem,
    formatIPv4,
    tryParseCidr,
    VpcCidrPolicy,
} from "./cidr";

/** {@link RuleId} is the stable identifier of one platform rule; it appears in every message. */
export type RuleId =
    | "cidr-syntax"
    | "cidr-host-bits"
    | "vpc-cidr-range"
    | "peering-cross-region"
    | "peering-cidr-overlap"
    | "peering-self"
    | "peering-duplicate-pair"
    | "peering-missing-peer-project"
    | "route-overlaps-own-vpc"
    | "route-outside-peer-vpc"
    | "route-transitive"
    | "route-destination-conflict"
    | "route-peering-mismatch"
    | "route-internet-via-peer"
    | "route-quota"
    | "mesh-peer-cidr-conflict"
    | "accepter-wrong-account";

/** {@link RULE_TITLES} gives each rule a one-line title (used in docs and reports). */
export const RULE_TITLES: Readonly<Record<RuleId, string>> = {
    "cidr-syntax": "A CIDR must be an IPv4 block a.b.c.d/n",
    "cidr-host-bits": "A CIDR must not have host bits set",
    "vpc-cidr-range": "A VPC CIDR must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 with a prefix up to /24",
    "peering-cross-region": "A peering joins two VPCs of the same region only",
    "peering-cidr-overlap": "The two VPCs of a peering must not have overlapping CIDRs",
    "peering-self": "A VPC cannot be peered with itself",
    "peering-duplicate-pair": "Only one peering may exist between two VPCs",
    "peering-missing-peer-project": "A cross-account peering needs the peer's project id",
    "route-overlaps-own-vpc": "A route's destination must not overlap its own VPC's CIDR",
    "route-outside-peer-vpc": "A route's destination must lie inside the peer VPC's CIDR (else it is a blackhole)",
    "route-transitive": "Peering is not transitive: a route cannot reach a VPC through another VPC's peering",
    "route-destination-conflict": "Two routes of one VPC must not have overlapping destinations",
    "route-peering-mismatch": "A route's peering must include the route's VPC",
    "route-internet-via-peer":
        "A peering carries no Internet traffic: a VPC cannot use its peer's EIPs or NAT for 0.0.0.0/0 or public ranges",
    "route-quota": "A VPC holds at most 200 routes",
    "mesh-peer-cidr-conflict": "A VPC must not be peered with two VPCs whose CIDRs overlap",
    "accepter-wrong-account": "Only the accepter side's account can accept a peering",
};

/** {@link PENDING_ACCEPTANCE_DAYS} is how long a cross-account request waits for acceptance before it expires. */
export const PENDING_ACCEPTANCE_DAYS = 7;

/** {@link MAX_ROUTES_PER_VPC} is the platform's route quota per VPC route table. */
export const MAX_ROUTES_PER_VPC = 200;

/** {@link VpcFacts} represents what is known about a VPC; `undefined` fields are unknown until apply. */
export interface VpcFacts {
    /** The Pulumi resource name (or a label such as `vpc 5f2c…` for a VPC outside the program). */
    readonly name: string;
    readonly id?: string;
    readonly cidr?: string;
    readonly region?: string;
    /** The account profile the VPC belongs to. */
    readonly account?: string;
    /** The project id that owns the VPC (known from an account profile, an input, or the API). */
    readonly projectId?: string;
    /**
     * True when a read-only lookup found that the VPC id is not in the requester's project: it belongs to
     * another account (or does not exist).
     */
    readonly foreign?: boolean;
    /**
     * The argument a VPC given by id came through (e.g. `accepterVpc`), so a deferred check can say where to pass
     * the missing fact.
     */
    readonly ref?: string;
}

/** {@link PeeringFacts} represents what is known about a peering connection. */
export interface PeeringFacts {
    readonly name: string;
    readonly id?: string;
    readonly requester: VpcFacts;
    readonly accepter: VpcFacts;
    /** The accepter's project id, required when the peering crosses accounts. */
    readonly peerProjectId?: string;
}

/** {@link RouteFacts} represents what is known about a route through a peering. */
export interface RouteFacts {
    readonly name: string;
    readonly vpc: VpcFacts;
    readonly destination?: string;
    readonly peering: PeeringFacts;
}

/** {@link AccepterFacts} represents what is known about a peering accepter. */
export interface AccepterFacts {
    readonly name: string;
    /** The account profile the accepter runs in. */
    readonly account?: string;
    readonly peering: PeeringFacts;
}

/**
 * {@link Violation} represents one broken rule as data: the rule, the resources it is about (the first is its
 * subject), the values that break it and the fix. `message` renders all of it for people; machines read the fields
 * (violations are merged on {@link violationKey}, never on the message).
 */
export interface Violation {
    readonly rule: RuleId;
    readonly resources: readonly string[];
    /** The input property the violation is best attached to. */
    readonly property?: string;
    /** What to change. */
    readonly fix: string;
    /** The values that break the rule (CIDRs, regions, accounts), by what they are. */
    readonly values?: Readonly<Record<string, string>>;
    readonly message: string;
}

/** {@link Deferred} represents a rule that cannot be decided until apply, and why. */
export interface Deferred {
    readonly rule: RuleId;
    readonly resources: readonly string[];
    readonly reason: string;
}

/** {@link violationKey} identifies a violation by rule and resources: the key results are merged on. */
export function violationKey(v: { readonly rule: string; readonly resources: readonly string[] }): string {
    return `${v.rule}\u0000${v.resources.join("\u0000")}`;
}

/** {@link SubjectKind} is the kind of resource a rule's first named resource (its subject) is. */
export type SubjectKind = "Vpc" | "PeeringConnection" | "PeeringAccepter" | "Route";

/** {@link subjectKindOf} tells which kind of resource a rule's violations are about (their first resource). */
export function subjectKindOf(rule: RuleId | string, property?: string): SubjectKind {
    if (rule.startsWith("peering-")) return "PeeringConnection";
    if (rule === "route-quota" || rule.startsWith("mesh-") || rule.startsWith("vpc-")) return "Vpc";
    if (rule.startsWith("route-")) return "Route";
    if (rule.startsWith("accepter-")) return "PeeringAccepter";
    return property === "destination" ? "Route" : "Vpc";
}

/** {@link Suppression} is an explicit, documented exception to one rule on one resource. */
export interface Suppression {
    readonly rule: string;
    readonly reason: string;
}

/** {@link CheckOutcome} is the result of running rules: what is broken and what is deferred. */
export interface CheckOutcome {
    readonly violations: Violation[];
    readonly deferred: Deferred[];
    /** Violations waived by a {@link Suppression}, each with its reason (reported as warnings). */
    readonly suppressed?: Array<Violation & { readonly reason: string }>;
}

function violation(
    rule: RuleId,
    resources: string[],
    property: string | undefined,
    what: string,
    fix: string,
    values?: Record<string, string>,
): Violation {
    return {
        rule,
        resources,
        property,
        fix,
        ...(values ? { values } : {}),
        message: `[${rule}] ${what}. Fix: ${fix}.`,
    };
}

/** How to pass a fact of a VPC given only by id, for the deferred message. */
function howToPass(v: VpcFacts, fact: "cidr" | "region"): string {
    if (v.id === undefined || v.ref === undefined) return "";
    return (
        `; ${q(v.name)} is given by id only: pass its ${fact} as ${v.ref}: { id, ${fact} } ` +
        `(e.g. from a StackReference output of the stack that owns it)`
    );
}

function deferred(rule: RuleId, resources: string[], reason: string): Deferred {
    return { rule, resources, reason: `[${rule}] deferred until apply: ${reason}` };
}

function empty(): CheckOutcome {
    return { violations: [], deferred: [] };
}

const q = (s: string) => `"${s}"`;

/** {@link checkCidrValue} checks that a CIDR value (e.g. a route destination) is a valid IPv4 network. */
export function checkCidrValue(subject: string, property: string, value: string | undefined): CheckOutcome {
    if (value === undefined) return empty();
    const p = tryParseCidr(value);
    if (p) return empty();
    const problem = describeVpcCidrProblem(value);
    const rule: RuleId = problem?.kind === "cidr-host-bits" ? "cidr-host-bits" : "cidr-syntax";
    return {
        violations: [
            violation(
                rule,
                [subject],
                property,
                `${subject}: ${property} ${problem?.reason ?? value}`,
                problem?.fix ?? "use a.b.c.d/n",
            ),
        ],
        deferred: [],
    };
}

/** {@link checkVpc} applies the VPC CIDR rules (`cidr-syntax`, `cidr-host-bits`, `vpc-cidr-range`). */
export function checkVpc(vpc: VpcFacts, policy?: VpcCidrPolicy): CheckOutcome {
    if (vpc.cidr === undefined) return empty();
    const problem = describeVpcCidrProblem(vpc.cidr, policy);
    if (!problem) return empty();
    return {
        violations: [
            violation(problem.kind, [vpc.name], "cidr", `Vpc ${q(vpc.name)}: cidr ${problem.reason}`, problem.fix),
        ],
        deferred: [],
    };
}

function sameVpc(a: VpcFacts, b: VpcFacts): boolean | undefined {
    if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
    if (a.name === b.name && a.id === b.id) return true;
    return a.id === undefined && b.id === undefined ? a.name === b.name : undefined;
}

/** {@link isCrossAccount} tells whether a peering crosses accounts, or `undefined` when unknown. */
export function isCrossAccount(p: PeeringFacts): boolean | undefined {
    const r = p.requester;
    const a = p.accepter;
    if (r.projectId !== undefined && a.projectId !== undefined) return r.projectId !== a.projectId;
    if (r.account !== undefined && a.account !== undefined) return r.account !== a.account;
    if (p.peerProjectId !== undefined && r.projectId !== undefined) return p.peerProjectId !== r.projectId;
    if (a.foreign === true) return true;
    return undefined;
}

/**
 * {@link checkPeering} applies the per-peering rules: `peering-self`, `peering-cross-region`,
 * `peering-cidr-overlap` and `peering-missing-peer-project`.
 */
export function checkPeering(p: PeeringFacts): CheckOutcome {
    const out = empty();
    const r = p.requester;
    const a = p.accepter;
    const who = `PeeringConnection ${q(p.name)}`;
    const same = sameVpc(r, a);
    if (same === true) {
        out.violations.push(
            violation(
                "peering-self",
                [p.name, r.name],
                "accepterVpc",
                `${who}: requester and accepter are the same VPC ${q(r.name)}${r.id ? ` (${r.id})` : ""}`,
                "peer two different VPCs",
            ),
        );
        return out;
    }
    if (r.region !== undefined && a.region !== undefined) {
        if (r.region !== a.region) {
            out.violations.push(
                violation(
                    "peering-cross-region",
                    [p.name, r.name, a.name],
                    "accepterVpc",
                    `${who}: requester VPC ${q(r.name)} is in ${r.region} but accepter VPC ${q(a.name)} is in ${a.region}; a peering joins VPCs of the same region only (the API answers that the peer VPC is not found)`,
                    `create both VPCs in one region, or connect the regions with Cloud Connect / Enterprise Router instead of a peering`,
                    { requesterRegion: r.region, accepterRegion: a.region },
                ),
            );
        }
    } else {
        out.deferred.push(
            deferred(
                "peering-cross-region",
                [p.name],
                `the region of ${q(r.region === undefined ? r.name : a.name)} is not known until apply${howToPass(r.region === undefined ? r : a, "region")}`,
            ),
        );
    }
    const rc = r.cidr !== undefined ? tryParseCidr(r.cidr) : undefined;
    const ac = a.cidr !== undefined ? tryParseCidr(a.cidr) : undefined;
    if (rc && ac) {
        if (cidrsOverlap(rc, ac)) {
            out.violations.push(
                violation(
                    "peering-cidr-overlap",
                    [p.name, r.name, a.name],
                    "accepterVpc",
                    `${who}: requester VPC ${q(r.name)} (${rc.text}) and accepter VPC ${q(a.name)} (${ac.text}) overlap; the peering would become ACTIVE but carry no traffic`,
                    `give one VPC a CIDR that does not overlap the other (e.g. ${suggestNonOverlapping(rc, ac)} for ${q(a.name)})`,
                    { requesterCidr: rc.text, accepterCidr: ac.text },
                ),
            );
        }
    } else if (r.cidr === undefined || a.cidr === undefined) {
        out.deferred.push(
            deferred(
                "peering-cidr-overlap",
                [p.name],
                `the CIDR of ${q(r.cidr === undefined ? r.name : a.name)} is not known until apply${howToPass(r.cidr === undefined ? r : a, "cidr")}`,
            ),
        );
    }
    const cross = isCrossAccount(p);
    // A VPC managed with an account profile has a derivable project id; one referenced only by id has not.
    if (cross === true && p.peerProjectId === undefined && a.projectId === undefined && a.account === undefined) {
        out.violations.push(
            violation(
                "peering-missing-peer-project",
                [p.name, a.name],
                "peerProjectId",
                `${who}: accepter VPC ${q(a.name)} is not in the requester's project ${r.account ? `(account ${q(r.account)})` : ""}, so it belongs to another account, but no peer project id is given; the API would answer "Accept VPC id or tenant id is incorrect"`,
                `set peerProjectId to the accepter's project id in ${a.region ?? "its region"} (a project id, not the account/domain id)`,
            ),
        );
    }
    return out;
}

function suggestNonOverlapping(a: Cidr, b: Cidr): string {
    // Suggest the block of b's size right after a's block ends, when that is still a private block.
    const size = b.last - b.first + 1;
    const start = Math.ceil((a.last + 1) / size) * size;
    if (start + size - 1 > 0xffffffff) return `a block outside ${a.text}`;
    return `${formatIPv4(start)}/${b.prefix}`;
}

const PRIVATE_BLOCKS: readonly Cidr[] = DEFAULT_VPC_CIDR_POLICY.allowed.map((a) => tryParseCidr(a.block)!);

/** {@link isPrivateBlock} is true when `c` lies inside a block a VPC may use (10/8, 172.16/12, 192.168/16). */
export function isPrivateBlock(c: Cidr): boolean {
    return PRIVATE_BLOCKS.some((b) => cidrContains(b, c));
}

/** {@link peerSide} returns the side of the peering that is not `vpc`, or `undefined` when `vpc` is on neither side. */
export function peerSide(p: PeeringFacts, vpc: VpcFacts): { peer: VpcFacts } | { mismatch: true } | undefined {
    const onRequester = sameVpc(p.requester, vpc);
    const onAccepter = sameVpc(p.accepter, vpc);
    if (onRequester === true) return { peer: p.accepter };
    if (onAccepter === true) return { peer: p.requester };
    if (onRequester === false && onAccepter === false) return { mismatch: true };
    return undefined;
}

/**
 * {@link checkRoute} applies the per-route rules: destination syntax, `route-internet-via-peer`, `route-overlaps-own-vpc`,
 * `route-peering-mismatch` and `route-outside-peer-vpc`.
 */
export function checkRoute(r: RouteFacts): CheckOutcome {
    const who = `Route ${q(r.name)}`;
    const syntax = checkCidrValue(who, "destination", r.destination);
    if (syntax.violations.length) return syntax;
    const out = empty();
    const dest = r.destination !== undefined ? tryParseCidr(r.destination) : undefined;
    if (dest && !isPrivateBlock(dest)) {
        // No peer VPC can hold a public range, and a peering forwards only to its peer's CIDR: decided at once.
        out.violations.push(
            violation(
                "route-internet-via-peer",
                [r.name, r.peering.name],
                "destination",
                `${who}: destination ${dest.text} ${dest.prefix === 0 ? "is the default route (the Internet)" : "is a public range"} through peering ${q(r.peering.name)}; a peering carries traffic only to the peer VPC's private CIDR, so ${q(r.vpc.name)} cannot reach the Internet through its peer's EIPs or NAT gateway`,
                `give ${q(r.vpc.name)} its own Internet access (an EIP, or a NAT gateway in it), and route through the peering only to the peer VPC's CIDR`,
                { destination: dest.text },
            ),
        );
        return out;
    }
    const own = r.vpc.cidr !== undefined ? tryParseCidr(r.vpc.cidr) : undefined;
    if (dest && own) {
        if (cidrsOverlap(dest, own)) {
            out.violations.push(
                violation(
                    "route-overlaps-own-vpc",
                    [r.name, r.vpc.name],
                    "destination",
                    `${who}: destination ${dest.text} overlaps its own VPC ${q(r.vpc.name)} (${own.text}); the VPC's local routes win and the route is refused`,
                    `route to the peer VPC's CIDR instead`,
                ),
            );
        }
    } else if (r.destination === undefined || r.vpc.cidr === undefined) {
        out.deferred.push(
            deferred(
                "route-overlaps-own-vpc",
                [r.name],
                `${r.destination === undefined ? "the destination" : `the CIDR of ${q(r.vpc.name)}`} is not known until apply`,
            ),
        );
    }
    const side = peerSide(r.peering, r.vpc);
    if (side === undefined) {
        out.deferred.push(
            deferred(
                "route-peering-mismatch",
                [r.name, r.peering.name],
                `the VPC ids of ${q(r.vpc.name)} and ${q(r.peering.name)} are not known until apply`,
            ),
        );
        return out;
    }
    if ("mismatch" in side) {
        out.violations.push(
            violation(
                "route-peering-mismatch",
                [r.name, r.peering.name, r.vpc.name],
                "peeringConnection",
                `${who}: peering ${q(r.peering.name)} joins ${q(r.peering.requester.name)} and ${q(r.peering.accepter.name)}, not the route's VPC ${q(r.vpc.name)}`,
                `use a peering that includes ${q(r.vpc.name)}, or put the route in one of the peering's VPCs`,
            ),
        );
        return out;
    }
    const peer = side.peer;
    const peerCidr = peer.cidr !== undefined ? tryParseCidr(peer.cidr) : undefined;
    if (dest && peerCidr) {
        if (!cidrContains(peerCidr, dest)) {
            out.violations.push(
                violation(
                    "route-outside-peer-vpc",
                    [r.name, r.peering.name, peer.name],
                    "destination",
                    `${who}: destination ${dest.text} is not inside the peer VPC ${q(peer.name)} (${peerCidr.text}) reached through ${q(r.peering.name)}; traffic to it would be dropped (a blackhole)`,
                    `use ${peerCidr.text} or a block inside it`,
                    { destination: dest.text, peerCidr: peerCidr.text },
                ),
            );
        }
    } else if (r.destination === undefined || peer.cidr === undefined) {
        out.deferred.push(
            deferred(
                "route-outside-peer-vpc",
                [r.name],
                `${r.destination === undefined ? "the destination" : `the CIDR of peer VPC ${q(peer.name)}`} is not known until apply`,
            ),
        );
    }
    return out;
}

/** {@link checkAccepter} applies `accepter-wrong-account`: the accepter must run as the peering's accepter side. */
export function checkAccepter(a: AccepterFacts): CheckOutcome {
    const side = a.peering.accepter;
    if (a.account === undefined || side.account === undefined) {
        if (side.account === undefined && a.peering.accepter.projectId === undefined) return empty();
        if (a.account === undefined)
            return {
                violations: [],
                deferred: [
                    deferred("accepter-wrong-account", [a.name], "the accepter's account is not known until apply"),
                ],
            };
        return empty();
    }
    if (a.account === side.account) return empty();
    return {
        violations: [
            violation(
                "accepter-wrong-account",
                [a.name, a.peering.name],
                "account",
                `PeeringAccepter ${q(a.name)}: runs in account ${q(a.account)}, but peering ${q(a.peering.name)} is addressed to VPC ${q(side.name)} of account ${q(side.account)}`,
                `set account: ${q(side.account)} on the accepter`,
            ),
        ],
        deferred: [],
    };
}

/**
 * {@link checkRouteTable} applies the per-VPC route-table rules over all routes of one VPC (declared and,
 * optionally, already in the API): `route-destination-conflict` and `route-quota`. Sort-and-sweep,
 * O(n log n).
 */
export function checkRouteTable(
    vpc: VpcFacts,
    routes: ReadonlyArray<{ readonly name: string; readonly destination?: string }>,
): CheckOutcome {
    const out = empty();
    if (routes.length > MAX_ROUTES_PER_VPC) {
        out.violations.push(
            violation(
                "route-quota",
                [vpc.name],
                undefined,
                `Vpc ${q(vpc.name)}: ${routes.length} routes are declared or exist in its route table; the limit is ${MAX_ROUTES_PER_VPC}`,
                `summarise destinations into larger blocks or split the VPC`,
            ),
        );
    }
    const parsed: Array<{ name: string; cidr: Cidr }> = [];
    for (const r of routes) {
        const c = r.destination !== undefined ? tryParseCidr(r.destination) : undefined;
        if (c) parsed.push({ name: r.name, cidr: c });
    }
    parsed.sort((x, y) => x.cidr.first - y.cidr.first || y.cidr.last - x.cidr.last);
    let open: { name: string; cidr: Cidr } | undefined;
    for (const cur of parsed) {
        if (open && cur.cidr.first <= open.cidr.last) {
            const dup = open.cidr.text === cur.cidr.text;
            out.violations.push(
                violation(
                    "route-destination-conflict",
                    [cur.name, open.name, vpc.name],
                    "destination",
                    `Route ${q(cur.name)}: destination ${cur.cidr.text} ${dup ? "duplicates" : "overlaps"} route ${q(open.name)} (${open.cidr.text}) in VPC ${q(vpc.name)}`,
                    dup
                        ? `keep one route per destination`
                        : `make the destinations disjoint, or keep only the wider route`,
                    { destination: cur.cidr.text, otherDestination: open.cidr.text },
                ),
            );
        }
        if (!open || cur.cidr.last > open.cidr.last) open = cur;
    }
    return out;
}

/** {@link ProgramGraph} represents every peering resource a program declares (plus, optionally, what the API holds). */
export interface ProgramGraph {
    readonly vpcs: readonly VpcFacts[];
    readonly peerings: readonly PeeringFacts[];
    readonly routes: readonly RouteFacts[];
    readonly accepters: readonly AccepterFacts[];
    /** Peerings that already exist in the API (not declared by the program), for the duplicate-pair rule. */
    readonly existingPeerings?: readonly PeeringFacts[];
    /** Routes that already exist in the API, per VPC id, for the route-table rules. */
    readonly existingRoutes?: ReadonlyArray<{
        readonly vpcId: string;
        readonly name: string;
        readonly destination: string;
    }>;
}

function vpcKey(v: VpcFacts): string {
    return v.id !== undefined ? `id:${v.id}` : `name:${v.name}`;
}

/**
 * {@link checkProgram} runs every rule over a whole program: the per-resource rules and the graph-wide ones
 * (`peering-duplicate-pair`, `route-destination-conflict`, `route-quota`, `mesh-peer-cidr-conflict`,
 * `route-transitive`). Near O(n log n) in the number of CIDRs.
 */
export function checkProgram(g: ProgramGraph): CheckOutcome {
    const parts: CheckOutcome[] = [];
    for (const v of g.vpcs) parts.push(checkVpc(v));
    for (const p of g.peerings) parts.push(checkPeering(p));
    for (const a of g.accepters) parts.push(checkAccepter(a));
    const routeOutcomes = new Map<RouteFacts, CheckOutcome>();
    for (const r of g.routes) {
        const o = checkRoute(r);
        routeOutcomes.set(r, o);
    }
    parts.push(checkDuplicatePairs(g));
    parts.push(checkMesh(g));
    // Transitive routing: a route whose destination is outside its peer VPC but inside a VPC reached
    // through another peering gets the more specific explanation.
    const byCidr = g.vpcs.map((v) => ({ v, c: v.cidr !== undefined ? tryParseCidr(v.cidr) : undefined }));
    for (const [r, o] of routeOutcomes) {
        const out: CheckOutcome = { violations: [], deferred: o.deferred };
        for (const v of o.violations) {
            if (v.rule !== "route-outside-peer-vpc") {
                out.violations.push(v);
                continue;
            }
            const dest = tryParseCidr(r.destination ?? "");
            const side = peerSide(r.peering, r.vpc);
            const via = side && "peer" in side ? side.peer : undefined;
            const target = dest
                ? byCidr.find((x) => x.c && cidrContains(x.c, dest) && vpcKey(x.v) !== vpcKey(r.vpc))
                : undefined;
            if (dest && via && target && vpcKey(target.v) !== vpcKey(via)) {
                out.violations.push(
                    violation(
                        "route-transitive",
                        [r.name, r.peering.name, target.v.name],
                        "destination",
                        `Route ${q(r.name)}: destination ${dest.text} is VPC ${q(target.v.name)}, which ${q(r.vpc.name)} can only reach through ${q(via.name)}; peering ${q(r.peering.name)} is not transitive and would drop the traffic`,
                        `peer ${q(r.vpc.name)} with ${q(target.v.name)} directly and route through that peering`,
                    ),
                );
            } else {
                out.violations.push(v);
            }
        }
        parts.push(out);
    }
    // Route tables per VPC: declared routes plus routes already in the API.
    const tables = new Map<string, { vpc: VpcFacts; routes: Array<{ name: string; destination?: string }> }>();
    for (const r of g.routes) {
        const k = vpcKey(r.vpc);
        const t = tables.get(k) ?? { vpc: r.vpc, routes: [] };
        t.routes.push({ name: r.name, destination: r.destination });
        tables.set(k, t);
    }
    for (const e of g.existingRoutes ?? []) {
        const t = tables.get(`id:${e.vpcId}`);
        if (t && !t.routes.some((x) => x.destination === e.destination && x.name === e.name)) t.routes.push(e);
    }
    for (const t of tables.values()) parts.push(checkRouteTable(t.vpc, t.routes));
    return mergeAll(parts);
}

function mergeAll(parts: readonly CheckOutcome[]): CheckOutcome {
    const out = empty();
    for (const o of parts) {
        for (const v of o.violations) out.violations.push(v);
        for (const d of o.deferred) out.deferred.push(d);
    }
    return out;
}

function pairKey(p: PeeringFacts): string | undefined {
    const a = vpcKey(p.requester);
    const b = vpcKey(p.accepter);
    return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function checkDuplicatePairs(g: ProgramGraph): CheckOutcome {
    const out = empty();
    const seen = new Map<string, PeeringFacts>();
    for (const p of g.existingPeerings ?? []) {
        const k = pairKey(p);
        if (k) seen.set(k, p);
    }
    for (const p of g.peerings) {
        const k = pairKey(p);
        if (!k) continue;
        const prev = seen.get(k);
        if (prev && prev.id !== undefined && prev.id === p.id) continue;
        if (prev) {
            out.violations.push(
                violation(
                    "peering-duplicate-pair",
                    [p.name, prev.name],
                    "accepterVpc",
                    `PeeringConnection ${q(p.name)}: VPCs ${q(p.requester.name)} and ${q(p.accepter.name)} are already peered by ${q(prev.name)}${prev.id ? ` (${prev.id})` : ""}; only one peering may exist between two VPCs, in either direction`,
                    `remove one of the two peerings (routes in both directions use the same peering)`,
                ),
            );
        } else {
            seen.set(k, p);
        }
    }
    return out;
}

function checkMesh(g: ProgramGraph): CheckOutcome {
    const out = empty();
    const peersOf = new Map<string, { vpc: VpcFacts; peers: Array<{ peer: VpcFacts; via: string; cidr: Cidr }> }>();
    const add = (v: VpcFacts, peer: VpcFacts, via: string) => {
        const c = peer.cidr !== undefined ? tryParseCidr(peer.cidr) : undefined;
        if (!c) return;
        const k = vpcKey(v);
        const e = peersOf.get(k) ?? { vpc: v, peers: [] };
        e.peers.push({ peer, via, cidr: c });
        peersOf.set(k, e);
    };
    for (const p of g.peerings) {
        add(p.requester, p.accepter, p.name);
        add(p.accepter, p.requester, p.name);
    }
    for (const { vpc, peers } of peersOf.values()) {
        peers.sort((x, y) => x.cidr.first - y.cidr.first || y.cidr.last - x.cidr.last);
        let open: (typeof peers)[number] | undefined;
        for (const cur of peers) {
            if (open && cur.cidr.first <= open.cidr.last && vpcKey(open.peer) !== vpcKey(cur.peer)) {
                out.violations.push(
                    violation(
                        "mesh-peer-cidr-conflict",
                        [vpc.name, cur.via, open.via],
                        "accepterVpc",
                        `Vpc ${q(vpc.name)} is peered with ${q(open.peer.name)} (${open.cidr.text}) through ${q(open.via)} and with ${q(cur.peer.name)} (${cur.cidr.text}) through ${q(cur.via)}; those CIDRs overlap, so its routes to them would conflict`,
                        `give ${q(cur.peer.name)} or ${q(open.peer.name)} a non-overlapping CIDR, or drop one of the peerings`,
                        { firstPeerCidr: open.cidr.text, secondPeerCidr: cur.cidr.text },
                    ),
                );
            }
            if (!open || cur.cidr.last > open.cidr.last) open = cur;
        }
    }
    return out;
}

/**
 * {@link applySuppressions} moves the violations waived by an explicit {@link Suppression} (matched by rule id)
 * out of `violations` into `suppressed`, keeping the reason so it can be shown in the preview.
 */
export function applySuppressions(
    outcome: CheckOutcome,
    suppressions: readonly Suppression[] | undefined,
): CheckOutcome {
    if (!suppressions || suppressions.length === 0) return { ...outcome, suppressed: outcome.suppressed ?? [] };
    const byRule = new Map(suppressions.map((s) => [s.rule, s.reason] as const));
    const kept: Violation[] = [];
    const suppressed: Array<Violation & { reason: string }> = [...(outcome.suppressed ?? [])];
    for (const v of outcome.violations) {
        const reason = byRule.get(v.rule);
        if (reason !== undefined) suppressed.push({ ...v, reason });
        else kept.push(v);
    }
    return { violations: kept, deferred: outcome.deferred, suppressed };
}

/** {@link validateSuppressions} returns a reason for each malformed suppression (unknown rule id, empty reason). */
export function validateSuppressions(suppressions: readonly Suppression[] | undefined): string[] {
    const problems: string[] = [];
    for (const s of suppressions ?? []) {
        if (!(s.rule in RULE_TITLES))
            problems.push(`unknown rule id "${s.rule}"; known: ${Object.keys(RULE_TITLES).join(", ")}`);
        if (typeof s.reason !== "string" || s.reason.trim() === "")
            problems.push(`suppression of "${s.rule}" needs a reason`);
    }
    return problems;
}
