// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The route table: every API the server answers, with its error family and what authentication it needs.
// Regional routes live under `/<region>`; IAM routes answer both at the root and under `/<region>`.

import type { HandlerContext, Reply } from "./context";
import type { ErrorFamily } from "./errors";
import * as iam from "./handlers/iam";
import * as peerings from "./handlers/peerings";
import * as routes from "./handlers/routes";
import * as vpcs from "./handlers/vpcs";

/** {@link AuthNeed} is what a route requires: a project in the region, any authenticated caller, or nothing. */
export type AuthNeed = "project" | "account" | "none";

/** {@link RouteDef} is one API: method, path template, family, auth and handler. */
export interface RouteDef {
    readonly method: string;
    /** A template such as `/v2.0/vpc/peerings/{peering_id}/accept` (relative to the region prefix). */
    readonly template: string;
    readonly family: ErrorFamily;
    readonly auth: AuthNeed;
    /** True for routes that also answer without a region prefix (IAM). */
    readonly global?: boolean;
    readonly handler: (ctx: HandlerContext) => Reply;
}

const R = (
    method: string,
    template: string,
    family: ErrorFamily,
    auth: AuthNeed,
    handler: (ctx: HandlerContext) => Reply,
    global = false,
): RouteDef => ({ method, template, family, auth, handler, global });

/** {@link ROUTES} lists every API the server answers. */
export const ROUTES: readonly RouteDef[] = [
    // VPC v1 (reference §3.1)
    R("POST", "/v1/{project_id}/vpcs", "v1", "project", vpcs.createVpc),
    R("GET", "/v1/{project_id}/vpcs", "v1", "project", vpcs.listVpcs),
    R("GET", "/v1/{project_id}/vpcs/{vpc_id}", "v1", "project", vpcs.showVpc),
    R("PUT", "/v1/{project_id}/vpcs/{vpc_id}", "v1", "project", vpcs.updateVpc),
    R("DELETE", "/v1/{project_id}/vpcs/{vpc_id}", "v1", "project", vpcs.deleteVpc),
    R("GET", "/v1/{project_id}/quotas", "v1", "project", vpcs.showQuotas),
    // VPC v3 show and v2.0 tags read (reference §3.3)
    R("GET", "/v3/{project_id}/vpc/vpcs/{vpc_id}", "v3", "project", vpcs.showVpcV3),
    R("GET", "/v2.0/{project_id}/vpcs/{vpc_id}/tags", "v1", "project", vpcs.listVpcTags),
    R("POST", "/v2.0/{project_id}/vpcs/{vpc_id}/tags/action", "v1", "project", vpcs.vpcTagsAction),
    // Peerings v2.0 (reference §1.3)
    R("POST", "/v2.0/vpc/peerings", "neutron", "project", peerings.createPeering),
    R("GET", "/v2.0/vpc/peerings", "neutron", "project", peerings.listPeerings),
    R("GET", "/v2.0/vpc/peerings/{peering_id}", "neutron", "project", peerings.showPeering),
    R("PUT", "/v2.0/vpc/peerings/{peering_id}", "neutron", "project", peerings.updatePeering),
    R("PUT", "/v2.0/vpc/peerings/{peering_id}/accept", "neutron", "project", peerings.acceptPeering),
    R("PUT", "/v2.0/vpc/peerings/{peering_id}/reject", "neutron", "project", peerings.rejectPeering),
    R("DELETE", "/v2.0/vpc/peerings/{peering_id}", "neutron", "project", peerings.deletePeering),
    // Routes v2.0 (reference §2.1)
    R("POST", "/v2.0/vpc/routes", "neutron", "project", routes.createRoute),
    R("GET", "/v2.0/vpc/routes", "neutron", "project", routes.listRoutes),
    R("GET", "/v2.0/vpc/routes/{route_id}", "neutron", "project", routes.showRoute),
    R("DELETE", "/v2.0/vpc/routes/{route_id}", "neutron", "project", routes.deleteRoute),
    // IAM (reference §4.1–4.2)
    R("POST", "/v3/auth/tokens", "gateway", "none", iam.issueToken, true),
    R("GET", "/v3/projects", "gateway", "account", iam.listProjects, true),
    R("GET", "/v3/auth/projects", "gateway", "account", iam.listProjects, true),
    R("GET", "/v3/auth/domains", "gateway", "account", iam.listDomains, true),
    R("GET", "/v3/regions", "gateway", "account", iam.listRegions, true),
];

interface Compiled {
    readonly def: RouteDef;
    readonly parts: readonly string[];
}

const COMPILED: readonly Compiled[] = ROUTES.map((def) => ({ def, parts: def.template.split("/").slice(1) }));

/** {@link RouteMatch} is a matched route with its decoded path parameters. */
export interface RouteMatch {
    readonly def: RouteDef;
    readonly params: Record<string, string>;
}

/**
 * {@link matchRoute} finds the route for `method` and decoded path `segments` (after the region prefix, if
 * any). Parameters match one non-empty segment. Literal segments win over parameters (`/v3/auth/...` is never
 * a `{project_id}`), so routes are tried literal-first by specificity.
 */
export function matchRoute(method: string, segments: readonly string[], regional: boolean): RouteMatch | undefined {
    let best: { match: RouteMatch; literals: number } | undefined;
    for (const { def, parts } of COMPILED) {
        if (def.method !== method || parts.length !== segments.length) continue;
        if (!regional && !def.global) continue;
        const params: Record<string, string> = {};
        let literals = 0;
        let ok = true;
        for (let i = 0; i < parts.length; i++) {
            const part = parts[i]!;
            const seg = segments[i]!;
            if (part.startsWith("{")) {
                if (seg === "") {
                    ok = false;
                    break;
                }
                params[part.slice(1, -1)] = seg;
            } else if (part === seg) {
                literals++;
            } else {
                ok = false;
                break;
            }
        }
        if (ok && (!best || literals > best.literals)) best = { match: { def, params }, literals };
    }
    return best?.match;
}
