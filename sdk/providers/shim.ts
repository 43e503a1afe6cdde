// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The provider objects the resources pass to Pulumi. Each kind's object is the whole `module.exports` of its own
// module (./vpc.ts, ./peeringConnection.ts, ...), because that is what Pulumi's closure serializer can store by
// name: for an object that is a module's exports under node_modules it writes `require("<package export>")`, so a
// user's state holds `require("pulumi-vpc-peering/provider/vpc")` (~250 bytes) in `__provider` instead of the
// serialized methods (~2.6 KB, in the inputs and the outputs of every resource; the engine rewrites the whole state
// after every step). Where Node sees the module outside node_modules (this repository's self-link resolves to the
// real path), the serializer falls back to the methods by value; each loads the provider code at call time with
// `require("pulumi-vpc-peering/provider")`, so both forms work in the dynamic provider host.

import type * as pulumi from "@pulumi/pulumi";

/** {@link ProviderExport} names a resource kind's provider among the exports of `pulumi-vpc-peering/provider`. */
export type ProviderExport = "vpcProvider" | "peeringConnectionProvider" | "peeringAccepterProvider" | "routeProvider";

/**
 * {@link providerShim} returns a stateless provider object whose methods load the provider code at call time and
 * call the kind's provider named `kind`.
 */
export function providerShim(kind: ProviderExport): Required<pulumi.dynamic.ResourceProvider> {
    const code = () => require("pulumi-vpc-peering/provider");
    return {
        configure: async (req) => code().configure(req),
        check: async (olds, news) => code()[kind].check(olds, news),
        diff: async (id, olds, news) => code()[kind].diff(id, olds, news),
        create: async (inputs) => code()[kind].create(inputs),
        read: async (id, props) => code()[kind].read(id, props),
        update: async (id, olds, news) => code()[kind].update(id, olds, news),
        delete: async (id, props) => code()[kind].delete(id, props),
    };
}
