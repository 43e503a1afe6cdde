// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PeeringConnection resource: the requester side of a VPC peering (v2.0 API).
//   same account (or same project)  → ACTIVE at once, no accepter needed;
//   cross account (peerProjectId ≠ own project) → PENDING_ACCEPTANCE until the peer accepts (PeeringAccepter).
//   replaces: requesterVpcId, accepterVpcId, peerProjectId, region, account (deleteBeforeReplace when the VPC pair
//             stays the same: the API allows one peering per VPC pair); in place: name, description.
//   read reports a peering that is gone, REJECTED, EXPIRED or DELETED as gone, so the next `up` recreates it.
//   `expiresAt` (while PENDING_ACCEPTANCE) is the API's `expires_at` if it sends one, else created_at + 7 days.

import type * as pulumi from "@pulumi/pulumi";

import { ApiClient, TERMINAL_PEERING_STATUSES } from "../client/client";
import { ConflictError, NotFoundError, ValidationError } from "../client/errors";
import { PeeringDto } from "../client/types";
import { WaitFailedError, waitUntil } from "../client/waiters";
import { ConfigureRequestLike, Timeouts, clientFor, configure, pollIntervalMs } from "../config";
import { PeeringFacts, Suppression, VpcFacts, checkPeering, checkProgram } from "../constraints/rules";
import { checksDisabled, lookupPeeringForPair, lookupVpc } from "./lookups";
import { readGraphCheck } from "../constraints/graphCheck";
import {
    CheckFailure,
    ResourceInitError,
    VpcFactsInput,
    changedKeys,
    checkAccount,
    checkBoolean,
    checkDescription,
    checkId,
    checkName,
    checkProjectId,
    checkRegion,
    checkSuppressions,
    checkTimeouts,
    dropUndefined,
    getOrGone,
    isUnknown,
    knownString,
    outcomeToFailures,
    parseApiTime,
    pick,
    readClient,
    renameBody,
    trimString,
    vpcFacts,
    warn,
    withContext,
} from "./common";

/** {@link PENDING_EXPIRY_MS} is how long a pending request lives when the API does not say: 7 days (as AWS). */
export const PENDING_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

/** {@link PeeringConnectionInputs} are the PeeringConnection resource's inputs as the provider sees them. */
export interface PeeringConnectionInputs {
    /** The peering's name in the API. */
    name: string;
    /** A description. */
    description?: string;
    /** The region of both VPCs. */
    region: string;
    /** The requester's account profile. */
    account: string;
    /** The requester ("local") VPC id. */
    requesterVpcId: string;
    /** The accepter ("peer") VPC id. */
    accepterVpcId: string;
    /** The accepter's project id; omit (or give the requester's own project) for a same-account peering. */
    peerProjectId?: string;
    /** Facts about the requester VPC, for the preview checks only (never sent to the API). */
    requester?: VpcFactsInput;
    /** Facts about the accepter VPC, for the preview checks only (never sent to the API). */
    accepter?: VpcFactsInput;
    /** At create: adopt a live peering between the same two VPCs instead of failing. */
    adopt?: boolean;
    /** At create: adopt the peering with this id (its VPCs must match). */
    adoptId?: string;
    timeouts?: Timeouts;
    suppressRules?: Suppression[];
    __resourceName?: string;
    __graphCheck?: unknown;
}

/** {@link PeeringConnectionOutputs} are the inputs plus what the API computed. */
export interface PeeringConnectionOutputs extends PeeringConnectionInputs {
    /** `ACTIVE` or `PENDING_ACCEPTANCE` (or, after a refresh that found it so, another API status). */
    status: string;
    /** While `PENDING_ACCEPTANCE`: when the request expires (ISO 8601). */
    expiresAt?: string;
    /** When the peering was created (ISO 8601). */
    createdAt?: string;
    /** The requester's project id, as the API reports it. */
    requesterProjectId?: string;
    /** The accepter's project id, as the API reports it. */
    accepterProjectId?: string;
}

