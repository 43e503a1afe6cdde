// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The Route resource: a route of type `peering` (v2.0 routes API) in one VPC, to a destination through a peering.
//   create waits for the peering to be ACTIVE (it warns at once while it is pending; an ACTIVE status that the
//   peering's create or accept, or another of its routes, read in this operation is reused, lookups.ts), then adds
//   the route and waits until it is readable. Every input is a replacement (the API has no route update);
//   deleteBeforeReplace when the VPC and destination stay the same (destinations are unique per route table).
//   read reports the route gone when it was removed, or when its peering is gone (the API purges the routes of a
//   deleted peering), so the next `up` recreates it.

import { ApiClient, TERMINAL_PEERING_STATUSES } from "../client/client";
import { ConflictError, ValidationError } from "../client/errors";
import { PeeringDto, RouteDto } from "../client/types";
import { WaitTimeoutError, waitUntil } from "../client/waiters";
import { pollIntervalMs } from "../config";
import { PeeringFacts, RouteFacts, VpcFacts, checkRoute, checkRouteTable } from "../../core/rules";
import { checksDisabled, lookupPeering, lookupRoutes, lookupVpc, sharedPeeringStatus } from "./lookups";
import {
    CheckFailure,
    PeeringFactsInput,
    ResourceInitError,
    VpcFactsInput,
    checkAccount,
    checkBoolean,
    checkId,
    checkRegion,
    dropUndefined,
    getOrGone,
    isUnknown,
    knownString,
    fillUnknown,
    peeringFacts,
    vpcFacts,
    warn,
} from "./common";
import { CommonInputs, RuleFacts, defineResource, outputsOf, resourceLabel } from "./define";

/** {@link RouteInputs} are the Route resource's inputs as the provider sees them. */
export interface RouteInputs extends CommonInputs {
    /** The VPC whose route table gets the route. */
    vpcId: string;
    /** The destination CIDR (normally the peer VPC's CIDR or a block inside it). */
    destination: string;
    /** The peering used as next hop. */
    peeringConnectionId: string;
    /** The VPC's region. */
    region: string;
    /** The VPC's account profile. */
    account: string;
    /** Facts about the VPC, for the preview checks only. */
    vpc?: VpcFactsInput;
    /** Facts about the peering, for the preview checks only. */
    peering?: PeeringFactsInput;
    /** At create: adopt an existing route of this VPC for this destination through the same peering. */
    adopt?: boolean;
}

/** {@link RouteOutputs} are the inputs plus what the API computed. */
export interface RouteOutputs extends RouteInputs {
    /** Always `peering`. */
    type: string;
    /** The project id owning the route. */
    projectId?: string;
}

const label = resourceLabel("Route", "destination");

function outputsFrom(inputs: RouteInputs, r: RouteDto, projectId?: string): RouteOutputs {
    return outputsOf(inputs, { type: r.type ?? "peering", projectId: r.tenant_id ?? projectId });
}

