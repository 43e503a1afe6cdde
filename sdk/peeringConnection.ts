// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import * as pulumi from "@pulumi/pulumi";

import { declare, factsInput } from "./graph";
import { omitUnset, refuseImport, resourceTimeouts } from "./options";
import { providerFor } from "./providers/shim";
import { isVpcRef, RuleSuppression, Timeouts, Vpc, VpcRef } from "./vpc";

/**
 * {@link peeringConnectionProvider} is the one shared provider object for every {@link PeeringConnection}. It holds no state and loads the
 * provider code at call time; installed under node_modules, `__provider` in the state records only
 * `require("pulumi-vpc-peering/provider/peeringConnection")` (see sdk/providers/shim.ts).
 */
export const peeringConnectionProvider: pulumi.dynamic.ResourceProvider = providerFor("peeringConnection");

/** The optional inputs of a {@link PeeringConnection} that are not sent when unset (not outputs of the class). */
const UNSET_OMITTED = ["adopt", "adoptId", "timeouts", "suppressRules"];

/**
 * {@link VpcFacts} is what a resource knows about a VPC for the preview checks (CIDR overlap, same region, which
 * account). Values may be unknown during a preview; the checks then say they are deferred.
 */
export interface VpcFacts {
    /** The Pulumi resource name of the VPC, when it is declared in this program. */
    name?: string;
    /** The VPC id. */
    id?: string;
    /** The VPC's CIDR block. */
    cidr?: string;
    /** The VPC's region. */
    region?: string;
    /** The VPC's account profile. */
    account?: string;
    /** The project id owning the VPC. */
    projectId?: string;
}

/** {@link PeeringConnectionArgs} are the arguments of a {@link PeeringConnection}. */
export interface PeeringConnectionArgs {
    /**
     * The requester ("local") VPC: declared in this program, or a {@link VpcRef} (id and facts) for one outside it.
     * Give this or `requesterVpcId`.
     * @default none
     */
    requesterVpc?: Vpc | VpcRef;
    /**
     * The accepter ("peer") VPC: declared in this program (any account), or a {@link VpcRef} (id and facts, e.g.
     * from a StackReference) for one outside it. Give this or `accepterVpcId`.
     * @default none
     */
    accepterVpc?: Vpc | VpcRef;
    /**
     * The requester VPC's id, for a VPC outside this program.
     * @default `requesterVpc.id`
     */
    requesterVpcId?: pulumi.Input<string>;
    /**
     * The accepter VPC's id, for a VPC outside this program.
     * @default `accepterVpc.id`
     */
    accepterVpcId?: pulumi.Input<string>;
    /**
     * The accepter's **project** id in this region (32 hex characters; not its account/domain id), needed when the
     * accepter VPC belongs to another account. Changing it replaces the peering.
     * @default `accepterVpc.projectId` when `accepterVpc` is in another account than the requester; else none
     *   (same account)
     */
    peerProjectId?: pulumi.Input<string>;
    /**
     * The region of both VPCs (a peering joins VPCs of one region).
     * @default `requesterVpc.region`
     */
    region?: pulumi.Input<string>;
    /**
     * The requester's account profile; the peering is created with it.
     * @default `requesterVpc.account`
     */
    account?: pulumi.Input<string>;
    /**
     * The accepter's account profile, when the accepter VPC is given by id (used only by the preview checks).
     * @default `accepterVpc.account`
     */
    peerAccount?: pulumi.Input<string>;
    /**
     * The peering's name in the API (1–64 letters, digits, `_`, `-`, `.`).
     * @default auto-named: the Pulumi resource name plus a random suffix, kept in the state (`app-3f9a1c2`)
     */
    name?: pulumi.Input<string>;
    /**
     * A description.
     * @default none
     */
    description?: pulumi.Input<string>;
    /**
     * Adopt a live peering between the same two VPCs (same direction) instead of failing on the duplicate. Only used
     * at create; the adopted peering is then managed (and deleted on destroy) like any other.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
    /**
     * Adopt the peering with this id (its VPCs must match) instead of creating one. Only used at create.
     * @default none
     */
    adoptId?: pulumi.Input<string>;
    /**
     * Per-operation timeouts.
     * @default 10 minutes each (or the stack's `vpcpeering:timeouts`)
     */
    timeouts?: pulumi.Input<Timeouts>;
    /**
     * Preview rules to waive for this resource, each with a reason (e.g. `peering-cidr-overlap`).
     * @default none
     */
    suppressRules?: pulumi.Input<pulumi.Input<RuleSuppression>[]>;
}

