// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Program-wide registry of declared peering resources, used for the graph-wide preview checks
// (owned by the constraints work; the resource classes call into it). Placeholder until then.

import * as pulumi from "@pulumi/pulumi";

/** {@link DeclarationKind} names the resource kinds the graph checks know about. */
export type DeclarationKind = "Vpc" | "PeeringConnection" | "PeeringAccepter" | "Route";

/**
 * {@link recordDeclaration} records a resource declared by the program, with its (unresolved) args, for the
 * graph-wide checks. It returns a value to pass as the resource's `__graphCheck` input (or `undefined`).
 */
export function recordDeclaration(
    _kind: DeclarationKind,
    _name: string,
    _args: unknown,
    _resource: pulumi.Resource,
): pulumi.Input<string> | undefined {
    return undefined;
}