/** {@link routeProvider} implements the Route resource. */
export const routeProvider = defineResource<RouteInputs, RouteOutputs, "route">({
    kind: "Route",
    label,
    noun: "route",
    inputs: ["vpcId", "destination", "peeringConnectionId", "region", "account", "vpc", "peering", "adopt"],
    // The API has no route update: every input of the route itself replaces it.
    replaceOnChange: ["vpcId", "destination", "peeringConnectionId", "region", "account"],
    updateInPlace: ["adopt"],
    checkOnly: ["vpc", "peering"],
    // Destinations are unique per route table: a replacement to the same destination of the same VPC goes first.
    deleteBeforeReplaceWhenSame: ["vpcId", "destination", "region", "account"],
    trim: ["vpcId", "destination", "peeringConnectionId", "region", "account"],
    validate: {
        vpcId: (v, p) => checkId(v, p, "the VPC id (vpc or vpcId)"),
        peeringConnectionId: (v, p) => checkId(v, p, "the peering id (peeringConnection or peeringConnectionId)"),
        destination: (v, p) => checkId(v, p, 'the destination CIDR (e.g. "10.1.0.0/16")'),
        region: checkRegion,
        account: checkAccount,
        adopt: checkBoolean,
    },
    rules: {
        facts: "route",
        check: checkRoute,
        propertyMap: { peeringConnection: "peeringConnectionId", vpc: "vpcId" },
        subjectName: (inputs) =>
            knownString(inputs.__resourceName) ?? `route to ${knownString(inputs.destination) ?? "?"}`,
        complete: routeRuleFacts,
    },

    async create(inputs, ctx) {
        const client = ctx.client();
        await waitForActivePeering(client, inputs);
        let route: RouteDto | undefined;
        if (inputs.adopt === true) {
            route = await client.findRoute(inputs.vpcId, inputs.destination);
            if (route && route.nexthop !== inputs.peeringConnectionId) {
                throw new Error(
                    `cannot adopt the route to ${inputs.destination} in VPC ${inputs.vpcId}: its next hop is ${route.nexthop} ` +
                        `(type ${route.type}), not peering ${inputs.peeringConnectionId}; delete it or route another destination`,
                );
            }
        }
        if (route === undefined) {
            try {
                route = await client.createRoute({
                    type: "peering",
                    nexthop: inputs.peeringConnectionId,
                    destination: inputs.destination,
                    vpc_id: inputs.vpcId,
                });
            } catch (e) {
                if (e instanceof ValidationError || e instanceof ConflictError) {
                    const existing = await client.findRoute(inputs.vpcId, inputs.destination).catch(() => undefined);
                    if (existing) {
                        e.message +=
                            ` VPC ${inputs.vpcId} already has a route to ${inputs.destination} (id ${existing.id}, next hop ` +
                            `${existing.nexthop})` +
                            (existing.nexthop === inputs.peeringConnectionId
                                ? ": set adopt: true to manage it."
                                : ": destinations are unique per route table; delete it or route another destination.");
                    }
                }
                throw e;
            }
        }
        const id = route.id;
        try {
            // The create answer is the route: read it back only when the answer did not carry it.
            route = await waitUntil({
                what: `route ${id} to become readable`,
                initial: route.destination !== undefined ? route : undefined,
                poll: () => client.getRoute(id),
                done: () => true,
                deadline: client.deadline,
                intervalMs: pollIntervalMs(),
                tolerateNotFound: true,
            });
        } catch (e) {
            throw new ResourceInitError(`route ${id} was created but cannot be read: ${(e as Error).message}`, id, {
                ...outputsFrom(inputs, route, client.projectId),
            });
        }
        return { id, outs: outputsFrom(inputs, route, client.projectId) };
    },

    async read(id, pr, { client, region, account }) {
        const found = await getOrGone(() => client.getRoute(id));
        if (found === undefined) return undefined;
        // One read: deleting a peering deletes its routes (huawei-vpc-api.md §1.8), and a route can only be
        // made through an ACTIVE peering, which never turns REJECTED or EXPIRED; so a route that still exists
        // has a live peering, and one whose peering is gone reads 404 above.
        const r: RouteDto = found;
        return outputsFrom(
            {
                ...(pr as RouteInputs),
                vpcId: r.vpc_id,
                destination: r.destination,
                peeringConnectionId: r.nexthop,
                region,
                account,
            },
            r,
            client.projectId,
        );
    },

    async update(_id, olds, news) {
        // Only provider-side settings (timeouts, suppressRules, adopt) can change in place; the route is untouched.
        return outputsOf(news, { type: olds.type ?? "peering", projectId: olds.projectId });
    },

    async delete(id, _props, ctx) {
        await ctx.client().deleteRoute(id);
    },
});

/**
 * {@link routeRuleFacts} completes the program's facts about a route (`given`) from its inputs and, when credentials
 * allow, read-only lookups; the route-table rules join the routes already in its VPC's table (for a new route).
 */
