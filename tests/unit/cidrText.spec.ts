// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The shared parsers and validators at their edges: canonical CIDR text only, a bounded CIDR length, and
// the text validators the providers' `check` shares with the API server.

import { expect } from "chai";
import { canonicalCidrText, describeVpcCidrProblem, MAX_CIDR_LENGTH, parseIPv4Cidr } from "../../core/cidr";
import { checkRoute, checkVpc } from "../../core/rules";
import { characterCount, descriptionProblem, nameProblem } from "../../core/text";
import { checkDescription, checkName } from "../../provider/resources/common";

const A = { name: "a", cidr: "10.1.0.0/16" };
const B = { name: "b", cidr: "192.168.0.0/16" };

describe("CIDR text", () => {
    it("refuses leading zeros in the prefix or an octet, and names the canonical form", () => {
        for (const [text, canonical] of [
            ["10.0.0.0/08", "10.0.0.0/8"],
            ["010.0.0.0/8", "10.0.0.0/8"],
            ["192.168.001.0/24", "192.168.1.0/24"],
            ["10.0.0.0/016", "10.0.0.0/16"],
        ]) {
            const r = parseIPv4Cidr(text!);
            expect(r.ok, text).to.equal(false);
            if (r.ok) continue;
            expect(r.problem).to.equal("syntax");
            expect(r.reason).to.contain("leading zero");
            expect(r.canonical).to.equal(canonical);
            expect(canonicalCidrText(text!)).to.equal(canonical);
            expect(describeVpcCidrProblem(text!)).to.include({ kind: "cidr-syntax" });
            expect(describeVpcCidrProblem(text!)!.fix).to.contain(canonical);
        }
        expect(parseIPv4Cidr("0.0.0.0/0").ok).to.equal(true);
        expect(parseIPv4Cidr("10.0.0.0/8").ok).to.equal(true);
        expect(canonicalCidrText("10.0.0.1/08")).to.equal(undefined); // host bits: no block
        expect(canonicalCidrText("nonsense")).to.equal(undefined);
    });

    it("makes the preview rule cidr-syntax refuse them too, with the canonical form as the fix", () => {
        const route = checkRoute({
            name: "r",
            vpc: A,
            peering: { name: "p", requester: A, accepter: B },
            destination: "192.168.0.0/016",
        });
        expect(route.violations.map((v) => v.rule)).to.deep.equal(["cidr-syntax"]);
        expect(route.violations[0]!.message).to.contain("Fix: write it without leading zeros: 192.168.0.0/16");
        const vpc = checkVpc({ name: "v", cidr: "10.0.0.0/08" });
        expect(vpc.violations.map((v) => v.rule)).to.deep.equal(["cidr-syntax"]);
        expect(vpc.violations[0]!.message).to.contain("10.0.0.0/8");
    });

    it(`refuses text longer than ${MAX_CIDR_LENGTH} characters without echoing it, in the parser and the rules`, () => {
        expect("255.255.255.255/32".length).to.equal(MAX_CIDR_LENGTH);
        expect(parseIPv4Cidr("255.255.255.255/32").ok).to.equal(true);
        const huge = "1".repeat(1_000_000);
        const r = parseIPv4Cidr(huge);
        expect(r.ok).to.equal(false);
        if (!r.ok) {
            expect(r.reason).to.contain(`at most ${MAX_CIDR_LENGTH} characters`);
            expect(r.reason.length).to.be.below(200);
        }
        const rule = checkVpc({ name: "v", cidr: huge });
        expect(rule.violations[0]!.rule).to.equal("cidr-syntax");
        expect(rule.violations[0]!.message.length).to.be.below(400);
        const route = checkRoute({
            name: "r",
            vpc: A,
            peering: { name: "p", requester: A, accepter: B },
            destination: huge,
        });
        expect(route.violations[0]!.message.length).to.be.below(400);
    });
});

describe("text validators shared by the providers and the API server", () => {
    it("refuse NUL, control characters and lone surrogates; keep tabs, line breaks and surrogate pairs", () => {
        for (const bad of ["a\u0000b", "bell\u0007", "\u001b[31m", "del\u007f", "a\uD800", "\uDFFFz"]) {
            expect(descriptionProblem(bad), JSON.stringify(bad)).to.match(/control character|lone surrogate/);
            expect(nameProblem(bad), JSON.stringify(bad)).to.match(/control character|lone surrogate/);
        }
        expect(descriptionProblem("one\ntwo\r\n\tthree 🙂")).to.equal(undefined);
        expect(nameProblem("vpc-中文_1.2")).to.equal(undefined);
        expect(nameProblem("")).to.match(/at least 1/);
        expect(nameProblem("", true)).to.equal(undefined);
        expect(characterCount("🙂".repeat(255))).to.equal(255);
        expect(descriptionProblem("🙂".repeat(255))).to.equal(undefined);
        expect(descriptionProblem("🙂".repeat(256))).to.match(/256 characters/);
    });

    it("are what the providers' check uses: a NUL in a description fails check at preview", () => {
        expect(checkDescription("before\u0000after")[0]!.reason).to.contain("U+0000");
        expect(checkDescription("fine")).to.deep.equal([]);
        expect(checkName("bad\uD800")[0]!.reason).to.contain("lone surrogate");
        expect(checkName("ok-name")).to.deep.equal([]);
    });
});