/** {@link PEERING_INPUT_KEYS} are the input property names. */
export const PEERING_INPUT_KEYS = [
    "name",
    "description",
    "region",
    "account",
    "requesterVpcId",
    "accepterVpcId",
    "peerProjectId",
    "requester",
    "accepter",
    "adopt",
    "adoptId",
    "timeouts",
    "suppressRules",
    "__resourceName",
    "__graphCheck",
] as const;

const label = (i: { __resourceName?: string; name?: string }, id?: string) =>
    `PeeringConnection '${knownString(i.__resourceName) ?? knownString(i.name) ?? id ?? "?"}'`;

/** {@link expiresAtOf} returns when a pending peering expires, or `undefined` when it is not pending. */
export function expiresAtOf(p: PeeringDto): string | undefined {
    if (p.status !== "PENDING_ACCEPTANCE") return undefined;
    const explicit = parseApiTime(p.expires_at);
    if (explicit) return explicit.toISOString();
    const created = parseApiTime(p.created_at);
    return created ? new Date(created.getTime() + PENDING_EXPIRY_MS).toISOString() : undefined;
}

function outputsFrom(inputs: PeeringConnectionInputs, p: PeeringDto): PeeringConnectionOutputs {
    const rest = { ...inputs } as PeeringConnectionInputs & { __provider?: string };
    delete rest.__provider;
    return dropUndefined({
        ...rest,
        status: p.status,
        expiresAt: expiresAtOf(p),
        createdAt: parseApiTime(p.created_at)?.toISOString(),
        requesterProjectId: p.request_vpc_info?.tenant_id,
        accepterProjectId: p.accept_vpc_info?.tenant_id,
    });
}

/** {@link peeringConnectionProvider} implements the PeeringConnection resource. */
export const peeringConnectionProvider: pulumi.dynamic.ResourceProvider<
    PeeringConnectionInputs,
    PeeringConnectionOutputs
