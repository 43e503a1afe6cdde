// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// VPC API v1 (`/v1/{project_id}/vpcs`, reference §3.1–3.2), the read-only v3 show
// (`/v3/{project_id}/vpc/vpcs/{vpc_id}`, §3.3), the v2.0 tags read Terraform makes, and the v1 quota query.

import { randomUUID } from "node:crypto";
import { describeVpcCidrProblem, MAX_CIDR_LENGTH } from "../../core/cidr";
import { overlapsOwnVpc } from "../../core/rules";
import {
    DESCRIPTION_RULE,
    ensure,
    Fields,
    formatTime,
    HandlerContext,
    nextLink,
    OPTIONAL_NAME_RULE,
    parseJsonBody,
    parsePaging,
    projectOf,
    regionOf,
    Reply,
    singleQuery,
    wrapped,
} from "../context";
import { describeTagProblem, MAX_TAGS_AT_CREATE, MAX_TAGS_PER_VPC } from "../../core/tags";
import { Errors, invalidInput } from "../errors";
import type { VpcRow } from "../store";

const ENTERPRISE_PROJECT = /^(0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** {@link renderVpcV1} is the v1 `vpc` object. */
export function renderVpcV1(v: VpcRow): Record<string, unknown> {
    return {
        id: v.id,
        name: v.name,
        description: v.description,
        cidr: v.cidr,
        status: v.status,
        routes: [],
        enterprise_project_id: v.enterprise_project_id,
        tenant_id: v.project_id,
        enable_shared_snat: false,
        created_at: formatTime(v.created_at),
        updated_at: formatTime(Math.max(v.updated_at, v.status === "OK" ? v.ready_at : 0)),
    };
}

/** Finds a VPC of the caller's project in this region, or throws the family's "not found". */
function ownVpc(ctx: HandlerContext, id: string, v3 = false): VpcRow {
    const vpc = ctx.store.vpc(id, ctx.now);
    const project = projectOf(ctx);
    if (!vpc || vpc.project_id !== project.id || vpc.region !== regionOf(ctx)) {
        throw v3 ? Errors.vpcNotFoundV3(id) : Errors.vpcNotFound(id);
    }
    return vpc;
}

function checkCidr(ctx: HandlerContext, cidr: string): void {
    const problem = describeVpcCidrProblem(cidr, ctx.settings.vpcCidrPolicy);
    if (problem) throw invalidInput("v1", `vpc.cidr [${problem.kind}] ${problem.reason}; ${problem.fix}`);
}

function checkNameFree(ctx: HandlerContext, name: string, exceptId?: string): void {
    if (name === "") return;
    const other = ctx.store.vpcByName(projectOf(ctx).id, name, ctx.now);
    if (other && other.id !== exceptId) throw Errors.vpcNameExists(name);
}

/** `POST /v1/{project_id}/vpcs` → 200 `{"vpc": {..., "status": "CREATING"}}`. */
export function createVpc(ctx: HandlerContext): Reply {
    const project = projectOf(ctx);
    const f = new Fields("v1", wrapped(ctx, parseJsonBody(ctx), "vpc"), "vpc");
    // Accepted and type-checked but not modelled: enhanced_local_route, block_service_endpoint_states.
    f.typed("enhanced_local_route", "boolean").typed("block_service_endpoint_states", "string");
    const tags = createTags(f.array("tags"));
    const name = f.string("name", OPTIONAL_NAME_RULE) ?? "";
    const description = f.string("description", DESCRIPTION_RULE) ?? "";
    const cidr = f.string("cidr", { max: MAX_CIDR_LENGTH }) ?? "";
    if (cidr !== "") checkCidr(ctx, cidr);
    const enterpriseProjectId = f.string("enterprise_project_id") ?? "0";
    if (!ENTERPRISE_PROJECT.test(enterpriseProjectId)) {
        throw invalidInput(
            "v1",
            `vpc.enterprise_project_id must be "0" or a UUID, not ${JSON.stringify(enterpriseProjectId)}`,
        );
    }
    checkNameFree(ctx, name);
    const quota = ctx.settings.quotas.vpcsPerProject;
    ensure(ctx.store.countVpcs(project.id) < quota, () => Errors.vpcOverQuota(quota));
    const row = {
        id: randomUUID(),
        region: regionOf(ctx),
        project_id: project.id,
        name,
        description,
        cidr,
        enterprise_project_id: enterpriseProjectId,
        ready_at: ctx.now + ctx.settings.vpcReadyDelayMs,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    ctx.store.insertVpc(row);
    ctx.store.putVpcTags(row.id, tags);
    return { status: 200, body: { vpc: renderVpcV1(ctx.store.vpc(row.id, ctx.now)!) } };
}

/** `GET /v1/{project_id}/vpcs/{vpc_id}` → 200 `{"vpc": {...}}`. */
export function showVpc(ctx: HandlerContext): Reply {
    return { status: 200, body: { vpc: renderVpcV1(ownVpc(ctx, ctx.params.vpc_id!)) } };
}

/** `GET /v1/{project_id}/vpcs?limit&marker&id&enterprise_project_id` → 200 `{"vpcs": [...]}`. */
export function listVpcs(ctx: HandlerContext): Reply {
    const project = projectOf(ctx);
    const paging = parsePaging(ctx);
    if (paging.marker !== undefined) {
        const m = ctx.store.vpc(paging.marker, ctx.now);
        if (!m || m.project_id !== project.id)
            throw invalidInput("v1", `marker ${paging.marker} is not a VPC of this project`);
    }
    const page = ctx.store.listVpcs(
        project.id,
        { id: singleQuery(ctx, "id"), enterprise_project_id: singleQuery(ctx, "enterprise_project_id") },
        paging,
        ctx.now,
    );
    const body: Record<string, unknown> = { vpcs: page.rows.map(renderVpcV1) };
    // emulator-defined: vpcs_links (as Neutron does) only when the page is truncated.
    if (page.truncated) body.vpcs_links = [nextLink(ctx, paging.limit, page.rows[page.rows.length - 1]!.id)];
    return { status: 200, body };
}

/** `PUT /v1/{project_id}/vpcs/{vpc_id}` with `{"vpc": {name?, description?, cidr?}}` → 200 `{"vpc": {...}}`. */
export function updateVpc(ctx: HandlerContext): Reply {
    const vpc = ownVpc(ctx, ctx.params.vpc_id!);
    const f = new Fields("v1", wrapped(ctx, parseJsonBody(ctx), "vpc"), "vpc");
    f.typed("routes", "array").typed("enhanced_local_route", "boolean").typed("enable_shared_snat", "boolean");
    const name = f.string("name", OPTIONAL_NAME_RULE) ?? vpc.name;
    const description = f.string("description", DESCRIPTION_RULE) ?? vpc.description;
    const cidr = f.string("cidr", { max: MAX_CIDR_LENGTH }) ?? vpc.cidr;
    if (cidr !== vpc.cidr) {
        if (cidr === "") throw invalidInput("v1", "vpc.cidr cannot be emptied");
        checkCidr(ctx, cidr);
        // `route-overlaps-own-vpc` of the routes the VPC already has, against its new CIDR.
        const clashing = ctx.store
            .routesOfVpc(vpc.id)
            .filter((r) => overlapsOwnVpc(r.destination, cidr))
            .map((r) => r.destination);
        if (clashing.length > 0) throw Errors.vpcCidrConflictsRoutes(cidr, clashing);
    }
    if (name !== vpc.name) checkNameFree(ctx, name, vpc.id);
    ctx.store.updateVpc(vpc.id, { name, description, cidr, updated_at: ctx.now });
    return { status: 200, body: { vpc: renderVpcV1(ctx.store.vpc(vpc.id, ctx.now)!) } };
}

/** `DELETE /v1/{project_id}/vpcs/{vpc_id}` → 204; 409 while CREATING or while routes or peerings use it. */
export function deleteVpc(ctx: HandlerContext): Reply {
    const vpc = ownVpc(ctx, ctx.params.vpc_id!);
    ensure(vpc.status !== "CREATING", () => Errors.vpcBusy(vpc.id));
    const routes = ctx.store.countRoutesOfVpc(vpc.id);
    ensure(routes === 0, () => Errors.vpcHasRoutes(vpc.id, routes));
    const peerings = ctx.store.peeringIdsOfVpc(vpc.id);
    ensure(peerings.length === 0, () => Errors.vpcHasPeerings(vpc.id, peerings));
    ctx.store.deleteVpc(vpc.id);
    return { status: 204 };
}

/** `GET /v3/{project_id}/vpc/vpcs/{vpc_id}` → 200 `{"request_id", "vpc": {...}}` (v3 shape, read-only). */
export function showVpcV3(ctx: HandlerContext): Reply {
    const v = ownVpc(ctx, ctx.params.vpc_id!, true);
    const routes = ctx.store.countRoutesOfVpc(v.id);
    return {
        status: 200,
        body: {
            request_id: ctx.requestId,
            vpc: {
                id: v.id,
                name: v.name,
                description: v.description,
                cidr: v.cidr,
                extend_cidrs: [],
                status: v.status === "OK" ? "ACTIVE" : "PENDING",
                project_id: v.project_id,
                enterprise_project_id: v.enterprise_project_id,
                created_at: formatTime(v.created_at),
                updated_at: formatTime(Math.max(v.updated_at, v.status === "OK" ? v.ready_at : 0)),
                cloud_resources: [
                    { resource_type: "routetable", resource_count: 1 },
                    { resource_type: "virsubnet", resource_count: 0 },
                    { resource_type: "route", resource_count: routes },
                ],
                tags: ctx.store.vpcTags(v.id),
            },
        },
    };
}

/** The v1 create's `tags`: `"key*value"` strings, at most {@link MAX_TAGS_AT_CREATE}. */
function createTags(raw: unknown[] | undefined): Array<{ key: string; value: string }> {
    if (raw === undefined) return [];
    if (raw.length > MAX_TAGS_AT_CREATE) {
        throw Errors.invalidTag(`vpc.tags has ${raw.length} entries; at most ${MAX_TAGS_AT_CREATE} at create`);
    }
    const out = new Map<string, string>();
    for (const t of raw) {
        if (typeof t !== "string" || !t.includes("*")) {
            throw Errors.invalidTag(`vpc.tags entries are "key*value" strings, not ${JSON.stringify(t)}`);
        }
        const [key, value] = [t.slice(0, t.indexOf("*")), t.slice(t.indexOf("*") + 1)];
        const problem = describeTagProblem(key, value);
        if (problem) throw Errors.invalidTag(problem);
        if (out.has(key)) throw Errors.invalidTag(`tag key "${key}" is given twice`);
        out.set(key, value);
    }
    return [...out].map(([key, value]) => ({ key, value }));
}

/** `GET /v2.0/{project_id}/vpcs/{vpc_id}/tags` → 200 `{"tags": [{key, value}]}`. */
export function listVpcTags(ctx: HandlerContext): Reply {
    const vpc = ownVpc(ctx, ctx.params.vpc_id!);
    return { status: 200, body: { tags: ctx.store.vpcTags(vpc.id) } };
}

/**
 * `POST /v2.0/{project_id}/vpcs/{vpc_id}/tags/action` with `{"action": "create"|"delete", "tags": [{key, value}]}`
 * → 204 (emulator choice; the reference allows 200 or 204). At most 20 tags a call and on a VPC; `create` sets
 * values of existing keys; `delete` ignores keys the VPC does not have.
 */
export function vpcTagsAction(ctx: HandlerContext): Reply {
    const vpc = ownVpc(ctx, ctx.params.vpc_id!);
    const body = parseJsonBody(ctx);
    const f = new Fields("v1", body, "request").onlyKeys(["action", "tags"]);
    const action = f.string("action", { required: true });
    if (action !== "create" && action !== "delete") {
        throw Errors.invalidTag(`action must be "create" or "delete", not ${JSON.stringify(action)}`);
    }
    const raw = f.array("tags") ?? [];
    if (raw.length === 0 || raw.length > MAX_TAGS_PER_VPC) {
        throw Errors.invalidTag(`tags must list 1 to ${MAX_TAGS_PER_VPC} tags, not ${raw.length}`);
    }
    const tags = raw.map((t) => {
        if (!t || typeof t !== "object" || Array.isArray(t)) {
            throw Errors.invalidTag(`each tag is an object {key, value}, not ${JSON.stringify(t)}`);
        }
        const { key, value } = t as { key?: unknown; value?: unknown };
        const problem = describeTagProblem(key, value ?? "");
        if (problem) throw Errors.invalidTag(problem);
        return { key: key as string, value: (value as string | undefined) ?? "" };
    });
    if (action === "delete") {
        ctx.store.deleteVpcTags(
            vpc.id,
            tags.map((t) => t.key),
        );
        return { status: 204 };
    }
    const keys = new Set([...ctx.store.vpcTags(vpc.id).map((t) => t.key), ...tags.map((t) => t.key)]);
    if (keys.size > MAX_TAGS_PER_VPC) {
        throw Errors.invalidTag(`a VPC holds at most ${MAX_TAGS_PER_VPC} tags; this would make ${keys.size}`);
    }
    ctx.store.putVpcTags(vpc.id, tags);
    return { status: 204 };
}

/** `GET /v1/{project_id}/quotas?type=vpc|vpcPeer` → 200 `{"quotas": {"resources": [...]}}`. */
export function showQuotas(ctx: HandlerContext): Reply {
    const project = projectOf(ctx);
    const type = singleQuery(ctx, "type");
    const all = [
        {
            type: "vpc",
            used: ctx.store.countVpcs(project.id),
            quota: ctx.settings.quotas.vpcsPerProject,
            min: 0,
        },
        {
            type: "vpcPeer",
            used: ctx.store.countPeeringsForQuota(project.id, ctx.now),
            quota: ctx.settings.quotas.peeringsPerProject,
            min: 0,
        },
    ];
    return { status: 200, body: { quotas: { resources: type ? all.filter((r) => r.type === type) : all } } };
}
