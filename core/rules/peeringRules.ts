// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The peering family: one peering joins two different VPCs of one region with disjoint CIDRs, names the peer's
// project when it crosses accounts, and is the only one between its two VPCs.

import { Cidr, cidrsOverlap, formatIPv4, tryParseCidr } from "../cidr";
import type { CheckOutcome, PeeringFacts } from "./facts";
import { deferred, empty, howToPass, q, sameVpc, violation, vpcKey } from "./outcome";

/** {@link PENDING_ACCEPTANCE_DAYS} is how long a cross-account request waits for acceptance before it expires. */
export const PENDING_ACCEPTANCE_DAYS = 7;

/** {@link PENDING_ACCEPTANCE_MS} is {@link PENDING_ACCEPTANCE_DAYS} in milliseconds (when the API does not say). */
export const PENDING_ACCEPTANCE_MS = PENDING_ACCEPTANCE_DAYS * 24 * 60 * 60 * 1000;

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
 * {@link isSelfPeering} is `peering-self` as a predicate: both sides are the same VPC (by id when both ids are
 * known, by resource name when neither is). False when it cannot tell yet.
 */
export function isSelfPeering(p: Pick<PeeringFacts, "requester" | "accepter">): boolean {
    return sameVpc(p.requester, p.accepter) === true;
}

/** {@link PEERING_STATUSES} are every status a peering can have (the API's, reference §1.2). */
export const PEERING_STATUSES: readonly string[] = ["PENDING_ACCEPTANCE", "REJECTED", "EXPIRED", "DELETED", "ACTIVE"];

/**
 * {@link TERMINAL_PEERING_STATUSES} are the peering states from which it can never become usable again; a peering
 * in any other state (pending acceptance or active) holds its VPC pair against a second one.
 */
export const TERMINAL_PEERING_STATUSES: readonly string[] = ["REJECTED", "EXPIRED", "DELETED"];

/** {@link holdsPair} is true when a peering in `status` counts for `peering-duplicate-pair`. */
export function holdsPair(status: string): boolean {
    return !TERMINAL_PEERING_STATUSES.includes(status);
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
    if (isSelfPeering(p)) {
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

function pairKey(p: PeeringFacts): string {
    const a = vpcKey(p.requester);
    const b = vpcKey(p.accepter);
    return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * {@link findDuplicatePair} is `peering-duplicate-pair` for one new peering: the first of `existing` (peerings
 * that hold their pair, see {@link holdsPair}) that joins the same two VPCs, in either direction, and is not the
 * peering itself.
 */
export function findDuplicatePair<T extends PeeringFacts>(p: PeeringFacts, existing: readonly T[]): T | undefined {
    const k = pairKey(p);
    return existing.find((e) => pairKey(e) === k && !(e.id !== undefined && e.id === p.id));
}

/**
 * {@link checkDuplicatePairs} applies `peering-duplicate-pair` over peerings declared together, and against
 * peerings already in the API (`existing`): only one peering may join two VPCs, in either direction.
 */
export function checkDuplicatePairs(
    peerings: readonly PeeringFacts[],
    existing: readonly PeeringFacts[] = [],
): CheckOutcome {
    const out = empty();
    const seen = new Map<string, PeeringFacts>();
    for (const p of existing) {
        seen.set(pairKey(p), p);
    }
    for (const p of peerings) {
        const k = pairKey(p);
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