/** {@link PeeringConnectionState} is what {@link PeeringConnection.get} needs to find an existing peering. */
export interface PeeringConnectionState {
    /** The peering's region. */
    region: pulumi.Input<string>;
    /** An account profile that can see it (requester or accepter). */
    account: pulumi.Input<string>;
}

/**
 * {@link PeeringConnection} is the requester side of a VPC peering. Within one account it becomes `ACTIVE` at once;
 * across accounts it stays `PENDING_ACCEPTANCE` until the peer accepts it (see {@link PeeringAccepter}), and
 * `expiresAt` says until when.
 *
 * ```ts
 * const ab = new PeeringConnection("ab", { requesterVpc: a, accepterVpc: b });
 * ```
 */
export class PeeringConnection extends pulumi.dynamic.Resource {
    /** The peering's name in the API. */
    declare readonly name: pulumi.Output<string>;
    /** The description, if any. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** The region. */
    declare readonly region: pulumi.Output<string>;
    /** @internal Facts for the preview checks of routes and accepters through this peering. */
    readonly peeringFacts: pulumi.Inputs | undefined;
    /** The requester's account profile. */
    declare readonly account: pulumi.Output<string>;
    /** The requester VPC id. */
    declare readonly requesterVpcId: pulumi.Output<string>;
    /** The accepter VPC id. */
    declare readonly accepterVpcId: pulumi.Output<string>;
    /** The peer project id as given (undefined for a same-account peering). */
    declare readonly peerProjectId: pulumi.Output<string | undefined>;
    /**
     * Facts about the requester VPC for the provider's checks: its project id, plus any fact the program's checks
     * could not resolve (the others travel once, in the checks payload; its id is `requesterVpcId`).
     */
    declare readonly requester: pulumi.Output<Partial<VpcFacts> | undefined>;
    /** Facts about the accepter VPC for the provider's checks, likewise (its id is `accepterVpcId`). */
    declare readonly accepter: pulumi.Output<Partial<VpcFacts> | undefined>;
    /** `ACTIVE` or `PENDING_ACCEPTANCE`. */
    declare readonly status: pulumi.Output<string>;
    /** While `PENDING_ACCEPTANCE`: when the request expires (ISO 8601; created + 7 days unless the API says). */
    declare readonly expiresAt: pulumi.Output<string | undefined>;
    /** When the peering was created (ISO 8601). */
    declare readonly createdAt: pulumi.Output<string | undefined>;
    /** The requester's project id as the API reports it. */
    declare readonly requesterProjectId: pulumi.Output<string | undefined>;
    /** The accepter's project id as the API reports it. */
    declare readonly accepterProjectId: pulumi.Output<string | undefined>;

    /** The Pulumi resource name (used by the preview checks to name this peering in messages). */
    readonly resourceName: string;

    /**
     * Reads an existing peering into the program (read-only; `pulumi import` does not work for dynamic resources).
     * To manage an existing peering instead, declare it with `adoptId` (or `adopt: true`).
     */
    static get(
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state: PeeringConnectionState,
        opts?: pulumi.CustomResourceOptions,
    ): PeeringConnection {
        return new PeeringConnection(name, { region: state.region, account: state.account }, { ...opts, id });
    }

