// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The CIDR family: a value must be an IPv4 network (`cidr-syntax`, `cidr-host-bits`), a VPC's CIDR must lie in a
// private block (`vpc-cidr-range`).

import {
    Cidr,
    cidrContains,
    DEFAULT_VPC_CIDR_POLICY,
    describeVpcCidrProblem,
    tryParseCidr,
    VpcCidrPolicy,
} from "../cidr";
import type { CheckOutcome, VpcFacts } from "./facts";
import type { RuleId } from "./registry";
import { empty, q, violation } from "./outcome";

/** {@link checkCidrValue} checks that a CIDR value (e.g. a route destination) is a valid IPv4 network. */
export function checkCidrValue(subject: string, property: string, value: string | undefined): CheckOutcome {
    if (value === undefined) return empty();
    const p = tryParseCidr(value);
    if (p) return empty();
    const problem = describeVpcCidrProblem(value);
    const rule: RuleId = problem?.kind === "cidr-host-bits" ? "cidr-host-bits" : "cidr-syntax";
    return {
        violations: [
            violation(
                rule,
                [subject],
                property,
                `${subject}: ${property} ${problem?.reason ?? value}`,
                problem?.fix ?? "use a.b.c.d/n",
            ),
        ],
        deferred: [],
    };
}

/** {@link checkVpc} applies the VPC CIDR rules (`cidr-syntax`, `cidr-host-bits`, `vpc-cidr-range`). */
export function checkVpc(vpc: VpcFacts, policy?: VpcCidrPolicy): CheckOutcome {
    if (vpc.cidr === undefined) return empty();
    const problem = describeVpcCidrProblem(vpc.cidr, policy);
    if (!problem) return empty();
    return {
        violations: [
            violation(problem.kind, [vpc.name], "cidr", `Vpc ${q(vpc.name)}: cidr ${problem.reason}`, problem.fix),
        ],
        deferred: [],
    };
}

const PRIVATE_BLOCKS: readonly Cidr[] = DEFAULT_VPC_CIDR_POLICY.allowed.map((a) => tryParseCidr(a.block)!);

/** {@link isPrivateBlock} is true when `c` lies inside a block a VPC may use (10/8, 172.16/12, 192.168/16). */
export function isPrivateBlock(c: Cidr): boolean {
    return PRIVATE_BLOCKS.some((b) => cidrContains(b, c));
}
