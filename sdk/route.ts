// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import * as pulumi from "@pulumi/pulumi";

import { declare, factsInput, FactsPolicy } from "./graph";
import { omitUnset, refuseImport, resourceTimeouts } from "./options";
import { providerFor } from "./providers/shim";
import { PeeringAccepter, PeeringFacts } from "./peeringAccepter";
import { PeeringConnection, VpcFacts } from "./peeringConnection";
import { isVpcRef, RuleSuppression, Timeouts, Vpc, VpcRef } from "./vpc";

/**
 * {@link routeProvider} is the one shared provider object for every {@link Route}. It holds no state and loads the
 * provider code at call time; installed under node_modules, `__provider` in the state records only
 * `require("pulumi-vpc-peering/provider/route")` (see sdk/providers/shim.ts).
 */
export const routeProvider: pulumi.dynamic.ResourceProvider = providerFor("route");

/**
 * What a Route's `vpc` and `peering` facts inputs keep of the facts `__checks` already sends: the ids of the
 * peering's two VPCs (at apply the rules find the route's VPC among them by id); no route rule reads a project id.
 */
const ROUTE_FACTS: FactsPolicy = { keep: new Set(["id"]), unread: new Set(["projectId"]) };

/** The optional inputs of a {@link Route} that are not sent when unset (not outputs of the class). */
const UNSET_OMITTED = ["adopt", "timeouts", "suppressRules"];

/** {@link RouteArgs} are the arguments of a {@link Route}. */
export interface RouteArgs {
    /** The destination CIDR: normally the peer VPC's CIDR, or a block inside it. */
    destination: pulumi.Input<string>;
    /**
     * The VPC whose route table gets the route: declared in this program, or a {@link VpcRef} (id and facts) for one
     * outside it. Give this or `vpcId`.
     * @default none
     */
    vpc?: Vpc | VpcRef;
    /**
     * Facts of the VPC at the other end of the peering, when the peering is not declared in this program (given by
     * id, or a {@link PeeringAccepter} of a request from another stack): its id and CIDR let the preview check that
     * the destination lies inside it.
     * @default looked up read-only when the credentials allow, else the destination check is deferred
     */
    peerVpc?: VpcRef;
    /**
     * The id of the VPC whose route table gets the route.
     * @default `vpc.id`
     */
    vpcId?: pulumi.Input<string>;
    /**
     * The peering used as next hop: a {@link PeeringConnection}, or, across accounts, the {@link PeeringAccepter}
     * (then the route is created after the acceptance). Give this or `peeringConnectionId`.
     * @default none
     */
    peeringConnection?: PeeringConnection | PeeringAccepter;
    /**
     * The id of the peering used as next hop.
     * @default `peeringConnection.id`
     */
    peeringConnectionId?: pulumi.Input<string>;
    /**
     * The VPC's region.
     * @default `vpc.region`
     */
    region?: pulumi.Input<string>;
    /**
     * The account profile owning the VPC.
     * @default `vpc.account`
     */
    account?: pulumi.Input<string>;
    /**
     * Adopt an existing route of this VPC to `destination` through the same peering instead of failing on the
     * duplicate destination. Only used at create.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
    /**
     * Per-operation timeouts (create includes waiting for the peering to become `ACTIVE`).
     * @default 10 minutes each (or the stack's `vpcpeering:timeouts`)
     */
    timeouts?: pulumi.Input<Timeouts>;
    /**
     * Preview rules to waive for this resource, each with a reason (e.g. `route-outside-peer-vpc`).
     * @default none
     */
    suppressRules?: pulumi.Input<pulumi.Input<RuleSuppression>[]>;
}

/** {@link RouteState} is what {@link Route.get} needs to find an existing route. */
export interface RouteState {
    /** The route's region. */
    region: pulumi.Input<string>;
    /** The account profile owning the route's VPC. */
    account: pulumi.Input<string>;
}

/**
 * {@link Route} is a route of type `peering` in one VPC: traffic to `destination` goes through the peering. Every
 * argument change replaces it (the API has no route update).
 *
 * ```ts
 * new Route("a-to-b", { vpc: a, destination: "10.1.0.0/16", peeringConnection: ab });
 * ```
 */
