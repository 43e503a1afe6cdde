import { expect } from "chai";
import { MAX_ROUTES_PER_VPC, RULE_TITLES, RULES, subjectKindOf } from "../../provider/constraints/rules";

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
