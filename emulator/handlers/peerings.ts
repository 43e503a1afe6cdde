// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// VPC peering API v2.0 (`/v2.0/vpc/peerings`, reference §1). A project sees the peerings it is a side of;
// only the accepter accepts or rejects; either side deletes, in any state, and the routes through the
// peering go with it.

import { randomUUID } from "node:crypto";
import {
    DESCRIPTION_RULE,
    ensure,
    Fields,
    formatTime,
    HandlerContext,
    NAME_RULE,
    nextLink,
    parseJsonBody,
    parsePaging,
    projectOf,
    regionOf,
    Reply,
    singleQuery,
    wrapped,
} from "../context";
import { findDuplicatePair, holdsPair, isSelfPeering, PeeringFacts, PEERING_STATUSES } from "../../core/rules";
import { ApiError, Errors, invalidInput } from "../errors";
import type { PeeringRow } from "../store";

const ID_RULE = { required: true, min: 1, max: 64 } as const;

/** {@link renderPeering} is the `peering` object with all eight fields. */
export function renderPeering(p: PeeringRow): Record<string, unknown> {
    return {
        id: p.id,
        name: p.name,
        description: p.description,
        status: p.status,
        request_vpc_info: { vpc_id: p.request_vpc_id, tenant_id: p.request_project_id },
        accept_vpc_info: { vpc_id: p.accept_vpc_id, tenant_id: p.accept_project_id },
        created_at: formatTime(p.created_at),
        updated_at: formatTime(p.updated_at),
    };
}

/** A peering the caller is a side of, in this region, or 404. */
export function visiblePeering(ctx: HandlerContext, id: string): PeeringRow {
    const p = ctx.store.peering(id, ctx.now);
    const project = projectOf(ctx).id;
    if (!p || p.region !== regionOf(ctx) || (p.request_project_id !== project && p.accept_project_id !== project)) {
        throw Errors.peeringNotFound(id);
    }
    return p;
}

/** A VPC known by id, as the shared rules see it. */
function vpcFacts(id: string): { name: string; id: string } {
    return { name: `VPC ${id}`, id };
}

/** A stored peering, as the shared rules see it. */
function peeringFacts(p: PeeringRow): PeeringFacts {
    return {
        name: `peering ${p.id}`,
        id: p.id,
        requester: vpcFacts(p.request_vpc_id),
        accepter: vpcFacts(p.accept_vpc_id),
    };
}

/** A VPC that is `OK` (emulator-defined refusal while it is still CREATING). */
function requireActiveVpc(ctx: HandlerContext, vpcId: string, status: string): void {
    if (status !== "OK") {
        throw new ApiError(
            409,
            "neutron",
            "VpcNotActive",
            `VPC ${vpcId} is not active yet (status ${status}); wait until its status is OK.`,
        );
    }
}

/** `POST /v2.0/vpc/peerings` → 201 `{"peering": {...}}`; same project → ACTIVE, other → PENDING_ACCEPTANCE. */
export function createPeering(ctx: HandlerContext): Reply {
    const project = projectOf(ctx).id;
    const region = regionOf(ctx);
    const f = new Fields("neutron", wrapped(ctx, parseJsonBody(ctx), "peering"), "peering").onlyKeys([
        "name",
        "description",
        "request_vpc_info",
        "accept_vpc_info",
    ]);
    const name = f.string("name", NAME_RULE);
    const description = f.string("description", DESCRIPTION_RULE) ?? "";
    const req = new Fields("neutron", f.object("request_vpc_info", true), "peering.request_vpc_info").onlyKeys([
        "vpc_id",
        "tenant_id",
    ]);
    const acc = new Fields("neutron", f.object("accept_vpc_info", true), "peering.accept_vpc_info").onlyKeys([
        "vpc_id",
        "tenant_id",
    ]);
    const requestVpcId = req.string("vpc_id", ID_RULE);
    const requestTenant = req.string("tenant_id", { max: 64 });
    const acceptVpcId = acc.string("vpc_id", ID_RULE);
    const acceptTenant = acc.string("tenant_id", { max: 64 });

    ensure(requestTenant === undefined || requestTenant === "" || requestTenant === project, () =>
        Errors.requestVpcIncorrect(),
    );
    const requestVpc = ctx.store.vpc(requestVpcId, ctx.now);
    ensure(requestVpc && requestVpc.project_id === project && requestVpc.region === region, () =>
        Errors.requestVpcIncorrect(),
    );
    const pair = { name: "the new peering", requester: vpcFacts(requestVpcId), accepter: vpcFacts(acceptVpcId) };
    ensure(!isSelfPeering(pair), () => Errors.peeringSelf(requestVpcId));
    const acceptProject = acceptTenant === undefined || acceptTenant === "" ? project : acceptTenant;
    // A VPC of another region, or of a project the caller did not name, is "not found" here (reference §1.6).
    const acceptVpc = ctx.store.vpc(acceptVpcId, ctx.now);
    ensure(acceptVpc && acceptVpc.project_id === acceptProject && acceptVpc.region === region, () =>
        Errors.acceptVpcIncorrect(),
    );
    requireActiveVpc(ctx, requestVpc.id, requestVpc.status);
    requireActiveVpc(ctx, acceptVpc.id, acceptVpc.status);

    // emulator-defined: a REJECTED or EXPIRED peering does not block a new one; PENDING or ACTIVE does,
    // in either direction (the shared rule's `holdsPair`).
    const existing = findDuplicatePair(
        pair,
        ctx.store
            .peeringsBetween(requestVpcId, acceptVpcId, ctx.now)
            .filter((p) => holdsPair(p.status))
            .map(peeringFacts),
    );
    ensure(!existing, () => Errors.peeringDuplicate(existing!.id!));
    const quota = ctx.settings.quotas.peeringsPerProject;
    ensure(ctx.store.countPeeringsForQuota(project, ctx.now) < quota, () => Errors.overQuota("vpc_peering", quota));

    const id = randomUUID();
    ctx.store.insertPeering({
        id,
        region,
        name,
        description,
        status: acceptProject === project ? "ACTIVE" : "PENDING_ACCEPTANCE",
        request_vpc_id: requestVpcId,
        request_project_id: project,
        accept_vpc_id: acceptVpcId,
        accept_project_id: acceptProject,
        expires_at: ctx.now + ctx.settings.pendingTtlMs,
        created_at: ctx.now,
        updated_at: ctx.now,
    });
    return { status: 201, body: { peering: renderPeering(ctx.store.peering(id, ctx.now)!) } };
}

