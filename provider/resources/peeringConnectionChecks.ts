// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The facts a PeeringConnection's `check` gives the rules: the program's facts, filled from the inputs (ids of VPCs
// that exist, the region and account given) and, when credentials allow, from read-only lookups — the CIDRs of VPCs
// referenced only by id, who owns the accepter VPC, and a live peering of the same VPC pair already in the API.

import { PeeringFacts, VpcFacts, checkDuplicatePairs, checkPeering } from "../../core/rules";
import { CheckFailure, dropUndefined, fillUnknown, isUnknown, knownString, vpcFacts } from "./common";
import { RuleFacts } from "./define";
import { checksDisabled, lookupPeeringForPair, lookupVpc, lookupVpcInOtherRegions } from "./lookups";
import type { PeeringConnectionInputs } from "./peeringConnectionProvider";

/**
 * {@link peeringRuleFacts} completes the program's facts about a peering (`given`) from its inputs and read-only
 * lookups; the one-peering-per-pair rule joins a live peering of the pair found in the API (for a new peering).
 */
export async function peeringRuleFacts(
    inputs: PeeringConnectionInputs,
    ctx: {
        readonly olds: Partial<PeeringConnectionInputs>;
        readonly name: string;
        readonly given: PeeringFacts | undefined;
        readonly failures: readonly CheckFailure[];
    },
): Promise<RuleFacts<PeeringFacts>> {
    const { olds, name, given, failures } = ctx;
    // The program's facts, filled from the inputs (ids of VPCs that exist, the region and account given).
    const fromInputs: PeeringFacts = dropUndefined({
        name,
        requester: vpcFacts(inputs.requester, "requester VPC", {
            id: knownString(inputs.requesterVpcId),
            region: knownString(inputs.requester?.region) ?? knownString(inputs.region),
            account: knownString(inputs.requester?.account) ?? knownString(inputs.account),
        }),
        accepter: vpcFacts(inputs.accepter, "accepter VPC", {
            id: knownString(inputs.accepterVpcId),
            projectId: knownString(inputs.accepter?.projectId) ?? knownString(inputs.peerProjectId),
        }),
        peerProjectId: knownString(inputs.peerProjectId),
    });
    let self = fillUnknown(given, fromInputs);
    let existing: PeeringFacts[] = [];
    if (failures.length === 0 && !checksDisabled()) {
        // VPCs referenced only by id: look them up read-only (when credentials allow) so the CIDR and
        // account rules can run at preview instead of being deferred.
        const [r, a, dup] = await Promise.all([
            completeFromApi(self.requester, self.requester.account, self.requester.region),
            completeAccepter(inputs, self.requester, self.accepter),
            isUnknown(olds.requesterVpcId) || olds.requesterVpcId === undefined
                ? existingPairPeering(inputs, self.requester, self.accepter)
                : Promise.resolve(undefined),
        ]);
        self = { ...self, requester: r, accepter: a };
        if (dup) existing = [dup];
    }
    const completed = checkPeering(self);
    // The live peering of the same pair, against this one: the rule the program runs over its declarations.
    if (existing.length) completed.violations.push(...checkDuplicatePairs([self], existing).violations);
    return { facts: self, completed };
}

/**
 * {@link completeFromApi} fills a by-id VPC's unknown CIDR and region from a read-only lookup as `account` (the
 * profile that owns it, or the requester's for a same-account VPC).
 */
async function completeFromApi(
    v: VpcFacts,
    account: string | undefined,
    region: string | undefined,
): Promise<VpcFacts> {
    if (v.id === undefined || v.cidr !== undefined || account === undefined || region === undefined) return v;
    const found = await lookupVpc(account, region, v.id);
    return found && "found" in found ? { ...v, cidr: found.found.cidr || undefined } : v;
}

/**
 * {@link existingPairPeering} looks for a live peering of the same VPC pair already in the API (for a new peering,
 * unless it is adopted): the one-peering-per-pair rule, before the API refuses it at apply.
 */
async function existingPairPeering(
    inputs: PeeringConnectionInputs,
    requester: VpcFacts,
    accepter: VpcFacts,
): Promise<PeeringFacts | undefined> {
    if (inputs.adopt === true || inputs.adoptId !== undefined) return undefined;
    const account = knownString(inputs.account);
    const region = knownString(inputs.region);
    if (!account || !region || !requester.id || !accepter.id) return undefined;
    const p = await lookupPeeringForPair(account, region, requester.id, accepter.id);
    if (!p) return undefined;
    return {
        name: `peering ${p.id} ("${p.name}", ${p.status}, already in the API)`,
        id: p.id,
        requester: { name: `vpc ${p.request_vpc_info.vpc_id}`, id: p.request_vpc_info.vpc_id },
        accepter: { name: `vpc ${p.accept_vpc_info.vpc_id}`, id: p.accept_vpc_info.vpc_id },
    };
}

/**
 * {@link completeAccepter} reads the accepter VPC once (read-only). The accepter is in the requester's region (or the
 * cross-region rule reports it). With its own profile it is read as that account. When nothing says which account
 * owns it, it is read as the requester: not found there means it belongs to another account (`foreign`, so it needs
 * `peerProjectId`) unless the account sees it in another region (then the same-region rule names that region); found
 * fills its CIDR. Anything undecidable (unknown values, no credentials, API unreachable)
 * leaves the facts as they are.
 */
async function completeAccepter(
    inputs: PeeringConnectionInputs,
    requester: VpcFacts,
    accepter: VpcFacts,
): Promise<VpcFacts> {
    const unowned =
        inputs.peerProjectId === undefined && accepter.account === undefined && accepter.projectId === undefined;
    if (!unowned) {
        return completeFromApi(
            accepter,
            accepter.account ?? (accepter.projectId ? undefined : requester.account),
            accepter.region ?? requester.region,
        );
    }
    const id = knownString(inputs.accepterVpcId);
    const account = knownString(inputs.account);
    const region = knownString(inputs.region);
    if (id === undefined || account === undefined || region === undefined) return accepter;
    const seen = await lookupVpc(account, region, id);
    if (seen && "notFound" in seen) {
        // Not in the requester's project here: in another region of the same account (the same-region rule says
        // so), or in another account.
        const elsewhere = await lookupVpcInOtherRegions(account, region, id);
        return elsewhere ? { ...accepter, region: elsewhere, account } : { ...accepter, foreign: true };
    }
    if (seen && "found" in seen && accepter.cidr === undefined)
        return { ...accepter, cidr: seen.found.cidr || undefined };
    return accepter;
}
