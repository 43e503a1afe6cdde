// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The accepter family: only the accepter side's account accepts a peering.

import type { AccepterFacts, CheckOutcome } from "./facts";
import { deferred, empty, q, violation } from "./outcome";

/** {@link checkAccepter} applies `accepter-wrong-account`: the accepter must run as the peering's accepter side. */
export function checkAccepter(a: AccepterFacts): CheckOutcome {
    const side = a.peering.accepter;
    if (a.account === undefined || side.account === undefined) {
        if (side.account === undefined && a.peering.accepter.projectId === undefined) return empty();
        if (a.account === undefined)
            return {
                violations: [],
                deferred: [
                    deferred("accepter-wrong-account", [a.name], "the accepter's account is not known until apply"),
                ],
            };
        return empty();
    }
    if (a.account === side.account) return empty();
    return {
        violations: [
            violation(
                "accepter-wrong-account",
                [a.name, a.peering.name],
                "account",
                `PeeringAccepter ${q(a.name)}: runs in account ${q(a.account)}, but peering ${q(a.peering.name)} is addressed to VPC ${q(side.name)} of account ${q(side.account)}`,
                `set account: ${q(side.account)} on the accepter`,
            ),
        ],
        deferred: [],
    };
}