/** `GET /v2.0/vpc/peerings/{peering_id}` → 200 `{"peering": {...}}`. */
export function showPeering(ctx: HandlerContext): Reply {
    return { status: 200, body: { peering: renderPeering(visiblePeering(ctx, ctx.params.peering_id!)) } };
}

/** `GET /v2.0/vpc/peerings` with filters, sorted by id, paged; `peerings_links` only when truncated. */
export function listPeerings(ctx: HandlerContext): Reply {
    const project = projectOf(ctx).id;
    const paging = parsePaging(ctx);
    const status = singleQuery(ctx, "status");
    if (status !== undefined && !PEERING_STATUSES.includes(status)) {
        throw invalidInput(
            "neutron",
            `status must be one of ${PEERING_STATUSES.join(", ")}, not ${JSON.stringify(status)}`,
        );
    }
    if (paging.marker !== undefined) {
        const m = ctx.store.peering(paging.marker, ctx.now);
        if (!m || (m.request_project_id !== project && m.accept_project_id !== project)) {
            throw invalidInput("neutron", `marker ${paging.marker} is not a peering visible to this project`);
        }
    }
    const page = ctx.store.listPeerings(
        project,
        regionOf(ctx),
        {
            id: singleQuery(ctx, "id"),
            name: singleQuery(ctx, "name"),
            status,
            tenant_id: singleQuery(ctx, "tenant_id"),
            vpc_id: singleQuery(ctx, "vpc_id"),
        },
        paging,
        ctx.now,
    );
    const body: Record<string, unknown> = { peerings: page.rows.map(renderPeering) };
    if (page.truncated) body.peerings_links = [nextLink(ctx, paging.limit, page.rows[page.rows.length - 1]!.id)];
    return { status: 200, body };
}

/** `PUT /v2.0/vpc/peerings/{peering_id}` with `{"peering": {name?, description?}}` → 200 wrapped. */
export function updatePeering(ctx: HandlerContext): Reply {
    const p = visiblePeering(ctx, ctx.params.peering_id!);
    const f = new Fields("neutron", wrapped(ctx, parseJsonBody(ctx), "peering"), "peering").onlyKeys([
        "name",
        "description",
    ]);
    if (!f.has("name") && !f.has("description")) {
        throw invalidInput("neutron", "peering must contain name or description");
    }
    const name = f.string("name", { ...NAME_RULE, required: false }) ?? p.name;
    const description = f.string("description", DESCRIPTION_RULE) ?? p.description;
    ctx.store.updatePeering(p.id, { name, description, updated_at: ctx.now });
    return { status: 200, body: { peering: renderPeering(ctx.store.peering(p.id, ctx.now)!) } };
}

function decide(ctx: HandlerContext, action: "accept" | "reject"): Reply {
    const p = visiblePeering(ctx, ctx.params.peering_id!);
    const project = projectOf(ctx).id;
    // emulator-defined: 403 when the caller is not the accepter, 409 when the peering is not pending (with the
    // message the providers use for that case).
    ensure(p.accept_project_id === project, () => Errors.notAccepter(action));
    ensure(p.status === "PENDING_ACCEPTANCE", () => Errors.peeringNotPending(action, p.status));
    if (action === "accept") {
        const quota = ctx.settings.quotas.peeringsPerProject;
        ensure(ctx.store.countPeeringsForQuota(project, ctx.now) < quota, () => Errors.overQuota("vpc_peering", quota));
    }
    ctx.store.setPeeringStatus(p.id, action === "accept" ? "ACTIVE" : "REJECTED", ctx.now);
    // Accept and reject answer the peering unwrapped (reference §1.3).
    return { status: 200, body: renderPeering(ctx.store.peering(p.id, ctx.now)!) };
}

/** `PUT /v2.0/vpc/peerings/{peering_id}/accept` (no body) → 200, unwrapped, status ACTIVE. */
export function acceptPeering(ctx: HandlerContext): Reply {
    return decide(ctx, "accept");
}

/** `PUT /v2.0/vpc/peerings/{peering_id}/reject` (no body) → 200, unwrapped, status REJECTED. */
export function rejectPeering(ctx: HandlerContext): Reply {
    return decide(ctx, "reject");
}

/** `DELETE /v2.0/vpc/peerings/{peering_id}` → 204 from either side in any state; routes through it go too. */
export function deletePeering(ctx: HandlerContext): Reply {
    const p = visiblePeering(ctx, ctx.params.peering_id!);
    ctx.store.deleteRoutesThrough(p.id);
    ctx.store.deletePeering(p.id);
    return { status: 204 };
}
