// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import * as pulumi from "@pulumi/pulumi";

import { declare, factsInput } from "./graph";
import { omitUnset, refuseImport, resourceTimeouts } from "./options";
import { providerFor } from "./providers/shim";
import { PeeringConnection, VpcFacts } from "./peeringConnection";
import { RuleSuppression, Timeouts } from "./vpc";

/**
 * {@link peeringAccepterProvider} is the one shared provider object for every {@link PeeringAccepter}. It holds no state and loads the
 * provider code at call time; installed under node_modules, `__provider` in the state records only
 * `require("pulumi-vpc-peering/provider/peeringAccepter")` (see sdk/providers/shim.ts).
 */
export const peeringAccepterProvider: pulumi.dynamic.ResourceProvider = providerFor("peeringAccepter");

/** The optional inputs of a {@link PeeringAccepter} that are not sent when unset (not outputs of the class). */
const UNSET_OMITTED = ["timeouts", "suppressRules"];

/** {@link PeeringFacts} is what a resource knows about a peering for the preview checks. */
export interface PeeringFacts {
    /** The Pulumi resource name of the peering, when it is declared in this program. */
    name?: string;
    /** The peering id. */
    id?: string;
    /** Facts about the requester VPC. */
    requester?: VpcFacts;
    /** Facts about the accepter VPC. */
    accepter?: VpcFacts;
    /** The peer project id. */
    peerProjectId?: string;
}

/** {@link PeeringAccepterArgs} are the arguments of a {@link PeeringAccepter}. */
export interface PeeringAccepterArgs {
    /** The accepter's account profile: the account that owns the accepter VPC. */
    account: pulumi.Input<string>;
    /**
     * The peering to accept, declared in this program. Give this or `peeringConnectionId`.
     * @default none
     */
    peeringConnection?: PeeringConnection;
    /**
     * The id of the peering to accept, e.g. from the requester's stack outputs.
     * @default `peeringConnection.id`
     */
    peeringConnectionId?: pulumi.Input<string>;
    /**
     * The peering's region.
     * @default `peeringConnection.region`
     */
    region?: pulumi.Input<string>;
    /**
     * Reject the request instead of accepting it. Only a pending request can be rejected.
     * @default false (accept)
     */
    reject?: pulumi.Input<boolean>;
    /**
     * Delete the peering when this resource is destroyed. By default destroying the accepter leaves the peering
     * (its requester owns it).
     * @default false
     */
    deleteOnDestroy?: pulumi.Input<boolean>;
    /**
     * Per-operation timeouts (create includes waiting until the request is visible to this account).
     * @default 10 minutes each (or the stack's `vpcpeering:timeouts`)
     */
    timeouts?: pulumi.Input<Timeouts>;
    /**
     * Preview rules to waive for this resource, each with a reason.
     * @default none
     */
    suppressRules?: pulumi.Input<pulumi.Input<RuleSuppression>[]>;
}

/** {@link PeeringAccepterState} is what {@link PeeringAccepter.get} needs to read a peering as the accepter. */
export interface PeeringAccepterState {
    /** The peering's region. */
    region: pulumi.Input<string>;
    /** The accepter's account profile. */
    account: pulumi.Input<string>;
}

/**
 * {@link PeeringAccepter} accepts (or, with `reject: true`, rejects) a cross-account peering request, using the
 * accepter's account. It waits until the request is visible to that account, adopts a peering that is already
 * `ACTIVE`, and on destroy leaves the peering unless `deleteOnDestroy` is set. Its id is the peering id.
 *
 * ```ts
 * const accept = new PeeringAccepter("ab", { peeringConnection: ab, account: "bob" });
 * ```
 */
export class PeeringAccepter extends pulumi.dynamic.Resource {
    /** The accepted peering's id. */
    declare readonly peeringConnectionId: pulumi.Output<string>;
    /** The accepter's account profile. */
    declare readonly account: pulumi.Output<string>;
    /** The region. */
    declare readonly region: pulumi.Output<string>;
    /** Whether this resource rejects instead of accepting. */
    declare readonly reject: pulumi.Output<boolean | undefined>;
    /** Whether destroying this resource deletes the peering. */
    declare readonly deleteOnDestroy: pulumi.Output<boolean | undefined>;
    /**
     * Facts about the peering for the provider's checks: its VPCs' ids and project ids, plus any fact the program's
     * checks could not resolve (the others travel once, in the checks payload; its id is `peeringConnectionId`).
     */
    declare readonly peering: pulumi.Output<Partial<PeeringFacts> | undefined>;
    /** `ACTIVE` (or `REJECTED` with `reject: true`). */
    declare readonly status: pulumi.Output<string>;
    /** The peering's name in the API. */
    declare readonly peeringName: pulumi.Output<string | undefined>;
    /** The requester VPC id. */
    declare readonly requesterVpcId: pulumi.Output<string | undefined>;
    /** The accepter VPC id. */
    declare readonly accepterVpcId: pulumi.Output<string | undefined>;
    /** The requester's project id. */
    declare readonly requesterProjectId: pulumi.Output<string | undefined>;
    /** The accepter's project id. */
    declare readonly accepterProjectId: pulumi.Output<string | undefined>;

    /** The Pulumi resource name. */
    readonly resourceName: string;
    /** @internal Facts about the accepted peering, for the preview checks of routes through it. */
    readonly peeringFacts: pulumi.Inputs | undefined;

    /** Reads a peering from the accepter's side into the program (read-only). */
    static get(
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state: PeeringAccepterState,
        opts?: pulumi.CustomResourceOptions,
    ): PeeringAccepter {
        return new PeeringAccepter(name, { region: state.region, account: state.account }, { ...opts, id });
    }

    /**
     * Accepts (or rejects) a peering request.
     *
     * @param name the Pulumi resource name
     * @param args the accepter's arguments
     * @param opts resource options
     */
    constructor(name: string, args: PeeringAccepterArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("PeeringAccepter", name, opts);
        const isGet = opts?.id !== undefined;
        const pc = args.peeringConnection;
        if (!isGet) {
            if (!pc && args.peeringConnectionId === undefined) {
                throw new Error(`PeeringAccepter '${name}': give peeringConnection or peeringConnectionId`);
            }
            if (!pc && args.region === undefined) {
                throw new Error(`PeeringAccepter '${name}': with peeringConnectionId, also give region`);
            }
        }
        const peering: pulumi.Inputs | undefined = pc?.peeringFacts;
        const graph = isGet ? undefined : declare("PeeringAccepter", name, args);
        const props: Record<string, unknown> = {
            peeringConnectionId: isGet ? undefined : (args.peeringConnectionId ?? pc?.id),
            account: args.account,
            region: args.region ?? pc?.region,
            reject: args.reject,
            deleteOnDestroy: args.deleteOnDestroy,
            // The facts the program's checks already send in `__checks` are left out (see factsInput).
            peering: factsInput(graph, peering, (f) => f?.accepter?.peering),
            timeouts: resourceTimeouts(args.timeouts, opts),
            suppressRules: args.suppressRules,
            __resourceName: name,
            __checks: graph?.checks,
            status: undefined,
            peeringName: undefined,
            requesterVpcId: undefined,
            accepterVpcId: undefined,
            requesterProjectId: undefined,
            accepterProjectId: undefined,
        };
        super(peeringAccepterProvider, name, omitUnset(props, UNSET_OMITTED), opts, "peering", "PeeringAccepter");
        this.resourceName = name;
        this.peeringFacts = peering;
        graph?.attach(this);
    }
}
