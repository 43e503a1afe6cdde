// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// After apply: can traffic flow through each peering, in each direction? Pure functions over what the API holds
// (VPCs, peerings, route tables), used by `peering-stacks verify`. A route table forwards an address by longest-prefix
// match, so a peering "carries traffic" from VPC A to VPC B only when, for every address of B's CIDR, the most
// specific route of A's table goes through that peering, and the peering is ACTIVE. The overlap, mesh and
// route-destination facts are the rules of ./rules.ts (one fact, one place); this file adds what only a live route
// table can show: missing routes, shadowing and blackholes. The route-table arithmetic itself is routeTable.ts.

import { tryParseCidr } from "./cidr";
import { PeeringFacts, RouteFacts, VpcFacts, checkProgram, RuleId } from "./rules";
import { rangeToCidrs, resolveBlock, TableRoute } from "./routeTable";

export { longestPrefixMatch, rangeToCidrs, resolveBlock } from "./routeTable";
export type { BlockSegment, TableRoute } from "./routeTable";

/** {@link LiveVpc} is a VPC as the API shows it. */
export interface LiveVpc {
    readonly id: string;
    readonly name: string;
    readonly cidr: string;
    /** The account profile that owns it (when the accounts file has one for its project). */
    readonly account?: string;
    readonly projectId?: string;
    readonly region?: string;
}

/** {@link LivePeering} is a peering as the API shows it; `DELETED` also stands for "not found". */
export interface LivePeering {
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly requesterVpcId: string;
    readonly accepterVpcId: string;
    /** When a PENDING_ACCEPTANCE request expires (ISO 8601, UTC). */
    readonly expiresAt?: string;
}

/** {@link LiveRoute} is a route of a VPC's route table. */
export interface LiveRoute extends TableRoute {
    readonly vpcId: string;
}

/** {@link LiveWorld} is everything read from the API. */
export interface LiveWorld {
    readonly vpcs: readonly LiveVpc[];
    readonly peerings: readonly LivePeering[];
    readonly routes: readonly LiveRoute[];
}

/** {@link ReachRuleId} names what `verify` can find beyond the preview rules of ./rules.ts. */
export type ReachRuleId =
    | "peering-not-active"
    | "peering-pending"
    | "route-missing"
    | "route-shadowed"
    | "route-blackhole"
    | "vpc-unreadable";

/** {@link REACH_RULE_TITLES} gives each `verify` rule a one-line title. */
export const REACH_RULE_TITLES: Readonly<Record<ReachRuleId, string>> = {
    "peering-not-active": "A peering carries traffic only while it is ACTIVE (not rejected, expired or deleted)",
    "peering-pending": "A cross-account request carries nothing until the peer accepts it, and expires",
    "route-missing": "Each VPC of a peering needs routes through it covering the whole peer CIDR",
    "route-shadowed": "A more specific route to another next hop takes part of the peer CIDR away (longest prefix)",
    "route-blackhole": "A route through a peering that is gone or not ACTIVE drops its traffic",
    "vpc-unreadable": "A VPC of the peering cannot be read with the accounts given, so its side cannot be checked",
};

/** The rules of ./rules.ts that still hold (and can be broken) after apply, checked on the live graph. */
const LIVE_PREVIEW_RULES: readonly RuleId[] = [
    "peering-cidr-overlap",
    "mesh-peer-cidr-conflict",
    "route-outside-peer-vpc",
    "route-transitive",
    "route-quota",
];

/** {@link ReachFinding} is one problem found on the live graph. */
export interface ReachFinding {
    readonly rule: ReachRuleId | RuleId;
    /** `error` breaks a path (verify exits 1); `warning` does not, yet. */
    readonly severity: "error" | "warning";
    /** The peering concerned, when there is one. */
    readonly peering?: string;
    readonly vpcs: readonly string[];
    readonly routes: readonly string[];
    readonly message: string;
    readonly fix: string;
}

/** {@link PathState} is whether traffic flows one way through a peering. */
export type PathState = "flows" | "partial" | "blocked" | "pending" | "unknown";

/** {@link PathResult} is one direction of one peering: from a VPC to its peer. */
export interface PathResult {
    readonly peering: string;
    readonly peeringName: string;
    readonly from: string;
    readonly to: string;
    readonly state: PathState;
    /** The blocks of the peer's CIDR the route table of `from` sends through this peering. */
    readonly reaching: readonly string[];
    /** The rules that make the path not flow (empty when it flows). */
    readonly reasons: ReadonlyArray<ReachRuleId | RuleId>;
}

