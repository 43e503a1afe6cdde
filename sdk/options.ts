// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Pulumi resource options that a dynamic provider never sees, handled where the SDK still has them: in the
// constructor. `customTimeouts` becomes the resource's own `timeouts` (same duration grammar); `import` cannot
// work for a dynamic resource (the engine reads the object without the provider's code and fails with a bare
// "code must be a string"), so it is refused here with the alternatives.

import * as pulumi from "@pulumi/pulumi";

import type { Timeouts } from "./vpc";

/**
 * {@link resourceTimeouts} returns the resource's `timeouts`: its `timeouts` argument, with each operation it leaves
 * out taken from `opts.customTimeouts` (`{ create: "20m" }` works as on any Pulumi resource).
 */
export function resourceTimeouts(
    timeouts: pulumi.Input<Timeouts> | undefined,
    opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Input<Timeouts> | undefined {
    const custom = opts?.customTimeouts;
    if (!custom || (custom.create === undefined && custom.update === undefined && custom.delete === undefined)) {
        return timeouts;
    }
    const fromCustom: Timeouts = {};
    for (const op of ["create", "update", "delete"] as const) if (custom[op] !== undefined) fromCustom[op] = custom[op];
    if (timeouts === undefined) return fromCustom;
    return pulumi.output(timeouts).apply((t) => ({ ...fromCustom, ...t }));
}

/**
 * {@link omitUnset} removes from `props` the inputs named in `optional` that are `undefined`, and returns `props`.
 * Every property of a resource costs the program an Output (with a captured stack trace) whether or not it has a
 * value, and an `undefined` input is never sent to the engine anyway; only for inputs that are not also outputs
 * declared on the class (those must exist as Outputs).
 */
export function omitUnset(props: Record<string, unknown>, optional: readonly string[]): Record<string, unknown> {
    for (const key of optional) if (props[key] === undefined) delete props[key];
    return props;
}

const ADOPT_HINT: Readonly<Record<string, string>> = {
    Vpc: 'declare it with adoptId: "<vpc id>" (or adopt: true, which finds it by name)',
    PeeringConnection: 'declare it with adoptId: "<peering id>" (or adopt: true, which finds it by VPC pair)',
    Route: "declare it with adopt: true (the route is found by destination)",
    PeeringAccepter: "declare the accepter as usual: it adopts a peering that is already ACTIVE",
};

/** {@link refuseImport} throws a clear error for `opts.import`, naming `adoptId` / `adopt` and `get` instead. */
export function refuseImport(kind: string, name: string, opts: pulumi.CustomResourceOptions | undefined): void {
    if (opts?.import === undefined) return;
    throw new Error(
        `${kind} '${name}': the import option does not work for dynamic resources (the engine would read the object ` +
            `without the provider's code). To take the existing object under management, ${ADOPT_HINT[kind]}; to ` +
            `only read it, use ${kind}.get(name, id, …).`,
    );
}
