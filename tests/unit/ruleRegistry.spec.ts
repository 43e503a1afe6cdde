import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { UNKNOWN as ORCHESTRATOR_UNKNOWN } from "../../orchestrator/events";
import { UNKNOWN } from "../../core/checkReport";
import { UNKNOWN as PROVIDER_UNKNOWN } from "../../provider/resources/common";
import {
    checkRouteTable,
    exceedsRouteQuota,
    findDuplicatePair,
    holdsPair,
    isSameDestination,
    isSelfPeering,
    MAX_ROUTES_PER_VPC,
    overlapsOwnVpc,
    PENDING_ACCEPTANCE_DAYS,
    PENDING_ACCEPTANCE_MS,
    RULE_TITLES,
    RULES,
    subjectKindOf,
} from "../../core/rules";

describe("constraints: the rule registry", () => {
    it("lists each rule once, with a title and the function that decides it", () => {
        const ids = RULES.map((r) => r.id);
        expect(new Set(ids).size).to.equal(ids.length);
        expect(Object.keys(RULE_TITLES)).to.deep.equal(ids);
        for (const r of RULES) {
            expect(r.title, r.id).to.be.a("string").and.not.equal("");
            expect(r.check, r.id).to.be.a("function");
        }
    });

    it("says what each rule is about; a CIDR rule is about a Route when it concerns a destination", () => {
        expect(subjectKindOf("route-quota")).to.equal("Vpc");
        expect(subjectKindOf("mesh-peer-cidr-conflict")).to.equal("Vpc");
        expect(subjectKindOf("route-transitive")).to.equal("Route");
        expect(subjectKindOf("peering-duplicate-pair")).to.equal("PeeringConnection");
        expect(subjectKindOf("accepter-wrong-account")).to.equal("PeeringAccepter");
        expect(subjectKindOf("cidr-host-bits", "cidr")).to.equal("Vpc");
        expect(subjectKindOf("cidr-syntax", "destination")).to.equal("Route");
        for (const r of RULES) if (!r.id.startsWith("cidr-")) expect(subjectKindOf(r.id), r.id).to.equal(r.subject);
    });

    it("titles the route quota with the one constant", () => {
        expect(RULE_TITLES["route-quota"]).to.equal(`A VPC holds at most ${MAX_ROUTES_PER_VPC} routes`);
    });
});

describe("constraints: the predicates the API server refuses with", () => {
    const vpc = (id: string) => ({ name: `VPC ${id}`, id });
    const peering = (id: string, a: string, b: string) => ({ name: id, id, requester: vpc(a), accepter: vpc(b) });

    it("route-quota takes the limit: more than it is over, the platform's 200 by default", () => {
        expect(exceedsRouteQuota(MAX_ROUTES_PER_VPC)).to.equal(false);
        expect(exceedsRouteQuota(MAX_ROUTES_PER_VPC + 1)).to.equal(true);
        expect(exceedsRouteQuota(2, 1)).to.equal(true);
        const routes = [
            { name: "r1", destination: "10.2.0.0/24" },
            { name: "r2", destination: "10.2.1.0/24" },
        ];
        expect(checkRouteTable(vpc("a"), routes).violations).to.deep.equal([]);
        const [v] = checkRouteTable(vpc("a"), routes, 1).violations;
        expect(v?.rule).to.equal("route-quota");
        expect(v?.message).to.contain("the limit is 1");
    });

    it("a duplicate destination is the same block compared numerically, not the same text", () => {
        expect(isSameDestination("10.1.0.0/16", "10.1.0.0/16")).to.equal(true);
        expect(isSameDestination("10.1.0.0/016", "10.1.0.0/16")).to.equal(true);
        expect(isSameDestination("10.1.0.0/16", "10.1.0.0/24")).to.equal(false);
        expect(isSameDestination("nonsense", "nonsense")).to.equal(false);
    });

    it("a destination overlapping its own VPC's CIDR, whether the route or the VPC changes", () => {
        expect(overlapsOwnVpc("10.1.2.0/24", "10.1.0.0/16")).to.equal(true);
        expect(overlapsOwnVpc("10.0.0.0/8", "10.1.0.0/16")).to.equal(true);
        expect(overlapsOwnVpc("10.2.0.0/16", "10.1.0.0/16")).to.equal(false);
        expect(overlapsOwnVpc("not a cidr", "10.1.0.0/16")).to.equal(false);
    });

    it("self-peering by id, and not when it cannot tell", () => {
        expect(isSelfPeering(peering("p", "v1", "v1"))).to.equal(true);
        expect(isSelfPeering(peering("p", "v1", "v2"))).to.equal(false);
        expect(isSelfPeering({ requester: { name: "a" }, accepter: { name: "b", id: "v1" } })).to.equal(false);
    });

    it("a duplicate pair in either direction; a terminal peering does not hold its pair", () => {
        const existing = [peering("old", "v2", "v1")];
        expect(findDuplicatePair(peering("new", "v1", "v2"), existing)?.id).to.equal("old");
        expect(findDuplicatePair(peering("old", "v1", "v2"), existing)).to.equal(undefined);
        expect(findDuplicatePair(peering("new", "v1", "v3"), existing)).to.equal(undefined);
        expect(["PENDING_ACCEPTANCE", "ACTIVE"].map(holdsPair)).to.deep.equal([true, true]);
        expect(["REJECTED", "EXPIRED", "DELETED"].map(holdsPair)).to.deep.equal([false, false, false]);
    });
});

describe("constraints: one constant per fact", () => {
    it("the unknown sentinel is Pulumi's own, re-exported where it was copied", () => {
        expect(UNKNOWN).to.equal(pulumi.runtime.unknownValue);
        expect(PROVIDER_UNKNOWN).to.equal(UNKNOWN);
        expect(ORCHESTRATOR_UNKNOWN).to.equal(UNKNOWN);
    });

    it("the pending TTL in days and in milliseconds are one fact", () => {
        expect(PENDING_ACCEPTANCE_MS).to.equal(PENDING_ACCEPTANCE_DAYS * 86_400_000);
    });
});
