// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Pulumi's auto-naming convention for the API names of VPCs and peerings: without a `name` argument, the name is
// the resource name plus a random suffix (`shop-3f9a1c2`), generated once in `check` and then kept — `check` gets
// the old inputs from the state and reuses their name, so previews and updates are stable. On a replacement the
// engine calls `check` again without old inputs, so the replacement gets a fresh name and can be created before
// the old object is deleted (the API refuses two VPCs with one name in a project).

import { randomBytes } from "node:crypto";

/** {@link MAX_NAME_LENGTH} is the API's limit on VPC and peering names. */
export const MAX_NAME_LENGTH = 64;

const SUFFIX_LENGTH = 7;

/** {@link NamedInputs} are the inputs that auto-naming reads and writes. */
export interface NamedInputs {
    name?: string;
    /** The Pulumi resource name (set by the SDK). */
    __resourceName?: string;
    /** Internal: the name was generated (no `name` argument), so a replacement can take a fresh one. */
    __autoNamed?: boolean;
}

/** {@link generateName} is `resourceName` (made API-safe, shortened to fit) plus `-` and 7 random hex digits. */
export function generateName(resourceName: string): string {
    const suffix = randomBytes(4).toString("hex").slice(0, SUFFIX_LENGTH);
    const base = resourceName.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, MAX_NAME_LENGTH - SUFFIX_LENGTH - 1);
    return `${base || "resource"}-${suffix}`;
}

/**
 * {@link applyAutoName} fills `inputs.name` when the program gave none: the old name when there is one (stable
 * across previews and updates, and for stacks made before auto-naming, whose name was the resource name),
 * otherwise a new {@link generateName}. Marks such inputs `__autoNamed`; a given name clears the mark.
 */
export function applyAutoName<T extends NamedInputs>(inputs: T, olds: NamedInputs | undefined): T {
    if (inputs.name !== undefined) {
        delete inputs.__autoNamed;
        return inputs;
    }
    if (typeof inputs.__resourceName !== "string") return inputs;
    inputs.name = typeof olds?.name === "string" && olds.name !== "" ? olds.name : generateName(inputs.__resourceName);
    inputs.__autoNamed = true;
    return inputs;
}
