// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Read-only lookups the providers' `check` makes during preview, when credentials allow: the CIDR and region
// of a VPC referenced only by id (another stack, another account), and what already exists in the API (a
// peering for the same VPC pair, the routes of a VPC). Each lookup is best effort with a short deadline
// (config.ts caps "check" clients at 10 s); when it cannot answer, the rule is deferred, never failed.

import { NotFoundError } from "../client/errors";
import { PeeringDto, RouteDto, VpcDto } from "../client/types";
import { clientFor, findProfile } from "../config";
import { isPlaceholder } from "../constraints/checkReport";

/** {@link VpcLookup} is what a read-only VPC lookup found. */
export type VpcLookup = { found: VpcDto } | { notFound: true } | undefined;

/** {@link lookupVpc} reads a VPC as `account` in `region`; `undefined` when it cannot tell (no credentials, API down). */
export async function lookupVpc(account: string, region: string, id: string): Promise<VpcLookup> {
    if (isPlaceholder(id)) return undefined; // an upstream stack's VPC that does not exist yet
    try {
        return { found: await clientFor({ account, region, op: "check" }).getVpc(id) };
    } catch (e) {
        return e instanceof NotFoundError ? { notFound: true } : undefined;
    }
}

/**
 * {@link lookupVpcInOtherRegions} looks for a VPC the account cannot see in `region` in the other regions its profile
 * has a project for (`projects`); returns the region it is in, or `undefined` when it is in none (or cannot tell).
 */
export async function lookupVpcInOtherRegions(
    account: string,
    region: string,
    id: string,
): Promise<string | undefined> {
    let regions: string[];
    try {
        // Region keys of env-defined profiles are stored in env form (AP_SOUTHEAST_2).
        const keys = Object.keys(findProfile(account)?.projects ?? {});
        regions = [...new Set(keys.map((k) => k.toLowerCase().replace(/_/g, "-")))].filter((r) => r !== region);
    } catch {
        return undefined;
    }
    const found = await Promise.all(regions.map((r) => lookupVpc(account, r, id)));
    const i = found.findIndex((f) => f !== undefined && "found" in f);
    return i >= 0 ? regions[i] : undefined;
}

/**
 * {@link lookupPeeringForPair} finds a live peering between two VPCs, in either direction, visible to `account`;
 * `undefined` when there is none or it cannot tell.
 */
export function lookupPeeringForPair(
    account: string,
    region: string,
    vpcA: string,
    vpcB: string,
): Promise<PeeringDto | undefined> {
    if (isPlaceholder(vpcA) || isPlaceholder(vpcB)) return Promise.resolve(undefined);
    return bestEffort(() => clientFor({ account, region, op: "check" }).findPeeringByVpcPair(vpcA, vpcB));
}

/** {@link lookupPeering} reads a peering visible to `account`; `undefined` when it is not there or it cannot tell. */
export function lookupPeering(account: string, region: string, id: string): Promise<PeeringDto | undefined> {
    if (isPlaceholder(id)) return Promise.resolve(undefined);
    return bestEffort(() => clientFor({ account, region, op: "check" }).getPeering(id));
}

/** {@link lookupRoutes} lists the routes of a VPC; `undefined` when it cannot tell. */
export function lookupRoutes(account: string, region: string, vpcId: string): Promise<RouteDto[] | undefined> {
    if (isPlaceholder(vpcId)) return Promise.resolve(undefined);
    return bestEffort(() => clientFor({ account, region, op: "check" }).listRoutes({ vpc_id: vpcId }));
}

/** {@link bestEffort} runs a read-only lookup; any failure (no profile, API down, not found) means "cannot tell". */
async function bestEffort<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch {
        return undefined;
    }
}

/** {@link checksDisabled} is true when VPCPEERING_CHECKS=off (benchmarks only: it turns every rule off). */
export function checksDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
    return (env.VPCPEERING_CHECKS ?? "on").toLowerCase() === "off";
}
