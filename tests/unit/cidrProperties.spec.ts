// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Property-based tests (fast-check, seeded and bounded) of the CIDR parser and formatter: every block written
// canonically parses back to the same numbers and text, a block with host bits names its network, leading zeros
// name the canonical text, and no string makes the parser throw. The oracle is plain shift-and-mask arithmetic.

import { expect } from "chai";
import * as fc from "fast-check";
import { canonicalCidrText, formatIPv4, MAX_CIDR_LENGTH, parseIPv4Cidr } from "../../core/cidr";

/** Same seed every run, so a failure reproduces; fast-check prints the counterexample and the path. */
const RUNS = { seed: 13, numRuns: 500 };

const octets = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const dotted = (n: number) => octets(n).join(".");
const blockSize = (prefix: number) => 2 ** (32 - prefix);
const networkOf = (address: number, prefix: number) => address - (address % blockSize(prefix));

const address = fc.integer({ min: 0, max: 0xffff_ffff });
const prefix = fc.integer({ min: 0, max: 32 });

describe("CIDR parse and format (properties)", () => {
    it("formatIPv4 writes the four octets of any 32-bit address", () => {
        fc.assert(
            fc.property(address, (n) => {
                expect(formatIPv4(n)).to.equal(dotted(n));
            }),
            RUNS,
        );
    });

    it("a canonical network block parses to its interval and formats back to the same text", () => {
        fc.assert(
            fc.property(address, prefix, (a, p) => {
                const first = networkOf(a, p);
                const text = `${formatIPv4(first)}/${p}`;
                const r = parseIPv4Cidr(text);
                expect(r.ok, text).to.equal(true);
                if (!r.ok) return;
                expect(r.cidr).to.deep.equal({ text, first, last: first + blockSize(p) - 1, prefix: p });
                expect(`${formatIPv4(r.cidr.first)}/${r.cidr.prefix}`).to.equal(text);
                expect(canonicalCidrText(text)).to.equal(text);
            }),
            RUNS,
        );
    });

    it("an address with host bits set is refused, naming its network, which parses", () => {
        fc.assert(
            fc.property(address, prefix, (a, p) => {
                fc.pre(networkOf(a, p) !== a);
                const r = parseIPv4Cidr(`${dotted(a)}/${p}`);
                expect(r.ok).to.equal(false);
                if (r.ok) return;
                expect(r.problem).to.equal("host-bits");
                expect(r.network).to.equal(`${dotted(networkOf(a, p))}/${p}`);
                expect(parseIPv4Cidr(r.network!).ok).to.equal(true);
            }),
            RUNS,
        );
    });

    it("leading zeros are refused and name the canonical text of the same numbers", () => {
        const pad = fc.integer({ min: 1, max: 2 });
        fc.assert(
            fc.property(address, prefix, fc.integer({ min: 0, max: 4 }), pad, (a, p, which, zeros) => {
                const first = networkOf(a, p);
                const parts = [...octets(first).map(String), String(p)];
                parts[which] = "0".repeat(zeros) + parts[which];
                fc.pre(parts[which].length <= 3); // the shape allows three digits per number
                const text = `${parts.slice(0, 4).join(".")}/${parts[4]}`;
                fc.pre(text.length <= MAX_CIDR_LENGTH); // longer text is refused unparsed (another test)
                const r = parseIPv4Cidr(text);
                expect(r.ok, text).to.equal(false);
                if (r.ok) return;
                expect(r.canonical, text).to.equal(`${dotted(first)}/${p}`);
                expect(canonicalCidrText(text)).to.equal(`${dotted(first)}/${p}`);
            }),
            RUNS,
        );
    });

    it("no string makes the parser throw; what it accepts is short and canonical", () => {
        const cidrLike = fc.stringMatching(/^[0-9./]{1,20}$/);
        fc.assert(
            fc.property(fc.oneof(fc.string({ maxLength: 40 }), cidrLike), (text) => {
                const r = parseIPv4Cidr(text);
                if (!r.ok) return;
                expect(text.length).to.be.at.most(MAX_CIDR_LENGTH);
                expect(r.cidr.text).to.equal(text);
                expect(`${formatIPv4(r.cidr.first)}/${r.cidr.prefix}`).to.equal(text);
                expect(r.cidr.last - r.cidr.first + 1).to.equal(blockSize(r.cidr.prefix));
            }),
            RUNS,
        );
    });
});
