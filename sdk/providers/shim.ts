// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The provider objects the resources pass to Pulumi. Each kind's object is the whole `module.exports` of its own
// module (./vpc.ts, ./peeringConnection.ts, ...), because that is what Pulumi's closure serializer can store by
// name: for an object that is a module's exports under node_modules it writes `require("<package export>")`, so a
// user's state holds `require("pulumi-vpc-peering/provider/vpc")` (~250 bytes) in `__provider` instead of the
// serialized methods (~2.6 KB, in the inputs and the outputs of every resource; the engine rewrites the whole state
// after every step). Where Node sees the module outside node_modules (this repository's self-link resolves to the
// real path), the serializer falls back to the methods by value; each loads the provider code at call time with
// `require("pulumi-vpc-peering/provider")`, so both forms work in the dynamic provider host. {@link providerFor}
// also takes the by-value form when the short one would not load (see {@link storableByName}).

import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** {@link ProviderModule} names a kind's module in this folder, exported as `pulumi-vpc-peering/provider/<kind>`. */
export type ProviderModule = "vpc" | "peeringConnection" | "peeringAccepter" | "route";

/**
 * {@link providerFor} returns the provider object a resource of `kind` passes to Pulumi: the module's exports when
 * Pulumi can store them by name (or stores them by value anyway), else a plain copy, which it stores by value.
 */
export function providerFor(kind: ProviderModule): pulumi.dynamic.ResourceProvider {
    const file = require.resolve(`./${kind}`);
    const exported: pulumi.dynamic.ResourceProvider = require(file);
    return storableByName(file, `pulumi-vpc-peering/provider/${kind}`) ? exported : { ...exported };
}

/**
 * {@link storableByName} tells whether `require(exportName)` of what Pulumi would write for the module `file` loads
 * that module in the provider host. Pulumi writes a require() only for a file whose real path is under
 * node_modules (relative to the program's folder, the working directory), naming the export it finds in the
 * package.json that `pulumi-vpc-peering` resolves to from `@pulumi/pulumi`; the host resolves it from the program's
 * folder. Both must be this package: not so e.g. for a copy that `@pulumi/pulumi` does not see.
 */
export function storableByName(file: string, exportName: string, cwd = process.cwd()): boolean {
    try {
        const real = fs.realpathSync(file);
        if (!path.relative(cwd, real).split(path.sep).includes("node_modules")) return true; // by value
        // Resolved as from those folders (createRequire: not as this package resolving itself by name).
        const fromProgram = createRequire(path.join(cwd, "program.js"));
        if (fs.realpathSync(fromProgram.resolve(exportName)) !== real) return false;
        const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
        const seenByPulumi = fromPulumi.resolve("pulumi-vpc-peering/package.json");
        return (
            fs.realpathSync(seenByPulumi) === fs.realpathSync(fromProgram.resolve("pulumi-vpc-peering/package.json"))
        );
    } catch {
        return false;
    }
}

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