/** {@link ReachabilityResult} is the outcome of {@link analyzeReachability}. */
export interface ReachabilityResult {
    readonly paths: readonly PathResult[];
    readonly findings: readonly ReachFinding[];
}

const q = (s: string) => `"${s}"`;

function vpcLabel(v: LiveVpc | undefined, id: string): string {
    return v ? `${q(v.name)} (${v.id}, ${v.cidr}${v.account ? `, account ${v.account}` : ""})` : `VPC ${id}`;
}

function durationText(ms: number): string {
    const h = Math.floor(ms / 3_600_000);
    if (h >= 48) return `${Math.floor(h / 24)} days`;
    if (h >= 1) return `${h} h`;
    return `${Math.max(0, Math.floor(ms / 60_000))} min`;
}

/**
 * {@link analyzeReachability} says, for every peering of `checked` (default: all of the world's) and each of its two
 * directions, whether traffic can flow, and lists every problem: not ACTIVE (`peering-not-active`), waiting for
 * acceptance with the time left (`peering-pending`), parts of the peer CIDR without a route through the peering
 * (`route-missing`) or taken by a more specific route to another next hop (`route-shadowed`), routes of the checked
 * VPCs through peerings that are gone or not ACTIVE (`route-blackhole`), and the preview rules that still apply to
 * the live graph (overlapping CIDRs of the two sides or of a VPC's peers, routes outside the peer VPC).
 */
