// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Legacy VPC route API v2.0 (`/v2.0/vpc/routes`, reference §2.1): `type` = `peering` only, no update.
// A project sees and changes only the routes of its own VPCs.

import { randomUUID } from "node:crypto";
import { canonicalCidrText, MAX_CIDR_LENGTH } from "../../core/cidr";
import {
    Fields,
    HandlerContext,
    nextLink,
    parseJsonBody,
    parsePaging,
    projectOf,
    regionOf,
    Reply,
    singleQuery,
    wrapped,
} from "../context";
import { Errors, invalidInput } from "../errors";
import { checkRouteCandidate } from "../routeRules";
import type { RouteRow } from "../store";

/** {@link renderRoute} is the `route` object. */
export function renderRoute(r: RouteRow): Record<string, unknown> {
    return {
        id: r.id,
        destination: r.destination,
        nexthop: r.nexthop,
        type: r.type,
        vpc_id: r.vpc_id,
        tenant_id: r.project_id,
    };
}

function ownRoute(ctx: HandlerContext, id: string): RouteRow {
    const r = ctx.store.route(id);
    if (!r || r.project_id !== projectOf(ctx).id || r.region !== regionOf(ctx)) throw Errors.routeNotFound(id);
    return r;
}

/** `POST /v2.0/vpc/routes` with `{"route": {type, nexthop, destination, vpc_id, tenant_id?}}` → 201 wrapped. */
export function createRoute(ctx: HandlerContext): Reply {
    const project = projectOf(ctx).id;
    const region = regionOf(ctx);
    const f = new Fields("neutron", wrapped(ctx, parseJsonBody(ctx), "route"), "route").onlyKeys([
        "type",
        "nexthop",
        "destination",
        "vpc_id",
        "tenant_id",
    ]);
    const type = f.string("type", { required: true });
    const nexthop = f.string("nexthop", { required: true, min: 1, max: 64 });
    const destination = f.string("destination", { required: true, max: MAX_CIDR_LENGTH });
    const vpcId = f.string("vpc_id", { required: true, min: 1, max: 64 });
    const tenant = f.string("tenant_id", { max: 64 });
    if (type !== "peering") {
        throw invalidInput(
            "neutron",
            `route.type must be "peering" (the only type this API supports), not ${JSON.stringify(type)}`,
        );
    }
    if (tenant !== undefined && tenant !== "" && tenant !== project) throw Errors.foreignTenant("route.tenant_id");
    const vpc = ctx.store.vpc(vpcId, ctx.now);
    if (!vpc || vpc.project_id !== project || vpc.region !== region) {
        throw invalidInput("neutron", `route.vpc_id ${vpcId} is not a VPC of this project in ${region}`);
    }
    const peering = ctx.store.peering(nexthop, ctx.now);
    if (
        !peering ||
        peering.region !== region ||
        (peering.request_project_id !== project && peering.accept_project_id !== project)
    ) {
        throw invalidInput("neutron", `route.nexthop ${nexthop} is not a VPC peering of this project in ${region}`);
    }
    const refusal = checkRouteCandidate({
        vpc,
        destination,
        peering,
        routes: ctx.store.routesOfVpc(vpc.id),
        maxRoutesPerVpc: ctx.settings.quotas.routesPerVpc,
    });
    if (refusal) throw refusal;
    const row: RouteRow = {
        id: randomUUID(),
        region,
        project_id: project,
        vpc_id: vpc.id,
        type,
        destination,
        nexthop,
        created_at: ctx.now,
    };
    ctx.store.insertRoute(row);
    return { status: 201, body: { route: renderRoute(row) } };
}

/** `GET /v2.0/vpc/routes/{route_id}` → 200 `{"route": {...}}`. */
export function showRoute(ctx: HandlerContext): Reply {
    return { status: 200, body: { route: renderRoute(ownRoute(ctx, ctx.params.route_id!)) } };
}

/** `GET /v2.0/vpc/routes` with filters `id`, `vpc_id`, `destination`, `type`, `tenant_id`, paged by id. */
export function listRoutes(ctx: HandlerContext): Reply {
    const project = projectOf(ctx).id;
    const paging = parsePaging(ctx);
    if (paging.marker !== undefined) {
        const m = ctx.store.route(paging.marker);
        if (!m || m.project_id !== project)
            throw invalidInput("neutron", `marker ${paging.marker} is not a route of this project`);
    }
    const page = ctx.store.listRoutes(
        project,
        regionOf(ctx),
        {
            id: singleQuery(ctx, "id"),
            vpc_id: singleQuery(ctx, "vpc_id"),
            destination: destinationFilter(ctx),
            type: singleQuery(ctx, "type"),
            tenant_id: singleQuery(ctx, "tenant_id"),
        },
        paging,
    );
    const body: Record<string, unknown> = { routes: page.rows.map(renderRoute) };
    if (page.truncated) body.routes_links = [nextLink(ctx, paging.limit, page.rows[page.rows.length - 1]!.id)];
    return { status: 200, body };
}

/** The `destination` filter as the canonical text of its block (`192.0.0.0/08` finds `192.0.0.0/8`). */
function destinationFilter(ctx: HandlerContext): string | undefined {
    const raw = singleQuery(ctx, "destination");
    if (raw === undefined) return undefined;
    const canonical = canonicalCidrText(raw);
    if (canonical === undefined) {
        throw invalidInput(
            "neutron",
            `query parameter destination ${JSON.stringify(raw.slice(0, 40))} is not an IPv4 CIDR block`,
        );
    }
    return canonical;
}

/** `DELETE /v2.0/vpc/routes/{route_id}` → 204. */
export function deleteRoute(ctx: HandlerContext): Reply {
    const r = ownRoute(ctx, ctx.params.route_id!);
    ctx.store.deleteRoute(r.id);
    return { status: 204 };
}
