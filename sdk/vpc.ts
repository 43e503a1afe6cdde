// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import * as pulumi from "@pulumi/pulumi";

import { declare } from "./graph";
import { omitUnset, refuseImport, resourceTimeouts } from "./options";
import { providerFor } from "./providers/shim";

/** {@link Timeouts} are per-operation timeouts of a resource, as durations such as `"90s"`, `"10m"` or `"1h"`. */
export interface Timeouts {
    /**
     * How long create may take, including waiting until the object is usable.
     * @default stack config `vpcpeering:timeouts`, else `VPCPEERING_TIMEOUT_CREATE` / `VPCPEERING_TIMEOUT`,
     *   else `"10m"`
     */
    create?: string;
    /**
     * How long an in-place update may take.
     * @default as `create`, with `update` keys
     */
    update?: string;
    /**
     * How long delete may take (a busy object is retried until then).
     * @default as `create`, with `delete` keys
     */
    delete?: string;
}

/** {@link RuleSuppression} waives one preview rule on one resource; it is shown as a warning with its reason. */
export interface RuleSuppression {
    /** The rule id, e.g. `"peering-cidr-overlap"` (it appears in brackets in every check message). */
    rule: string;
    /** Why the rule does not apply here; required. */
    reason: string;
}

/**
 * {@link VpcRef} gives a VPC outside this program (another stack, another account) by id, together with the facts
 * the preview checks need — typically StackReference outputs or config of the stack that owns it. The checks use
 * them exactly like a declared {@link Vpc}'s; a fact left out is looked up read-only when the credentials allow, and
 * otherwise the checks that need it are deferred, saying which fact to pass.
 *
 * ```ts
 * const bob = new pulumi.StackReference("org/payments-vpc/dev");
 * new PeeringConnection("shop-payments", {
 *     requesterVpc: shop,
 *     accepterVpc: { id: bob.requireOutput("vpcId"), cidr: bob.requireOutput("cidr"), account: "bob" },
 *     peerProjectId: bob.requireOutput("projectId"),
 * });
 * ```
 */
export interface VpcRef {
    /** The VPC id. */
    id: pulumi.Input<string>;
    /**
     * The VPC's CIDR block.
     * @default looked up read-only, else unknown (the CIDR rules are deferred)
     */
    cidr?: pulumi.Input<string>;
    /**
     * The VPC's region.
     * @default the region of the resource that references it
     */
    region?: pulumi.Input<string>;
    /**
     * The project id that owns the VPC.
     * @default unknown (for a peering: `peerProjectId`)
     */
    projectId?: pulumi.Input<string>;
    /**
     * The account profile that owns the VPC (a name only; its keys are never needed to reference it).
     * @default unknown (for a peering: `peerAccount`)
     */
    account?: pulumi.Input<string>;
}

/** {@link isVpcRef} tells a {@link VpcRef} from a declared {@link Vpc}. */
export function isVpcRef(x: Vpc | VpcRef | undefined): x is VpcRef {
    return x !== undefined && !(x instanceof Vpc);
}

/**
 * {@link vpcProvider} is the one shared provider object for every {@link Vpc}. It holds no state and loads the
 * provider code at call time; installed under node_modules, `__provider` in the state records only
 * `require("pulumi-vpc-peering/provider/vpc")` (see sdk/providers/shim.ts).
 */
export const vpcProvider: pulumi.dynamic.ResourceProvider = providerFor("vpc");

/** The optional inputs of a {@link Vpc} that are not sent when unset (not outputs of the class). */
const UNSET_OMITTED = ["adopt", "adoptId", "timeouts", "suppressRules"];

