// The floor of bench/floorMesh.bench.ts: Vpc, PeeringConnection and Route with the constructor shapes of
// pulumi-vpc-peering, as no-op dynamic resources whose provider's only method is `create` returning its inputs.
// Each takes the same Outputs of the same resources as the real class, so the engine sees the same dependency
// edges; what remains is the engine's own cost (registration, checkpoints, the dynamic provider host).
import * as pulumi from "@pulumi/pulumi";

const noop: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: require("node:crypto").randomUUID(), outs: inputs };
    },
};

export class Vpc extends pulumi.dynamic.Resource {
    declare readonly cidr: pulumi.Output<string>;
    constructor(name: string, args: { cidr: string; region: string; account: string }) {
        super(noop, name, { ...args, name }, {}, "floor", "Vpc");
    }
}

export class PeeringConnection extends pulumi.dynamic.Resource {
    constructor(name: string, args: { requesterVpc: Vpc; accepterVpc: Vpc }) {
        super(
            noop,
            name,
            { requesterVpcId: args.requesterVpc.id, accepterVpcId: args.accepterVpc.id, name },
            {},
            "floor",
            "PeeringConnection",
        );
    }
}

export class Route extends pulumi.dynamic.Resource {
    constructor(
        name: string,
        args: { vpc: Vpc; destination: pulumi.Input<string>; peeringConnection: PeeringConnection },
    ) {
        super(
            noop,
            name,
            { vpcId: args.vpc.id, destination: args.destination, peeringConnectionId: args.peeringConnection.id },
            {},
            "floor",
            "Route",
        );
    }
}