    /**
     * Creates (requests) a VPC peering.
     *
     * @param name the Pulumi resource name; the API name (plus a random suffix) unless `args.name` is given
     * @param args the peering's arguments
     * @param opts resource options
     */
    constructor(name: string, args: PeeringConnectionArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("PeeringConnection", name, opts);
        const isGet = opts?.id !== undefined;
        const aRef = isVpcRef(args.requesterVpc) ? args.requesterVpc : undefined;
        const bRef = isVpcRef(args.accepterVpc) ? args.accepterVpc : undefined;
        const a = aRef ? undefined : (args.requesterVpc as Vpc | undefined);
        const b = bRef ? undefined : (args.accepterVpc as Vpc | undefined);
        const requesterVpcId = args.requesterVpcId ?? aRef?.id;
        const accepterVpcId = args.accepterVpcId ?? bRef?.id;
        if (!isGet) {
            if (!a && requesterVpcId === undefined) {
                throw new Error(`PeeringConnection '${name}': give requesterVpc (a Vpc) or requesterVpcId`);
            }
            if (!b && accepterVpcId === undefined) {
                throw new Error(`PeeringConnection '${name}': give accepterVpc (a Vpc) or accepterVpcId`);
            }
            if (!a && ((args.region ?? aRef?.region) === undefined || (args.account ?? aRef?.account) === undefined)) {
                throw new Error(`PeeringConnection '${name}': with requesterVpcId, also give region and account`);
            }
        }
        const account = args.account ?? a?.account ?? aRef?.account;
        const region = args.region ?? a?.region ?? aRef?.region;
        let peerProjectId: pulumi.Input<string> | undefined = args.peerProjectId;
        if (peerProjectId === undefined && b !== undefined && !isGet) {
            // Only a cross-account peering names the peer project; within one account the API needs none.
            peerProjectId = pulumi
                .all([account, b.account, b.projectId])
                .apply(([ra, ba, pid]) => (ra === ba ? (undefined as unknown as string) : pid));
        }
        const requester: pulumi.Inputs = a
            ? {
                  name: a.resourceName,
                  id: a.id,
                  cidr: a.cidr,
                  region: a.region,
                  account: a.account,
                  projectId: a.projectId,
              }
            : { id: requesterVpcId, cidr: aRef?.cidr, region, account, projectId: aRef?.projectId };
        const accepter: pulumi.Inputs = b
            ? {
                  name: b.resourceName,
                  id: b.id,
                  cidr: b.cidr,
                  region: b.region,
                  account: b.account,
                  projectId: b.projectId,
              }
            : {
                  id: accepterVpcId,
                  cidr: bRef?.cidr,
                  region: bRef?.region,
                  account: bRef?.account ?? args.peerAccount,
                  projectId: bRef?.projectId ?? args.peerProjectId,
              };
        const graph = isGet ? undefined : declare("PeeringConnection", name, args);
        const props: Record<string, unknown> = {
            name: isGet ? undefined : args.name,
            description: args.description,
            region,
            account,
            requesterVpcId: requesterVpcId ?? a?.id,
            accepterVpcId: accepterVpcId ?? b?.id,
            peerProjectId,
            // The facts the program's checks already send in `__checks` are left out (see factsInput).
            requester: isGet ? undefined : factsInput(graph, requester, (f) => f?.peering?.requester),
            accepter: isGet ? undefined : factsInput(graph, accepter, (f) => f?.peering?.accepter),
            adopt: args.adopt,
            adoptId: args.adoptId,
            timeouts: resourceTimeouts(args.timeouts, opts),
            suppressRules: args.suppressRules,
            __resourceName: name,
            __checks: graph?.checks,
            status: undefined,
            expiresAt: undefined,
            createdAt: undefined,
            requesterProjectId: undefined,
            accepterProjectId: undefined,
        };
        super(peeringConnectionProvider, name, omitUnset(props, UNSET_OMITTED), opts, "peering", "PeeringConnection");
        this.resourceName = name;
        // Facts for the Route and PeeringAccepter checks, built from the args rather than from this resource's
        // `requester`/`accepter` outputs: during a preview those outputs are unknown as a whole (they hold the new
        // VPC ids), while the args keep each known field (names, CIDRs, regions, accounts) known.
        this.peeringFacts = isGet
            ? undefined
            : { name, id: this.id, requester, accepter, peerProjectId: peerProjectId ?? undefined };
        graph?.attach(this);
    }
}