async function routeRuleFacts(
    inputs: RouteInputs,
    ctx: {
        readonly olds: Partial<RouteInputs>;
        readonly name: string;
        readonly given: RouteFacts | undefined;
        readonly failures: readonly CheckFailure[];
    },
): Promise<RuleFacts<RouteFacts>> {
    const { olds, name, given, failures } = ctx;
    // The program's facts, filled from the inputs (ids of what exists, the region and account given).
    const start = fillUnknown(given, {
        name,
        vpc: vpcFacts(inputs.vpc, "route VPC", {
            id: knownString(inputs.vpcId),
            region: knownString(inputs.vpc?.region) ?? knownString(inputs.region),
            account: knownString(inputs.vpc?.account) ?? knownString(inputs.account),
        }),
        destination: typeof inputs.destination === "string" ? knownString(inputs.destination) : undefined,
        peering: peeringFacts(inputs.peering, "peering", knownString(inputs.peeringConnectionId)),
    });
    let vpc = start.vpc;
    const destination = start.destination;
    let peering: PeeringFacts = start.peering;
    let existing: Array<{ name: string; destination: string }> = [];
    const isNew = olds.vpcId === undefined || isUnknown(olds.vpcId);
    if (failures.length === 0 && !checksDisabled() && vpc.id && vpc.account && vpc.region) {
        // Read-only lookups when credentials allow: the VPC's CIDR when it is referenced by id, and the routes
        // already in its route table (for a new route), so conflicts show at preview rather than at apply.
        const peeringId = knownString(inputs.peeringConnectionId);
        const sidesUnknown = peering.requester.id === undefined && peering.accepter.id === undefined;
        const [found, routes, p] = await Promise.all([
            vpc.cidr === undefined ? lookupVpc(vpc.account, vpc.region, vpc.id) : Promise.resolve(undefined),
            isNew && inputs.adopt !== true ? lookupRoutes(vpc.account, vpc.region, vpc.id) : Promise.resolve(undefined),
            // A peering given only by id: read its two sides (and the peer's CIDR when it is visible).
            peeringId && sidesUnknown ? lookupPeering(vpc.account, vpc.region, peeringId) : Promise.resolve(undefined),
        ]);
        if (found && "found" in found && found.found.cidr) vpc = { ...vpc, cidr: found.found.cidr };
        if (p) {
            const side = async (id: string, other: VpcFacts): Promise<VpcFacts> => {
                if (id === vpc.id) return vpc;
                const seen = await lookupVpc(vpc.account!, vpc.region!, id);
                return {
                    ...other,
                    name: `vpc ${id}`,
                    id,
                    cidr: seen && "found" in seen ? seen.found.cidr || undefined : undefined,
                };
            };
            peering = {
                ...peering,
                requester: await side(p.request_vpc_info.vpc_id, peering.requester),
                accepter: await side(p.accept_vpc_info.vpc_id, peering.accepter),
            };
        }
        existing = (routes ?? []).map((r) => ({
            name: `route ${r.id} to ${r.destination} (already in the API)`,
            destination: r.destination,
        }));
    }
    const route: RouteFacts = dropUndefined({ name, vpc, destination, peering });
    const outcome = checkRoute(route);
    if (existing.length > 0 && destination !== undefined) {
        const table = checkRouteTable(vpc, [{ name, destination }, ...existing]);
        outcome.violations.push(
            ...table.violations.filter(
                (v) =>
                    v.rule === "route-quota" || (v.rule === "route-destination-conflict" && v.resources.includes(name)),
            ),
        );
    }
    return { facts: route, completed: outcome };
}

/** Waits until the route's peering is ACTIVE: warns at once while it is pending, fails at once when it is gone. */
async function waitForActivePeering(client: ApiClient, inputs: RouteInputs): Promise<PeeringDto> {
    const id = inputs.peeringConnectionId;
    let warned = false;
    try {
        return await waitUntil({
            what: `peering ${id} to become ACTIVE`,
            poll: () => sharedPeeringStatus(inputs.account, inputs.region, id, () => client.getPeering(id)),
            done: (p) => {
                if (p.status === "PENDING_ACCEPTANCE" && !warned) {
                    warned = true;
                    warn(
                        `${label(inputs)}: waiting for peering ${id} to be accepted (PENDING_ACCEPTANCE) before adding the ` +
                            "route; pass the PeeringAccepter as peeringConnection so the route is created after it",
                    );
                }
                return p.status === "ACTIVE";
            },
            failed: (p) =>
                TERMINAL_PEERING_STATUSES.includes(p.status)
                    ? `peering ${id} is ${p.status}: a route needs an ACTIVE peering; the requester must create a new one`
                    : undefined,
            describe: (p) => `status ${p.status}`,
            deadline: client.deadline,
            intervalMs: pollIntervalMs(),
            tolerateNotFound: true,
        });
    } catch (e) {
        if (e instanceof WaitTimeoutError) {
            const last = e.last as PeeringDto | undefined;
            if (last === undefined) {
                throw new Error(
                    `peering ${id} is not visible to account '${inputs.account}' in ${inputs.region}: check peeringConnectionId ` +
                        "and that the route's VPC is one of the peering's VPCs",
                );
            }
            throw new Error(
                `peering ${id} is still ${last.status}: a route needs an ACTIVE peering. Accept it with a PeeringAccepter ` +
                    "in the accepter's account and pass that accepter as peeringConnection, or raise timeouts.create",
            );
        }
        throw e;
    }
}