export class Route extends pulumi.dynamic.Resource {
    /** The VPC id. */
    declare readonly vpcId: pulumi.Output<string>;
    /** The destination CIDR. */
    declare readonly destination: pulumi.Output<string>;
    /** The next-hop peering id. */
    declare readonly peeringConnectionId: pulumi.Output<string>;
    /** The region. */
    declare readonly region: pulumi.Output<string>;
    /** The account profile. */
    declare readonly account: pulumi.Output<string>;
    /**
     * Facts about the VPC for the provider's checks: any fact the program's checks could not resolve (the others
     * travel once, in the checks payload; its id is `vpcId`).
     */
    declare readonly vpc: pulumi.Output<Partial<VpcFacts> | undefined>;
    /**
     * Facts about the peering for the provider's checks, likewise: the ids of its two VPCs, plus what the program
     * could not resolve (its id is `peeringConnectionId`).
     */
    declare readonly peering: pulumi.Output<Partial<PeeringFacts> | undefined>;
    /** Always `peering`. */
    declare readonly type: pulumi.Output<string>;
    /** The project id owning the route. */
    declare readonly projectId: pulumi.Output<string | undefined>;

    /** The Pulumi resource name. */
    readonly resourceName: string;

    /** Reads an existing route into the program (read-only). */
    static get(
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state: RouteState,
        opts?: pulumi.CustomResourceOptions,
    ): Route {
        return new Route(name, { region: state.region, account: state.account } as RouteArgs, { ...opts, id });
    }

    /**
     * Adds a route through a peering.
     *
     * @param name the Pulumi resource name
     * @param args the route's arguments
     * @param opts resource options
     */
    constructor(name: string, args: RouteArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("Route", name, opts);
        const isGet = opts?.id !== undefined;
        const vRef = isVpcRef(args.vpc) ? args.vpc : undefined;
        const v = vRef ? undefined : (args.vpc as Vpc | undefined);
        const vpcId = args.vpcId ?? vRef?.id;
        const pc = args.peeringConnection;
        if (!isGet) {
            if (!v && vpcId === undefined) throw new Error(`Route '${name}': give vpc (a Vpc) or vpcId`);
            if (!v && ((args.region ?? vRef?.region) === undefined || (args.account ?? vRef?.account) === undefined)) {
                throw new Error(`Route '${name}': with vpcId, also give region and account`);
            }
            if (!pc && args.peeringConnectionId === undefined) {
                throw new Error(`Route '${name}': give peeringConnection or peeringConnectionId`);
            }
        }
        let peeringId: pulumi.Input<string> | undefined = args.peeringConnectionId;
        let peering: pulumi.Inputs | pulumi.Output<PeeringFacts | undefined> | undefined;
        if (pc instanceof PeeringAccepter) {
            peeringId ??= pc.peeringConnectionId;
            peering = pc.peeringFacts ?? pc.peering;
        } else if (pc instanceof PeeringConnection) {
            peeringId ??= pc.id;
            peering = pc.peeringFacts;
        }
        const vpc: pulumi.Inputs | undefined = v
            ? {
                  name: v.resourceName,
                  id: v.id,
                  cidr: v.cidr,
                  region: v.region,
                  account: v.account,
              }
            : vRef
              ? {
                    id: vpcId,
                    cidr: vRef.cidr,
                    region: args.region ?? vRef.region,
                    account: args.account ?? vRef.account,
                }
              : undefined;
        if (
            args.peerVpc !== undefined &&
            (peering === undefined || (pc instanceof PeeringAccepter && !pc.peeringFacts))
        ) {
            // The peering's far side comes from the program: the route's own VPC and the given peer.
            const p = args.peerVpc;
            peering = {
                id: peeringId,
                requester: { id: vpcId ?? v?.id, cidr: vRef?.cidr ?? v?.cidr },
                accepter: { id: p.id, cidr: p.cidr, region: p.region, account: p.account, projectId: p.projectId },
            };
        }
        const graph = isGet ? undefined : declare("Route", name, args);
        const props: Record<string, unknown> = {
            vpcId: vpcId ?? v?.id,
            destination: args.destination,
            peeringConnectionId: isGet ? undefined : peeringId,
            region: args.region ?? v?.region ?? vRef?.region,
            account: args.account ?? v?.account ?? vRef?.account,
            // The facts the program's checks already send in `__checks` are left out (see factsInput).
            vpc: isGet ? undefined : factsInput(graph, vpc, (f) => f?.route?.vpc, ROUTE_FACTS),
            peering: isGet ? undefined : factsInput(graph, peering, (f) => f?.route?.peering, ROUTE_FACTS),
            adopt: args.adopt,
            timeouts: resourceTimeouts(args.timeouts, opts),
            suppressRules: args.suppressRules,
            __resourceName: name,
            __checks: graph?.checks,
            type: undefined,
            projectId: undefined,
        };
        super(routeProvider, name, omitUnset(props, UNSET_OMITTED), opts, "peering", "Route");
        this.resourceName = name;
        graph?.attach(this);
    }
}