export function analyzeReachability(
    world: LiveWorld,
    opts: { readonly checked?: readonly string[]; readonly now?: Date } = {},
): ReachabilityResult {
    const now = (opts.now ?? new Date()).getTime();
    const vpcById = new Map(world.vpcs.map((v) => [v.id, v]));
    const peeringById = new Map(world.peerings.map((p) => [p.id, p]));
    const checked = (opts.checked ?? world.peerings.map((p) => p.id))
        .map((id) => peeringById.get(id))
        .filter((p): p is LivePeering => p !== undefined);
    const routesOf = (vpcId: string) => world.routes.filter((r) => r.vpcId === vpcId);
    const findings: ReachFinding[] = [];
    const paths: PathResult[] = [];
    const reasonsOf = new Map<string, Array<ReachRuleId | RuleId>>();
    const block = (pathKey: string, rule: ReachRuleId | RuleId) => {
        const list = reasonsOf.get(pathKey) ?? [];
        if (!list.includes(rule)) list.push(rule);
        reasonsOf.set(pathKey, list);
    };

    // The preview rules, on the live graph: facts as rules.ts wants them, named so that a name maps back to one object.
    const nameCount = new Map<string, number>();
    for (const x of [...world.vpcs, ...world.peerings]) nameCount.set(x.name, (nameCount.get(x.name) ?? 0) + 1);
    const label = (x: { name: string; id: string }) =>
        (nameCount.get(x.name) ?? 0) > 1 ? `${x.name} (${x.id})` : x.name;
    const facts = (id: string): VpcFacts => {
        const v = vpcById.get(id);
        return v
            ? { name: label(v), id: v.id, cidr: v.cidr, region: v.region, account: v.account, projectId: v.projectId }
            : { name: `VPC ${id}`, id };
    };
    const usable = world.peerings.filter((p) => p.status === "ACTIVE" || p.status === "PENDING_ACCEPTANCE");
    const peeringFacts = new Map<string, PeeringFacts>(
        usable.map((p) => [
            p.id,
            { name: label(p), id: p.id, requester: facts(p.requesterVpcId), accepter: facts(p.accepterVpcId) },
        ]),
    );
    const checkedIds = new Set(checked.map((p) => p.id));
    const checkedVpcs = new Set(checked.flatMap((p) => [p.requesterVpcId, p.accepterVpcId]));
    const routeFacts: RouteFacts[] = [];
    for (const r of world.routes) {
        const pf = peeringFacts.get(r.nexthop);
        if (pf && checkedVpcs.has(r.vpcId)) {
            routeFacts.push({ name: r.id, vpc: facts(r.vpcId), destination: r.destination, peering: pf });
        }
    }
    const program = checkProgram({
        vpcs: [...checkedVpcs].filter((id) => vpcById.has(id)).map(facts),
        peerings: [...peeringFacts.values()],
        routes: routeFacts,
        accepters: [],
    });
    for (const v of program.violations) {
        if (!LIVE_PREVIEW_RULES.includes(v.rule)) continue;
        const named = (x: { name: string; id: string }) => v.resources.includes(label(x));
        // A finding about peerings or VPCs outside the checked ones is context, not this verify's business.
        const involved = world.peerings.filter((p) => named(p) && checkedIds.has(p.id));
        const routes = v.resources.filter((x) => world.routes.some((r) => r.id === x));
        if (involved.length === 0 && routes.length === 0) continue;
        const [message, fix] = splitFix(v.message);
        findings.push({
            rule: v.rule,
            severity: "error",
            peering: involved[0]?.id,
            vpcs: world.vpcs.filter(named).map((x) => x.id),
            routes,
            message,
            fix,
        });
        for (const p of involved) {
            if (v.rule === "peering-cidr-overlap") {
                block(`${p.id}:${p.requesterVpcId}`, v.rule);
                block(`${p.id}:${p.accepterVpcId}`, v.rule);
            }
            if (v.rule === "mesh-peer-cidr-conflict") {
                // The hub VPC, named first, cannot tell its two overlapping peers apart.
                const hub = world.vpcs.find((x) => v.resources[0] === label(x));
                if (hub && (hub.id === p.requesterVpcId || hub.id === p.accepterVpcId))
                    block(`${p.id}:${hub.id}`, v.rule);
            }
        }
    }

    for (const p of checked) {
        const sides: Array<[string, string]> = [
            [p.requesterVpcId, p.accepterVpcId],
            [p.accepterVpcId, p.requesterVpcId],
        ];
        const both = [p.requesterVpcId, p.accepterVpcId];
        if (p.status === "PENDING_ACCEPTANCE") {
            const left = p.expiresAt ? Date.parse(p.expiresAt) - now : undefined;
            const expired = left !== undefined && left <= 0;
            findings.push({
                rule: expired ? "peering-not-active" : "peering-pending",
                severity: expired ? "error" : "warning",
                peering: p.id,
                vpcs: both,
                routes: [],
                message: expired
                    ? `peering ${q(p.name)} (${p.id}) expired at ${p.expiresAt} without being accepted`
                    : `peering ${q(p.name)} (${p.id}) waits for ${vpcLabel(vpcById.get(p.accepterVpcId), p.accepterVpcId)} to accept it` +
                      (left !== undefined ? `; it expires at ${p.expiresAt} (${durationText(left)} left)` : ""),
                fix: expired
                    ? "request it again (refresh and up the stack that requests it), then accept it"
                    : "the accepter's account must accept it before it expires (up the stack holding its PeeringAccepter)",
            });
        } else if (p.status !== "ACTIVE") {
            findings.push({
                rule: "peering-not-active",
                severity: "error",
                peering: p.id,
                vpcs: both,
                routes: routesThrough(world, p.id),
                message: `peering ${q(p.name)} (${p.id}) is ${p.status === "DELETED" ? "gone (DELETED or not found)" : p.status}: it carries no traffic`,
                fix:
                    p.status === "REJECTED"
                        ? "request it again (refresh and up the stack that requests it) and have the peer accept it"
                        : "create it again (refresh and up the stacks that manage it)",
            });
        }
        for (const [from, to] of sides) {
            const key = `${p.id}:${from}`;
            const a = vpcById.get(from);
            const b = vpcById.get(to);
            const base = { peering: p.id, peeringName: p.name, from, to };
            if (!a || !b) {
                const missing = !a ? from : to;
                findings.push({
                    rule: "vpc-unreadable",
                    severity: "warning",
                    peering: p.id,
                    vpcs: [missing],
                    routes: [],
                    message: `VPC ${missing} of peering ${q(p.name)} cannot be read with the accounts given`,
                    fix: "add a read-only profile of its account to the accounts file",
                });
                paths.push({ ...base, state: "unknown", reaching: [], reasons: ["vpc-unreadable"] });
                continue;
            }
            const peerCidr = tryParseCidr(b.cidr);
            const table = routesOf(from);
            const reaching: string[] = [];
            // Routes through a peering exist only once it is ACTIVE: before that (or after), the status says it all.
            if (peerCidr && p.status === "ACTIVE") {
                const uncovered: string[] = [];
                const shadows = new Map<string, { route: LiveRoute; blocks: string[] }>();
                for (const seg of resolveBlock(table, peerCidr)) {
                    const blocks = rangeToCidrs(seg.first, seg.last);
                    if (!seg.route) uncovered.push(...blocks);
                    else if (seg.route.nexthop === p.id) reaching.push(...blocks);
                    else {
                        const s = shadows.get(seg.route.id) ?? { route: seg.route, blocks: [] };
                        s.blocks.push(...blocks);
                        shadows.set(seg.route.id, s);
                    }
                }
                const own = table.filter((r) => r.nexthop === p.id).map((r) => r.id);
                if (uncovered.length) {
                    block(key, "route-missing");
                    findings.push({
                        rule: "route-missing",
                        severity: "error",
                        peering: p.id,
                        vpcs: [from, to],
                        routes: own,
                        message:
                            `${vpcLabel(a, from)} has no route for ${uncovered.join(", ")} of peer ${vpcLabel(b, to)}: ` +
                            `traffic from ${q(a.name)} to ${reaching.length ? "that part of " : ""}${q(b.name)} through ${q(p.name)} is dropped`,
                        fix: `add a route in ${q(a.name)} to ${b.cidr} through peering ${p.id}`,
                    });
                }
                for (const { route, blocks } of shadows.values()) {
                    block(key, "route-shadowed");
                    const via = peeringById.get(route.nexthop);
                    findings.push({
                        rule: "route-shadowed",
                        severity: "error",
                        peering: p.id,
                        vpcs: [from, to],
                        routes: [route.id, ...table.filter((r) => r.nexthop === p.id).map((r) => r.id)],
                        message:
                            `in ${vpcLabel(a, from)}, route ${route.id} (${route.destination} via ` +
                            `${via ? `peering ${q(via.name)}` : route.nexthop}) is more specific than the route through ${q(p.name)}: ` +
                            `traffic to ${blocks.join(", ")} of ${q(b.name)} goes there instead (longest-prefix match)`,
                        fix: `delete route ${route.id} from ${q(a.name)}, or narrow it so it no longer overlaps ${b.cidr}`,
                    });
                }
            }
            if (p.status === "PENDING_ACCEPTANCE") block(key, "peering-pending");
            else if (p.status !== "ACTIVE") block(key, "peering-not-active");
            const reasons = reasonsOf.get(key) ?? [];
            const expiredPending =
                p.status === "PENDING_ACCEPTANCE" && p.expiresAt !== undefined && Date.parse(p.expiresAt) <= now;
            const state: PathState =
                p.status === "PENDING_ACCEPTANCE" && !expiredPending
                    ? "pending"
                    : reasons.length === 0
                      ? "flows"
                      : reaching.length > 0 && p.status === "ACTIVE"
                        ? "partial"
                        : "blocked";
            paths.push({ ...base, state, reaching, reasons });
        }
    }

    // Blackholes: routes of the checked VPCs through a peering that is gone or not ACTIVE.
    for (const r of world.routes) {
        if (!checkedVpcs.has(r.vpcId)) continue;
        const p = peeringById.get(r.nexthop);
        if (p && p.status === "ACTIVE") continue;
        findings.push({
            rule: "route-blackhole",
            severity: "error",
            peering: p?.id ?? r.nexthop,
            vpcs: [r.vpcId],
            routes: [r.id],
            message:
                `route ${r.id} of ${vpcLabel(vpcById.get(r.vpcId), r.vpcId)} sends ${r.destination} to peering ${r.nexthop}, ` +
                `which is ${p ? p.status : "gone"}: that traffic is dropped`,
            fix: `delete route ${r.id}, or point it at an ACTIVE peering`,
        });
    }
    return { paths, findings };
}

function routesThrough(world: LiveWorld, peeringId: string): string[] {
    return world.routes.filter((r) => r.nexthop === peeringId).map((r) => r.id);
}

/** The messages of ./rules.ts read `[rule] what. Fix: how.`: keep the fix apart for the report. */
function splitFix(message: string): [string, string] {
    const text = message.replace(/^\[[a-z-]+\] /, "");
    const at = text.lastIndexOf(". Fix: ");
    return at < 0 ? [text, "see the rule's message"] : [text.slice(0, at), text.slice(at + 7).replace(/\.$/, "")];
}
