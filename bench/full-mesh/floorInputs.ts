// The "floor + inputs" of bench/floorMesh.bench.ts: the floor's no-op dynamic resources (./floor.ts) registering the
// properties this project's resources register in the full mesh — the same keys (the unset optional ones and the
// output-only ones too), value shapes, `__checks` text and dependency edges, outputs with the same keys — so
// `floor + inputs ÷ floor` is what Pulumi itself charges for those properties and `project ÷ floor + inputs` is
// what our code adds (checks, the program-wide gate, the providers' work, the API). The shapes are written out here;
// the benchmark compares their key paths with the project's state after `up` and reports any difference.
import * as pulumi from "@pulumi/pulumi";

interface Facts {
    name: string;
    cidr: string;
    region: string;
    account: string;
}

// The providers: no-op modules that auto-name and answer with outputs keyed like ours (./floor-inputs-providers),
// installed as a package like this project's so that `__provider` is a short require() like ours; in the linked
// layout, by path (then Pulumi stores them by value).
const providerOf = (kind: string): pulumi.dynamic.ResourceProvider => {
    try {
        return require(`bench-floor-inputs-providers/${kind}`);
    } catch {
        return require(`./floor-inputs-providers/${kind}.js`);
    }
};
const [vpcProvider, peeringProvider, routeProvider] = ["vpc", "peering", "route"].map(providerOf);

// BENCH_INPUTS_DROP=<group,...> leaves groups of those properties out, to measure what each costs (the shape check
// then reports the difference): `unset` (the properties registered without a value: optional inputs not given,
// output-only properties), `checks` (`__checks`), `nested` (the facts inputs: a Route's `peering`, a peering's
// `requester`/`accepter`), `region-account`, `resource-name` (`__resourceName`).
const DROP = new Set((process.env.BENCH_INPUTS_DROP ?? "").split(","));
const GROUPS: Record<string, (key: string, value: unknown) => boolean> = {
    unset: (_k, v) => v === undefined,
    checks: (k) => k === "__checks",
    nested: (k) => k === "peering" || k === "requester" || k === "accepter",
    "region-account": (k) => k === "region" || k === "account",
    "resource-name": (k) => k === "__resourceName",
};
const unknownGroup = [...DROP].find((g) => g !== "" && !(g in GROUPS));
if (unknownGroup)
    throw new Error(`BENCH_INPUTS_DROP: unknown group ${unknownGroup} (${Object.keys(GROUPS).join(", ")})`);

/** The properties without the dropped groups. */
function kept(props: Record<string, unknown>): Record<string, unknown> {
    const dropped = (k: string, v: unknown) => [...DROP].some((g) => GROUPS[g]?.(k, v));
    return Object.fromEntries(Object.entries(props).filter(([k, v]) => !dropped(k, v)));
}

const checks = (facts: object) => JSON.stringify({ version: 1, facts });

export class Vpc extends pulumi.dynamic.Resource {
    declare readonly cidr: pulumi.Output<string>;
    declare readonly region: pulumi.Output<string>;
    declare readonly account: pulumi.Output<string>;
    declare readonly projectId: pulumi.Output<string>;
    readonly facts: Facts;
    constructor(name: string, args: { cidr: string; region: string; account: string }) {
        const facts = { name, cidr: args.cidr, region: args.region, account: args.account };
        const props = {
            ...{ name: undefined, ...args, description: undefined, tags: undefined },
            ...{ __resourceName: name, __checks: checks({ vpc: facts }) },
            ...{ projectId: undefined, status: undefined, createdAt: undefined },
        };
        super(vpcProvider, name, kept(props), {}, "floor", "Vpc");
        this.facts = facts;
    }
}

export class PeeringConnection extends pulumi.dynamic.Resource {
    readonly facts: { name: string; requester: Facts; accepter: Facts };
    readonly vpcs: [Vpc, Vpc];
    constructor(name: string, args: { requesterVpc: Vpc; accepterVpc: Vpc }) {
        const [a, b] = [args.requesterVpc, args.accepterVpc];
        const facts = { name, requester: a.facts, accepter: b.facts };
        const props = {
            ...{ name: undefined, description: undefined, region: a.region, account: a.account },
            ...{ requesterVpcId: a.id, accepterVpcId: b.id, peerProjectId: undefined },
            ...{ requester: { projectId: a.projectId }, accepter: { projectId: b.projectId } },
            ...{ __resourceName: name, __checks: checks({ peering: facts }) },
            ...{ status: undefined, expiresAt: undefined, createdAt: undefined },
            ...{ requesterProjectId: undefined, accepterProjectId: undefined },
        };
        super(peeringProvider, name, kept(props), {}, "floor", "PeeringConnection");
        this.facts = facts;
        this.vpcs = [a, b];
    }
}

export class Route extends pulumi.dynamic.Resource {
    constructor(
        name: string,
        args: { vpc: Vpc; destination: pulumi.Input<string>; peeringConnection: PeeringConnection },
    ) {
        const [v, p] = [args.vpc, args.peeringConnection];
        const [requester, accepter] = p.vpcs;
        const peering = { requester: { id: requester.id }, accepter: { id: accepter.id } };
        const facts = { name, vpc: v.facts, destination: (v === requester ? accepter : requester).facts.cidr };
        const props = {
            ...{ vpcId: v.id, destination: args.destination, peeringConnectionId: p.id },
            ...{ region: v.region, account: v.account, vpc: undefined, peering },
            ...{ __resourceName: name, __checks: checks({ route: { ...facts, peering: p.facts } }) },
            ...{ type: undefined, projectId: undefined },
        };
        super(routeProvider, name, kept(props), {}, "floor", "Route");
    }
}
