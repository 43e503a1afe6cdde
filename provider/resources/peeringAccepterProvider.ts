// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PeeringAccepter resource: the accepter side of a cross-account peering, run with the accepter's account.
//   - accepts by default; rejects only with `reject: true`;
//   - waits until the request is visible to the accepter (404s right after the requester's create are retried);
//   - adopts a peering that is already ACTIVE (or already REJECTED when rejecting) without error;
//   - on destroy leaves the peering (default) or deletes it (`deleteOnDestroy: true`);
//   - clear errors when the peering does not exist, is not addressed to this account, was rejected or expired.
//   Its id is the peering id. replaces: peeringConnectionId, account, region; in place: reject, deleteOnDestroy.

import { ApiClient, TERMINAL_PEERING_STATUSES } from "../client/client";
import { isApiError } from "../client/errors";
import { backoffDelay, isTransient, sleep } from "../client/retry";
import { PeeringDto } from "../client/types";
import { WaitFailedError, WaitTimeoutError, waitUntil } from "../client/waiters";
import { pollIntervalMs } from "../config";
import { checkAccepter } from "../../core/rules";
import {
    PeeringFactsInput,
    ResourceInitError,
    checkAccount,
    checkBoolean,
    checkId,
    checkRegion,
    getOrGone,
    knownString,
    fillUnknown,
    peeringFacts,
} from "./common";
import { CommonInputs, defineResource, outputsOf, resourceLabel } from "./define";
import { notePeeringStatus } from "./lookups";
import { deletePeeringAndWait } from "./peeringConnectionProvider";

/** {@link PeeringAccepterInputs} are the PeeringAccepter resource's inputs as the provider sees them. */
export interface PeeringAccepterInputs extends CommonInputs {
    /** The peering to accept (or reject). */
    peeringConnectionId: string;
    /** The accepter's account profile. */
    account: string;
    /** The region of the peering. */
    region: string;
    /** Reject the request instead of accepting it. @default false */
    reject?: boolean;
    /** Delete the peering when this resource is destroyed. @default false (leave it) */
    deleteOnDestroy?: boolean;
    /** Facts about the peering, for the preview checks only. */
    peering?: PeeringFactsInput;
}

/** {@link PeeringAccepterOutputs} are the inputs plus the peering as the accepter sees it. */
export interface PeeringAccepterOutputs extends PeeringAccepterInputs {
    /** `ACTIVE` (or `REJECTED` with `reject: true`). */
    status: string;
    /** The peering's name. */
    peeringName?: string;
    requesterVpcId?: string;
    accepterVpcId?: string;
    requesterProjectId?: string;
    accepterProjectId?: string;
}

const label = resourceLabel("PeeringAccepter");

function outputsFrom(inputs: PeeringAccepterInputs, p: PeeringDto): PeeringAccepterOutputs {
    return outputsOf(inputs, {
        status: p.status,
        peeringName: p.name,
        requesterVpcId: p.request_vpc_info?.vpc_id,
        accepterVpcId: p.accept_vpc_info?.vpc_id,
        requesterProjectId: p.request_vpc_info?.tenant_id,
        accepterProjectId: p.accept_vpc_info?.tenant_id,
    });
}

/** {@link peeringAccepterProvider} implements the PeeringAccepter resource. */
export const peeringAccepterProvider = defineResource<PeeringAccepterInputs, PeeringAccepterOutputs, "accepter">({
    kind: "PeeringAccepter",
    label,
    noun: "peering",
    inputs: ["peeringConnectionId", "account", "region", "reject", "deleteOnDestroy", "peering"],
    replaceOnChange: ["peeringConnectionId", "account", "region"],
    updateInPlace: ["reject", "deleteOnDestroy"],
    checkOnly: ["peering"],
    trim: ["peeringConnectionId", "account", "region"],
    validate: {
        peeringConnectionId: (v, p) => checkId(v, p, "the peering id (peeringConnection or peeringConnectionId)"),
        account: checkAccount,
        region: checkRegion,
        reject: checkBoolean,
        deleteOnDestroy: checkBoolean,
    },
    rules: {
        facts: "accepter",
        check: checkAccepter,
        subjectName: (inputs) => knownString(inputs.__resourceName) ?? "accepter",
        complete: (inputs, { name, given }) => ({
            facts: fillUnknown(given, {
                name,
                account: knownString(inputs.account),
                peering: peeringFacts(inputs.peering, "peering", knownString(inputs.peeringConnectionId)),
            }),
        }),
    },

    async create(inputs, ctx) {
        const client = ctx.client();
        const id = inputs.peeringConnectionId;
        const p = await waitUntilVisible(client, inputs);
        assertAddressedToUs(p, client, inputs);
        const target = inputs.reject === true ? "REJECTED" : "ACTIVE";
        let final: PeeringDto;
        try {
            final = await converge(client, p, target, inputs);
        } catch (e) {
            if (e instanceof WaitTimeoutError || e instanceof WaitFailedError) {
                const last = (e.last as PeeringDto | undefined) ?? p;
                throw new ResourceInitError(`peering ${id} did not become ${target}: ${e.message}`, id, {
                    ...outputsFrom(inputs, last),
                });
            }
            throw e;
        }
        notePeeringStatus(inputs.account, inputs.region, final);
        return { id, outs: outputsFrom(inputs, final) };
    },

    async read(id, pr, { client, region, account }) {
        const found = await getOrGone(() => client.getPeering(id));
        if (found === undefined) return undefined;
        const p: PeeringDto = found;
        const target = pr.reject === true ? "REJECTED" : "ACTIVE";
        // Gone (so the next `up` acts again): deleted/expired, or not in the state this resource asks for and still
        // fixable (pending) or never fixable by this resource (rejected while it should be accepted).
        const gone =
            p.status === "EXPIRED" ||
            p.status === "DELETED" ||
            p.status === "PENDING_ACCEPTANCE" ||
            (target === "ACTIVE" && p.status === "REJECTED");
        if (gone && pr.peeringConnectionId !== undefined) return undefined;
        return outputsFrom({ ...(pr as PeeringAccepterInputs), peeringConnectionId: id, region, account }, p);
    },

    async update(id, olds, news, ctx) {
        const client = ctx.client();
        let p = await client.getPeering(id);
        if ((olds.reject === true) !== (news.reject === true)) {
            p = await converge(client, p, news.reject === true ? "REJECTED" : "ACTIVE", news);
        }
        return outputsFrom(news, p);
    },

    async delete(id, props, ctx) {
        if (props.deleteOnDestroy !== true) return; // Leave the peering: the requester owns its lifecycle.
        await deletePeeringAndWait(ctx.client(), id);
    },
});

