// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// `verify` reads what is live, read-only, with each account's own credentials: the VPCs in scope, every peering
// that touches them, the VPCs at the other ends (with the account that owns them, found by project id) and the route
// tables of all of those. Only GET requests; the clients handed out expose nothing else. Credentials stay inside the
// clients: nothing here returns, logs or reports them.

import { ApiClient, createApiClient } from "../provider/client/client";
import { NotFoundError } from "../provider/client/errors";
import { PeeringDto, VpcDto } from "../provider/client/types";
import { authFor, endpointFor, findProfile, listAccountProfiles, projectFor } from "../provider/config";
import { requireDuration } from "../core/duration";
import type { LivePeering, LiveRoute, LiveVpc, LiveWorld } from "../core/reachability";
import { pendingExpiryOf } from "../provider/client/apiTime";

/** {@link ReadOnlyApi} is the part of the API client `verify` may use: reads only. */
export type ReadOnlyApi = Pick<ApiClient, "getVpc" | "listVpcs" | "getPeering" | "listPeerings" | "listRoutes">;

/** {@link ReadOnlyAccount} is one account profile in one region, as `verify` sees it. */
export interface ReadOnlyAccount {
    readonly account: string;
    readonly region: string;
    readonly projectId: string;
    readonly api: ReadOnlyApi;
}

/**
 * {@link readOnlyAccounts} opens a read-only client per profile of the accounts file (or the named profiles) in
 * `region`. A profile without a project in that region, or without credentials, is left out and named in `skipped`.
 */
export function readOnlyAccounts(opts: {
    readonly accountsFile: string;
    readonly region: string;
    readonly names?: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    /** How long all reads may take, retries included. @default 60 s */
    readonly budgetMs?: number;
}): { accounts: ReadOnlyAccount[]; skipped: string[] } {
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), VPCPEERING_ACCOUNTS_FILE: opts.accountsFile };
    const names = opts.names ?? listAccountProfiles(opts.accountsFile).map((p) => p.name);
    const setting = (k: string) => (env[k] ? requireDuration(k, env[k]!) : undefined);
    const accounts: ReadOnlyAccount[] = [];
    const skipped: string[] = [];
    for (const name of names) {
        const profile = findProfile(name, env);
        if (!profile) {
            skipped.push(`${name}: not in ${opts.accountsFile}`);
            continue;
        }
        let client: ApiClient;
        try {
            client = createApiClient({
                endpoint: endpointFor(opts.region, profile, env),
                projectId: projectFor(profile, opts.region),
                auth: authFor(profile),
                account: name,
                deadline: Date.now() + (opts.budgetMs ?? 60_000),
                retryBaseDelayMs: setting("VPCPEERING_RETRY_BASE_DELAY"),
                requestTimeoutMs: setting("VPCPEERING_REQUEST_TIMEOUT"),
            });
        } catch (e) {
            // The message names the profile and the missing key, never a value.
            skipped.push(`${name}: ${(e as Error).message}`);
            continue;
        }
        const api: ReadOnlyApi = {
            getVpc: (id) => client.getVpc(id),
            listVpcs: (q) => client.listVpcs(q),
            getPeering: (id) => client.getPeering(id),
            listPeerings: (q) => client.listPeerings(q),
            listRoutes: (q) => client.listRoutes(q),
        };
        accounts.push({ account: name, region: opts.region, projectId: client.projectId, api });
    }
    return { accounts, skipped };
}

/** {@link LiveRead} is the live world plus who owns what and what could not be read. */
export interface LiveRead extends LiveWorld {
    /**
     * Ids asked for (VPCs, peerings) that the API does not know: 404 for every account that could own them. An id
     * that could not be read (an error, no profile) is not here: it is unknown, never "deleted".
     */
    readonly notFound: readonly string[];
    /** VPCs whose route table was listed completely (a route missing from one of these is really gone). */
    readonly routesListed: readonly string[];
    /** Problems reading (an account's API failing): the analysis is incomplete where these apply. */
    readonly problems: readonly string[];
    /** How many GET requests were made. */
    readonly requests: number;
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
    try {
        return await p;
    } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
    }
}

/** The peering as `verify` models it (a request's expiry as the provider's outputs say it). */
function livePeering(p: PeeringDto): LivePeering {
    return {
        id: p.id,
        name: p.name,
        status: p.status,
        requesterVpcId: p.request_vpc_info?.vpc_id,
        accepterVpcId: p.accept_vpc_info?.vpc_id,
        expiresAt: pendingExpiryOf(p),
    };
}

/**
 * {@link readLive} reads the VPCs `vpcIds` (owner given per id when known, else found by asking each account), every
 * peering that touches them, the VPCs at their other ends and the route tables of all those VPCs; `peeringIds` that
 * no list shows are looked up one by one (a 404 means gone).
 */