> = {
    async configure(req: ConfigureRequestLike) {
        configure(req);
    },

    async check(olds, news) {
        const inputs: PeeringConnectionInputs = { ...news };
        for (const k of [
            "name",
            "description",
            "region",
            "account",
            "requesterVpcId",
            "accepterVpcId",
            "peerProjectId",
            "adoptId",
        ] as const) {
            (inputs as unknown as Record<string, unknown>)[k] = trimString(inputs[k]);
        }
        if (inputs.peerProjectId === "") delete inputs.peerProjectId;
        if (typeof inputs.peerProjectId === "string" && !isUnknown(inputs.peerProjectId)) {
            inputs.peerProjectId = inputs.peerProjectId.toLowerCase();
        }
        if (inputs.name === undefined && typeof inputs.__resourceName === "string") inputs.name = inputs.__resourceName;
        const failures: CheckFailure[] = [
            ...checkName(inputs.name),
            ...checkDescription(inputs.description),
            ...checkRegion(inputs.region),
            ...checkAccount(inputs.account),
            ...checkId(
                inputs.requesterVpcId,
                "requesterVpcId",
                "the requester VPC id (requesterVpc or requesterVpcId)",
            ),
            ...checkId(inputs.accepterVpcId, "accepterVpcId", "the accepter VPC id (accepterVpc or accepterVpcId)"),
            ...checkProjectId(inputs.peerProjectId, "peerProjectId"),
            ...checkBoolean(inputs.adopt, "adopt"),
            ...checkTimeouts(inputs.timeouts),
            ...checkSuppressions(inputs.suppressRules),
        ];
        if (inputs.name === undefined) failures.push({ property: "name", reason: "a name is required" });
        const name = knownString(inputs.__resourceName) ?? knownString(inputs.name) ?? "peering";
        const requester = vpcFacts(inputs.requester, "requester VPC", {
            id: knownString(inputs.requesterVpcId),
            region: knownString(inputs.requester?.region) ?? knownString(inputs.region),
            account: knownString(inputs.requester?.account) ?? knownString(inputs.account),
        });
        let accepter = vpcFacts(inputs.accepter, "accepter VPC", {
            id: knownString(inputs.accepterVpcId),
            projectId: knownString(inputs.accepter?.projectId) ?? knownString(inputs.peerProjectId),
        });
        let requesterFacts = requester;
        let existing: PeeringFacts[] = [];
        if (failures.length === 0 && !checksDisabled()) {
            // VPCs referenced only by id: look them up read-only (when credentials allow) so the CIDR and
            // account rules can run at preview instead of being deferred.
            const [r, a, dup] = await Promise.all([
                completeFromApi(requester, requester.account, requester.region),
                completeAccepter(inputs, requester, accepter),
                isUnknown(olds.requesterVpcId) || olds.requesterVpcId === undefined
                    ? existingPairPeering(inputs, requester, accepter)
                    : Promise.resolve(undefined),
            ]);
            requesterFacts = r;
            accepter = a;
            if (dup) existing = [dup];
        }
        const self: PeeringFacts = dropUndefined({
            name,
            requester: requesterFacts,
            accepter,
            peerProjectId: knownString(inputs.peerProjectId),
        });
        const outcome = checkPeering(self);
        if (existing.length) {
            const graph = checkProgram({
                vpcs: [],
                peerings: [self],
                routes: [],
                accepters: [],
                existingPeerings: existing,
            });
            outcome.violations.push(...graph.violations.filter((v) => v.rule === "peering-duplicate-pair"));
        }
        failures.push(
            ...outcomeToFailures(outcome, inputs, label(inputs), {
                accepterVpc: "accepterVpcId",
                requesterVpc: "requesterVpcId",
            }),
        );
        return { inputs: dropUndefined(inputs), failures };
    },

    async diff(_id, olds, news) {
        const o = olds as never;
        const n = news as never;
        const replaces = changedKeys(o, n, ["requesterVpcId", "accepterVpcId", "peerProjectId", "region", "account"]);
        const updates = changedKeys(o, n, ["name", "description", "timeouts", "suppressRules", "adopt", "adoptId"]);
        const pair = (x: { requesterVpcId?: string; accepterVpcId?: string }) =>
            [x.requesterVpcId ?? "", x.accepterVpcId ?? ""].sort().join("|");
        const pairKnown = !isUnknown(news.requesterVpcId) && !isUnknown(news.accepterVpcId);
        return {
            changes: replaces.length > 0 || updates.length > 0,
            replaces,
            deleteBeforeReplace:
                replaces.length > 0 &&
                pairKnown &&
                pair(olds) === pair(news) &&
                changedKeys(o, n, ["region", "account"]).length === 0,
        };
    },

    async create(inputs) {
        return withContext(`creating ${label(inputs)}`, async () => {
            const client = clientFor({
                account: inputs.account,
                region: inputs.region,
                op: "create",
                timeouts: inputs.timeouts,
            });
            let p: PeeringDto | undefined;
            if (inputs.adoptId !== undefined) {
                p = await getOrExplain(client, inputs.adoptId, inputs);
                assertSamePair(p, inputs);
                if (TERMINAL_PEERING_STATUSES.includes(p.status)) {
                    throw new Error(
                        `cannot adopt peering ${p.id}: it is ${p.status}; remove adoptId to create a new one`,
                    );
                }
            } else if (inputs.adopt === true) {
                p = await client.findPeeringByVpcPair(inputs.requesterVpcId, inputs.accepterVpcId);
                if (p) assertSamePair(p, inputs);
            }
            if (p === undefined) {
                try {
                    p = await client.createPeering({
                        name: inputs.name,
                        ...(inputs.description !== undefined ? { description: inputs.description } : {}),
                        request_vpc_info: { vpc_id: inputs.requesterVpcId },
                        accept_vpc_info: dropUndefined({
                            vpc_id: inputs.accepterVpcId,
                            tenant_id: inputs.peerProjectId,
                        }),
                    });
                } catch (e) {
                    await explainCreateFailure(client, e, inputs);
                    throw e;
                }
            } else {
                const body = dropUndefined({
                    name: p.name !== inputs.name ? inputs.name : undefined,
                    description:
                        inputs.description !== undefined && inputs.description !== (p.description ?? "")
                            ? inputs.description
                            : undefined,
                });
                if (Object.keys(body).length > 0) p = await client.updatePeering(p.id, body);
            }
            const id = p.id;
            try {
                p = await waitUntil({
                    what: `peering ${id} to become PENDING_ACCEPTANCE or ACTIVE`,
                    poll: () => client.getPeering(id),
                    done: (x) => x.status === "ACTIVE" || x.status === "PENDING_ACCEPTANCE",
                    failed: (x) =>
                        TERMINAL_PEERING_STATUSES.includes(x.status) ? `peering ${id} is ${x.status}` : undefined,
                    describe: (x) => `status ${x.status}`,
                    deadline: client.deadline,
                    intervalMs: pollIntervalMs(),
                    tolerateNotFound: true,
                });
            } catch (e) {
                const last = (e as WaitFailedError<PeeringDto>).last ?? p;
                throw new ResourceInitError(
                    `peering ${id} was created but is not usable: ${(e as Error).message}`,
                    id,
                    { ...outputsFrom(inputs, last), __provider: (inputs as { __provider?: string }).__provider },
                );
            }
            // A request that a PeeringAccepter of the same program accepts needs no call to action.
            if (p.status === "PENDING_ACCEPTANCE" && readGraphCheck(inputs.__graphCheck).acceptedBy === undefined) {
                warn(
                    `${label(inputs)}: peering ${id} is PENDING_ACCEPTANCE: the owner of project ` +
                        `${p.accept_vpc_info?.tenant_id ?? inputs.peerProjectId ?? "?"} must accept it ` +
                        `(PeeringAccepter with peeringConnectionId ${id})${expiresAtOf(p) ? ` before ${expiresAtOf(p)}` : ""}`,
                );
            }
            return { id, outs: outputsFrom(inputs, p) };
        });
    },

    async read(id, props) {
        const pr = (props ?? {}) as Partial<PeeringConnectionOutputs>;
        return withContext(`reading ${label(pr, id)}`, async () => {
            const { client, region, account } = readClient(`peering ${id}`, "PeeringConnection", pr);
            const found = await getOrGone(() => client.getPeering(id));
            if (found === undefined) return { id: "" };
            const p: PeeringDto = found;
            if (TERMINAL_PEERING_STATUSES.includes(p.status)) {
                warn(
                    `${label(pr, id)}: peering ${id} is ${p.status}; it is reported gone so the next \`up\` creates a new one`,
                );
                return { id: "" };
            }
            const base = { ...(pr as PeeringConnectionInputs) };
            delete (base as { __provider?: string }).__provider;
            const outs = outputsFrom(
                {
                    ...base,
                    name: p.name,
                    description: pr.description === undefined && !p.description ? undefined : (p.description ?? ""),
                    region,
                    account,
                    requesterVpcId: p.request_vpc_info.vpc_id,
                    accepterVpcId: p.accept_vpc_info.vpc_id,
                },
                p,
            );
            return { id, props: outs, inputs: pick<PeeringConnectionOutputs>(outs as never, PEERING_INPUT_KEYS) };
        });
    },

    async update(id, olds, news) {
        return withContext(`updating ${label(news, id)}`, async () => {
            const client = clientFor({
                account: news.account,
                region: news.region,
                op: "update",
                timeouts: news.timeouts,
            });
            const body = renameBody(olds, news);
            if (Object.keys(body).length > 0) await client.updatePeering(id, body);
            const p = await client.getPeering(id);
            return { outs: outputsFrom(news, p) };
        });
    },

    async delete(id, props) {
        await withContext(`deleting ${label(props, id)}`, async () => {
            const client = clientFor({
                account: props.account,
                region: props.region,
                op: "delete",
                timeouts: props.timeouts,
            });
            await deletePeeringAndWait(client, id);
        });
    },
};

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
 * `peerProjectId`); found fills its CIDR. Anything undecidable (unknown values, no credentials, API unreachable)
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
    if (seen && "notFound" in seen) return { ...accepter, foreign: true };
    if (seen && "found" in seen && accepter.cidr === undefined)
        return { ...accepter, cidr: seen.found.cidr || undefined };
    return accepter;
}

