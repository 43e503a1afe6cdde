// Every rule of the registry, decided by the function the registry names: one minimal breaking example per rule
// (a Record over RuleId, so a new rule without an example does not compile).

import { expect } from "chai";
import { CheckOutcome, PeeringFacts, RouteFacts, RuleId, RULES, VpcFacts } from "../../core/rules";

const R = "ap-southeast-1";
const vpc = (name: string, cidr: string, extra: Partial<VpcFacts> = {}): VpcFacts => ({
    name,
    id: `id-${name}`,
    cidr,
    region: R,
    account: "alice",
    ...extra,
});
const a = vpc("a", "10.1.0.0/16");
const b = vpc("b", "10.2.0.0/16");
const c = vpc("c", "10.3.0.0/16");
const peering = (name: string, requester: VpcFacts, accepter: VpcFacts): PeeringFacts => ({
    name,
    requester,
    accepter,
});
const ab = peering("ab", a, b);
const route = (destination: string, via: PeeringFacts = ab, own: VpcFacts = a): RouteFacts => ({
    name: "r",
    vpc: own,
    destination,
    peering: via,
});
const program = (extra: { routes: RouteFacts[] }) => ({
    vpcs: [a, b, c],
    peerings: [ab, peering("bc", b, c)],
    accepters: [],
    ...extra,
});

/** The arguments of the registry's `check` for one breaking case of each rule. */
const EXAMPLES: Record<RuleId, readonly unknown[]> = {
    "cidr-syntax": ['Route "r"', "destination", "10.0.0/8"],
    "cidr-host-bits": ['Route "r"', "destination", "10.0.0.1/8"],
    "vpc-cidr-range": [vpc("v", "8.8.0.0/16")],
    "peering-cross-region": [peering("p", a, vpc("far", "10.9.0.0/16", { region: "ap-southeast-3" }))],
    "peering-cidr-overlap": [peering("p", a, vpc("inside", "10.1.4.0/24"))],
    "peering-self": [peering("p", a, { ...a, name: "a-again" })],
    "peering-duplicate-pair": [[ab, peering("ba", b, a)]],
    "peering-missing-peer-project": [
        peering("p", a, { name: "theirs", id: "id-theirs", cidr: "10.8.0.0/16", region: R, foreign: true }),
    ],
    "route-overlaps-own-vpc": [route("10.1.1.0/24")],
    "route-outside-peer-vpc": [route("10.7.0.0/16")],
    "route-transitive": [program({ routes: [route("10.3.0.0/16")] })],
    "route-destination-conflict": [
        a,
        [
            { name: "wide", destination: "10.2.0.0/16" },
            { name: "narrow", destination: "10.2.1.0/24" },
        ],
    ],
    "route-peering-mismatch": [route("10.2.0.0/16", ab, c)],
    "route-internet-via-peer": [route("0.0.0.0/0")],
    "route-quota": [a, [{ name: "one" }, { name: "two" }], 1],
    "mesh-peer-cidr-conflict": [[ab, peering("ac", a, vpc("twin", "10.2.0.0/24"))]],
    "accepter-wrong-account": [{ name: "acc", account: "alice", peering: peering("p", a, { ...b, account: "bob" }) }],
};

describe("constraints: each registry rule is decided by its check", () => {
    for (const spec of RULES) {
        it(`${spec.id}: ${spec.check.name} reports it`, () => {
            const run = spec.check as unknown as (...args: unknown[]) => CheckOutcome;
            const outcome = run(...EXAMPLES[spec.id]);
            expect(outcome.violations.map((v) => v.rule)).to.include(spec.id);
        });
    }
});