export async function readLive(opts: {
    readonly accounts: readonly ReadOnlyAccount[];
    readonly vpcIds: readonly string[];
    readonly owners?: ReadonlyMap<string, string>;
    readonly peeringIds?: readonly string[];
}): Promise<LiveRead> {
    let requests = 0;
    const counted = <T>(p: Promise<T>): Promise<T> => {
        requests++;
        return p;
    };
    const byName = new Map(opts.accounts.map((a) => [a.account, a]));
    const byProject = new Map(opts.accounts.map((a) => [a.projectId, a]));
    const vpcs = new Map<string, LiveVpc>();
    const owner = new Map<string, ReadOnlyAccount>();
    const peerings = new Map<string, LivePeering>();
    const routes = new Map<string, LiveRoute>();
    const tenants = new Map<string, { requester?: string; accepter?: string }>();
    const addPeering = (p: PeeringDto) => {
        peerings.set(p.id, livePeering(p));
        tenants.set(p.id, { requester: p.request_vpc_info?.tenant_id, accepter: p.accept_vpc_info?.tenant_id });
    };
    const notFound: string[] = [];
    const problems: string[] = [];
    const addVpc = (v: VpcDto, a: ReadOnlyAccount) => {
        vpcs.set(v.id, {
            id: v.id,
            name: v.name,
            cidr: v.cidr,
            account: a.account,
            projectId: a.projectId,
            region: a.region,
        });
        owner.set(v.id, a);
    };

    /** `found`, `missing` (404 everywhere asked) or `error` (some read failed: unknown). */
    const readVpc = async (id: string, hint?: ReadOnlyAccount): Promise<"found" | "missing" | "error"> => {
        if (vpcs.has(id)) return "found";
        const candidates = hint ? [hint] : [...opts.accounts];
        let failed = false;
        for (const a of candidates) {
            try {
                const v = await orUndefined(counted(a.api.getVpc(id)));
                if (v) {
                    addVpc(v, a);
                    return "found";
                }
            } catch (e) {
                failed = true;
                problems.push(`account ${a.account}: reading VPC ${id} failed: ${(e as Error).message}`);
            }
        }
        return failed ? "error" : "missing";
    };

    for (const id of opts.vpcIds) {
        const hinted = opts.owners?.get(id);
        if (hinted && !byName.has(hinted)) {
            problems.push(`VPC ${id}: no readable profile for account ${hinted}`);
            continue;
        }
        if ((await readVpc(id, hinted ? byName.get(hinted) : undefined)) === "missing") notFound.push(id);
    }
    const inScope = [...vpcs.keys()];
    for (const id of inScope) {
        const a = owner.get(id)!;
        try {
            for (const p of await counted(a.api.listPeerings({ vpc_id: id }))) addPeering(p);
        } catch (e) {
            problems.push(`account ${a.account}: listing the peerings of VPC ${id} failed: ${(e as Error).message}`);
        }
    }
    for (const id of opts.peeringIds ?? []) {
        if (peerings.has(id)) continue;
        let found: PeeringDto | undefined;
        let failed = false;
        for (const a of opts.accounts) {
            try {
                found = await orUndefined(counted(a.api.getPeering(id)));
            } catch (e) {
                failed = true;
                problems.push(`account ${a.account}: reading peering ${id} failed: ${(e as Error).message}`);
            }
            if (found) break;
        }
        if (found) addPeering(found);
        else if (!failed) notFound.push(id);
    }
    // The other ends: read with the account that owns their project (a peering names both projects).
    for (const p of [...peerings.values()]) {
        for (const vpcId of [p.requesterVpcId, p.accepterVpcId]) {
            if (vpcs.has(vpcId)) continue;
            const t = tenants.get(p.id);
            const a = byProject.get((vpcId === p.requesterVpcId ? t?.requester : t?.accepter) ?? "");
            // No profile for that project: the side stays unreadable, and the analysis says so.
            if (a) await readVpc(vpcId, a);
        }
    }
    const routesListed: string[] = [];
    for (const [id, a] of owner) {
        try {
            for (const r of await counted(a.api.listRoutes({ vpc_id: id }))) {
                if (r.vpc_id !== id) continue;
                routes.set(r.id, { id: r.id, vpcId: r.vpc_id, destination: r.destination, nexthop: r.nexthop });
            }
            routesListed.push(id);
        } catch (e) {
            problems.push(`account ${a.account}: listing the routes of VPC ${id} failed: ${(e as Error).message}`);
        }
    }
    return {
        vpcs: [...vpcs.values()],
        peerings: [...peerings.values()],
        routes: [...routes.values()],
        notFound,
        routesListed,
        problems,
        requests,
    };
}