/** {@link deletePeeringAndWait} deletes a peering (404 = done, 409 = retry) and waits until it is gone. */
export async function deletePeeringAndWait(client: ApiClient, id: string): Promise<void> {
    await client.deletePeering(id);
    await waitUntil({
        what: `peering ${id} to be deleted`,
        poll: async () => {
            try {
                return (await client.getPeering(id)).status;
            } catch (e) {
                if (e instanceof NotFoundError) return "GONE";
                throw e;
            }
        },
        done: (s) => s === "GONE" || s === "DELETED",
        describe: (s) => `status ${s}`,
        deadline: client.deadline,
        intervalMs: pollIntervalMs(),
    });
}

async function getOrExplain(client: ApiClient, id: string, inputs: PeeringConnectionInputs): Promise<PeeringDto> {
    try {
        return await client.getPeering(id);
    } catch (e) {
        if (e instanceof NotFoundError) {
            throw new Error(
                `adoptId ${id}: no such peering visible to account '${inputs.account}' in ${inputs.region}; check the id, account and region`,
            );
        }
        throw e;
    }
}

function assertSamePair(p: PeeringDto, inputs: PeeringConnectionInputs): void {
    const r = p.request_vpc_info?.vpc_id;
    const a = p.accept_vpc_info?.vpc_id;
    if (r === inputs.requesterVpcId && a === inputs.accepterVpcId) return;
    if (r === inputs.accepterVpcId && a === inputs.requesterVpcId) {
        throw new Error(
            `peering ${p.id} joins the same VPCs in the other direction (requester ${r}, accepter ${a}); swap ` +
                "requesterVpc and accepterVpc to adopt it, or delete it first",
        );
    }
    throw new Error(
        `cannot adopt peering ${p.id}: it joins requester ${r} and accepter ${a}, not ${inputs.requesterVpcId} and ${inputs.accepterVpcId}`,
    );
}

/** Adds what the user can do to a failed create: duplicate pair, wrong peer project. */
async function explainCreateFailure(client: ApiClient, e: unknown, inputs: PeeringConnectionInputs): Promise<void> {
    if (!(e instanceof ValidationError || e instanceof ConflictError)) return;
    const existing = await client
        .findPeeringByVpcPair(inputs.requesterVpcId, inputs.accepterVpcId)
        .catch(() => undefined);
    if (existing) {
        e.message +=
            ` A peering between ${inputs.requesterVpcId} and ${inputs.accepterVpcId} already exists (id ${existing.id}, ` +
            `status ${existing.status}); only one peering per VPC pair is allowed: set adopt: true (or adoptId: "${existing.id}") ` +
            "to manage it, or delete it.";
        return;
    }
    if (/accept vpc id or tenant id|tenant id|project/i.test(e.apiMessage ?? "")) {
        e.message +=
            ` Check accepterVpcId ${inputs.accepterVpcId} and peerProjectId ${inputs.peerProjectId ?? "(none)"}: peerProjectId ` +
            `must be the accepter's project id in ${inputs.region} (not its account/domain id), and the VPC must be in that project.`;
    }
}