/** {@link VpcArgs} are the arguments of a {@link Vpc}. */
export interface VpcArgs {
    /** The VPC's IPv4 CIDR block, e.g. `"10.0.0.0/16"` (inside 10/8, 172.16/12 or 192.168/16, prefix ≤ /24). */
    cidr: pulumi.Input<string>;
    /** The region, e.g. `"ap-southeast-1"`. Changing it replaces the VPC. */
    region: pulumi.Input<string>;
    /** The account profile that owns the VPC (see "Accounts and configuration"). Changing it replaces the VPC. */
    account: pulumi.Input<string>;
    /**
     * The VPC's name in the API: 1–64 letters, digits, `_`, `-`, `.`; unique per project.
     * @default auto-named: the Pulumi resource name plus a random suffix, kept in the state (`app-3f9a1c2`)
     */
    name?: pulumi.Input<string>;
    /**
     * A description (≤ 255 characters, no `<` or `>`).
     * @default none
     */
    description?: pulumi.Input<string>;
    /**
     * Tags, key → value (at most 20; keys ≤ 128 and values ≤ 255 characters). Changed in place. Without it the VPC's
     * tags are not managed; with it the VPC has exactly these.
     * @default none (not managed)
     */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Adopt an existing VPC with this name (its CIDR must match) instead of failing on the duplicate name. Only used
     * when the resource is created; the adopted VPC is then managed (and deleted on destroy) like any other.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
    /**
     * Adopt the existing VPC with this id (its CIDR must match) instead of creating one. Only used at create.
     * @default none
     */
    adoptId?: pulumi.Input<string>;
    /**
     * Per-operation timeouts.
     * @default 10 minutes each (or the stack's `vpcpeering:timeouts`)
     */
    timeouts?: pulumi.Input<Timeouts>;
    /**
     * Preview rules to waive for this resource, each with a reason.
     * @default none
     */
    suppressRules?: pulumi.Input<pulumi.Input<RuleSuppression>[]>;
}

/** {@link VpcState} is what {@link Vpc.get} needs to find an existing VPC. */
export interface VpcState {
    /** The VPC's region. */
    region: pulumi.Input<string>;
    /** The account profile that can read it. */
    account: pulumi.Input<string>;
}

/**
 * {@link Vpc} is a virtual private cloud in one region of one account. It is created and waited for until `OK`.
 *
 * ```ts
 * const a = new Vpc("a", { cidr: "10.0.0.0/16", region: "ap-southeast-1", account: "alice" });
 * ```
 */
export class Vpc extends pulumi.dynamic.Resource {
    /** The VPC's name in the API. */
    declare readonly name: pulumi.Output<string>;
    /** The VPC's CIDR block. */
    declare readonly cidr: pulumi.Output<string>;
    /** The region. */
    declare readonly region: pulumi.Output<string>;
    /** The account profile. */
    declare readonly account: pulumi.Output<string>;
    /** The description, if any. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** The VPC's tags (as the API holds them after the last create, update or refresh). */
    declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
    /** The project id that owns the VPC (needed by a peer as `peerProjectId`; not a credential). */
    declare readonly projectId: pulumi.Output<string>;
    /** The API status; `OK` once created. */
    declare readonly status: pulumi.Output<string>;
    /** When the VPC was created (ISO 8601). */
    declare readonly createdAt: pulumi.Output<string | undefined>;

    /** The Pulumi resource name (used by the preview checks to name this VPC in messages). */
    readonly resourceName: string;

    /**
     * Reads an existing VPC into the program (read-only; `pulumi import` does not work for dynamic resources). To
     * manage an existing VPC instead, declare it with `adoptId` (or `adopt: true`).
     *
     * @param name the Pulumi resource name
     * @param id the VPC id
     * @param state the region and account to read it with
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state: VpcState, opts?: pulumi.CustomResourceOptions): Vpc {
        return new Vpc(name, state as unknown as VpcArgs, { ...opts, id });
    }

    /**
     * Creates a VPC.
     *
     * @param name the Pulumi resource name; the API name (plus a random suffix) unless `args.name` is given
     * @param args the VPC's arguments
     * @param opts resource options
     */
    constructor(name: string, args: VpcArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("Vpc", name, opts);
        const isGet = opts?.id !== undefined;
        const graph = isGet ? undefined : declare("Vpc", name, args);
        const props: Record<string, unknown> = {
            name: isGet ? undefined : args.name,
            cidr: args.cidr,
            region: args.region,
            account: args.account,
            description: args.description,
            tags: args.tags,
            adopt: args.adopt,
            adoptId: args.adoptId,
            timeouts: resourceTimeouts(args.timeouts, opts),
            suppressRules: args.suppressRules,
            __resourceName: name,
            __checks: graph?.checks,
            projectId: undefined,
            status: undefined,
            createdAt: undefined,
        };
        super(vpcProvider, name, omitUnset(props, UNSET_OMITTED), opts, "peering", "Vpc");
        this.resourceName = name;
        graph?.attach(this);
    }
}