/** Waits until the peering is visible to the accepter account: the requester's create may not have propagated yet. */
async function waitUntilVisible(client: ApiClient, inputs: PeeringAccepterInputs): Promise<PeeringDto> {
    const id = inputs.peeringConnectionId;
    try {
        return await waitUntil({
            what: `peering ${id} to become visible to account '${inputs.account}'`,
            poll: () => client.getPeering(id),
            done: () => true,
            deadline: client.deadline,
            intervalMs: pollIntervalMs(),
            tolerateNotFound: true,
        });
    } catch (e) {
        if (e instanceof WaitTimeoutError) {
            throw new Error(
                `peering ${id} was not found from account '${inputs.account}' in ${inputs.region} (project ${client.projectId}): ` +
                    "it does not exist, or it is not addressed to this account. Check peeringConnectionId, the accepter's " +
                    `account and region, and that the requester set peerProjectId to ${client.projectId}`,
            );
        }
        throw e;
    }
}

function assertAddressedToUs(p: PeeringDto, client: ApiClient, inputs: PeeringAccepterInputs): void {
    const to = p.accept_vpc_info?.tenant_id;
    if (to !== undefined && to !== "" && to !== client.projectId) {
        throw new Error(
            `peering ${p.id} is addressed to project ${to}, not to account '${inputs.account}' (project ${client.projectId} in ` +
                `${inputs.region}); run the PeeringAccepter with the account that owns accepter VPC ${p.accept_vpc_info.vpc_id}`,
        );
    }
}

/** Brings the peering to `target` (ACTIVE or REJECTED): adopts it if already there, else accepts/rejects and waits. */
async function converge(
    client: ApiClient,
    p: PeeringDto,
    target: "ACTIVE" | "REJECTED",
    inputs: PeeringAccepterInputs,
): Promise<PeeringDto> {
    const id = p.id;
    if (p.status === target) return p;
    if (p.status !== "PENDING_ACCEPTANCE") throw new Error(explainState(p, target));
    for (let attempt = 1; ; attempt++) {
        try {
            if (target === "ACTIVE") await client.acceptPeering(id);
            else await client.rejectPeering(id);
            break;
        } catch (e) {
            // The accept may have committed even though the answer was lost or refused: look before acting again.
            const now = await client.getPeering(id).catch(() => undefined);
            if (now?.status === target) return now;
            if (now !== undefined && now.status !== "PENDING_ACCEPTANCE") throw new Error(explainState(now, target));
            if (!isTransient(e)) throw e;
            const delay = backoffDelay(attempt, client.retryPolicy, e);
            if (Date.now() + delay > client.deadline) throw e;
            await sleep(delay);
        }
    }
    return waitUntil({
        what: `peering ${id} to become ${target}`,
        poll: () => client.getPeering(id),
        done: (x) => x.status === target,
        failed: (x) => (x.status !== target && x.status !== "PENDING_ACCEPTANCE" ? explainState(x, target) : undefined),
        describe: (x) => `status ${x.status}`,
        deadline: client.deadline,
        intervalMs: pollIntervalMs(),
        tolerateNotFound: false,
    }).catch((e) => {
        if (isApiError(e) && e.kind === "not-found") {
            throw new Error(
                `peering ${id} was deleted while ${inputs.account} was ${target === "ACTIVE" ? "accepting" : "rejecting"} it`,
            );
        }
        throw e;
    });
}

function explainState(p: PeeringDto, target: "ACTIVE" | "REJECTED"): string {
    switch (p.status) {
        case "ACTIVE":
            return (
                `peering ${p.id} is already ACTIVE and cannot be rejected; to remove it, delete it ` +
                "(deleteOnDestroy: true and remove this PeeringAccepter, or delete the PeeringConnection)"
            );
        case "REJECTED":
            return (
                `peering ${p.id} was REJECTED; a rejected request cannot be accepted: the requester must create a new ` +
                "one (replace its PeeringConnection), then accept that"
            );
        case "EXPIRED":
            return (
                `peering ${p.id} EXPIRED before it was ${target === "ACTIVE" ? "accepted" : "rejected"}: the requester must ` +
                "create a new one (run `pulumi refresh` and `up` on the requester's stack), then accept that"
            );
        default:
            return `peering ${p.id} is ${p.status}${TERMINAL_PEERING_STATUSES.includes(p.status) ? "; the requester must create a new one" : ""}`;
    }
}
