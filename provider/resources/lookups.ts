// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Read-only lookups the providers' `check` makes during preview, when credentials allow: the CIDR and region
// of a VPC referenced only by id (another stack, another account), and what already exists in the API (a
// peering for the same VPC pair, the routes of a VPC). Each lookup is best effort with a short deadline
// (config.ts caps "check" clients at 10 s); when it cannot answer, the rule is deferred, never failed.
//
// The listings of one VPC (its routes, its peerings) are read once and shared by every check that asks within
// LISTING_REUSE_MS — concurrent checks share the request in flight. At `up` the checks of a VPC's routes and
// peerings come one by one as their dependencies are created; without this each re-read the same table (9 identical
// route lists per VPC in a mesh of 10). The dynamic provider host lives for one engine operation, so a listing is
// never reused across operations; within one, a check sees the table as the operation found it (what preview saw),
// and the API still refuses a real conflict at apply. A lookup that could not tell is not kept.
//
// A route's create reads its peering's status the same way ({@link sharedPeeringStatus}): an ACTIVE answer is
// reused by the peering's other routes (one in each VPC), any other answer is not kept, so a wait always polls. The
// create or accept that made the peering ACTIVE in this operation records its last answer ({@link notePeeringStatus}),
// so its routes read nothing.

import { findLivePeeringOfPair } from "../client/client";

import { NotFoundError } from "../client/errors";
import { PeeringDto, RouteDto, VpcDto } from "../client/types";
import { clientFor, findProfile } from "../config";
import { isPlaceholder } from "../../core/checkReport";

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
    return sharedListing(`peerings\0${account}\0${region}\0${vpcA}`, () =>
        clientFor({ account, region, op: "check" }).listPeerings({ vpc_id: vpcA }),
    ).then((all) => (all ? findLivePeeringOfPair(all, vpcA, vpcB) : undefined));
}

/** {@link lookupPeering} reads a peering visible to `account`; `undefined` when it is not there or it cannot tell. */
export function lookupPeering(account: string, region: string, id: string): Promise<PeeringDto | undefined> {
    if (isPlaceholder(id)) return Promise.resolve(undefined);
    return bestEffort(() => clientFor({ account, region, op: "check" }).getPeering(id));
}

/** {@link lookupRoutes} lists the routes of a VPC; `undefined` when it cannot tell. */
export function lookupRoutes(account: string, region: string, vpcId: string): Promise<RouteDto[] | undefined> {
    if (isPlaceholder(vpcId)) return Promise.resolve(undefined);
    return sharedListing(`routes\0${account}\0${region}\0${vpcId}`, () =>
        clientFor({ account, region, op: "check" }).listRoutes({ vpc_id: vpcId }),
    );
}

/**
 * {@link LISTING_REUSE_MS} is how long a VPC's listing read by one check is reused by the next checks: one read per
 * VPC for an operation shorter than that (a 591-resource `up` takes about 2 minutes here), and never a table older
 * than that in a longer one.
 */
export const LISTING_REUSE_MS = 5 * 60_000;

/** The shared reads by kind, account, region and VPC (or peering) id: when each was read, and the read (maybe in flight). */
const listings = new Map<string, { readAt: number; value: Promise<unknown> }>();

/** {@link lookupClock} is the clock the reuse window is measured with (tests drive it). */
export const lookupClock = { now: (): number => Date.now() };

/** {@link forgetListings} drops every shared listing and peering status (tests; a new operation starts with none). */
export function forgetListings(): void {
    listings.clear();
}

/** {@link sharedListing} is {@link bestEffort} of `read`, shared under `key` for {@link LISTING_REUSE_MS}. */
function sharedListing<T>(key: string, read: () => Promise<T>): Promise<T | undefined> {
    return shared(
        key,
        () => bestEffort(read),
        (v) => v !== undefined,
    );
}

/**
 * {@link sharedPeeringStatus} is `read` (a route create's read of its peering), shared by the routes of that
 * peering as `account` in `region`: an ACTIVE peering is not read again within {@link LISTING_REUSE_MS} (it leaves
 * ACTIVE only by being deleted, which an operation does after its routes, and the API refuses a route through a
 * gone peering anyway); any other answer or an error is not kept, so each poll of a wait reads afresh.
 */
export function sharedPeeringStatus(
    account: string,
    region: string,
    id: string,
    read: () => Promise<PeeringDto>,
): Promise<PeeringDto> {
    return shared(peeringStatusKey(account, region, id), read, (p) => p.status === "ACTIVE");
}

/**
 * {@link notePeeringStatus} records a peering as the create or accept that made it just read it: when ACTIVE, the
 * routes through it that this operation creates next (as `account` in `region`) take that answer instead of
 * reading the status again ({@link sharedPeeringStatus}, same window).
 */
export function notePeeringStatus(account: string, region: string, p: PeeringDto): void {
    if (p.status !== "ACTIVE") return;
    listings.set(peeringStatusKey(account, region, p.id), { readAt: lookupClock.now(), value: Promise.resolve(p) });
}

function peeringStatusKey(account: string, region: string, id: string): string {
    return `active peering\0${account}\0${region}\0${id}`;
}

/** {@link shared} is `read`, shared under `key` for {@link LISTING_REUSE_MS} while `keep` holds for its answer. */
function shared<T>(key: string, read: () => Promise<T>, keep: (v: T) => boolean): Promise<T> {
    const now = lookupClock.now();
    const hit = listings.get(key);
    if (hit && now - hit.readAt < LISTING_REUSE_MS) return hit.value as Promise<T>;
    const value = read();
    listings.set(key, { readAt: now, value });
    const drop = () => {
        if (listings.get(key)?.value === value) listings.delete(key);
    };
    value.then((v) => (keep(v) ? undefined : drop()), drop);
    return value;
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
