// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Property-based tests (fast-check, seeded and bounded) of the two sort-and-sweep rules — the route table of one
// VPC (`checkRouteTable`: route-destination-conflict, route-quota) and the mesh (`mesh-peer-cidr-conflict`, run
// by `checkProgram`) — against a naive O(n²) oracle written here. A sweep reports one violation per block that
// overlaps an earlier one, so it reports exactly (blocks − connected components of the overlap graph) violations,
// and names exactly the blocks that overlap at least one other; each violation names an overlapping pair.

import { expect } from "chai";
import * as fc from "fast-check";
import { cidrsOverlap, tryParseCidr } from "../../core/cidr";
import { checkProgram, checkRouteTable, MAX_ROUTES_PER_VPC, PeeringFacts, VpcFacts } from "../../core/rules";

const RUNS = { seed: 13, numRuns: 200 };

/** Blocks from a small space (10.0–3.x.0, /16 to /24), so that overlaps, nesting and duplicates are common. */
const block = fc
    .record({
        b: fc.integer({ min: 0, max: 3 }),
        c: fc.integer({ min: 0, max: 255 }),
        p: fc.integer({ min: 16, max: 24 }),
    })
    .map(({ b, c, p }) => {
        const third = p <= 16 ? 0 : c - (c % 2 ** (24 - p));
        return `10.${b}.${third}.0/${p}`;
    });
/** A destination is mostly a valid block, sometimes one the rules skip (bad text, host bits, unknown). */
const destination = fc.oneof(
    { weight: 8, arbitrary: block.map((d): string | undefined => d) },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>("not-a-cidr", "10.0.0.1/16", undefined) },
);

/** The oracle: connected components of "overlaps" over blocks, by union-find over every pair. */
function overlapOracle(blocks: readonly string[]): { components: number; overlapping: Set<number> } {
    const cidrs = blocks.map((b) => tryParseCidr(b)!);
    const parent = cidrs.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const overlapping = new Set<number>();
    for (let i = 0; i < cidrs.length; i++) {
        for (let j = i + 1; j < cidrs.length; j++) {
            if (!cidrsOverlap(cidrs[i], cidrs[j])) continue;
            overlapping.add(i).add(j);
            parent[find(i)] = find(j);
        }
    }
    return { components: cidrs.filter((_, i) => find(i) === i).length, overlapping };
}

const overlapText = (a: string, b: string) => cidrsOverlap(tryParseCidr(a)!, tryParseCidr(b)!);

describe("route table and mesh rules against an O(n²) oracle (properties)", () => {
    it("checkRouteTable: one conflict per route overlapping an earlier one, every overlapping route named, quota", () => {
        const routes = fc.oneof(
            fc.array(destination, { maxLength: 40 }),
            fc.array(destination, { minLength: MAX_ROUTES_PER_VPC - 2, maxLength: MAX_ROUTES_PER_VPC + 3 }),
        );
        fc.assert(
            fc.property(routes, (dests) => {
                const vpc: VpcFacts = { name: "v" };
                const table = dests.map((destination, i) => ({ name: `r${i}`, destination }));
                const out = checkRouteTable(vpc, table);
                const valid = table.filter((r) => r.destination !== undefined && tryParseCidr(r.destination));
                const oracle = overlapOracle(valid.map((r) => r.destination!));

                expect(out.violations.filter((v) => v.rule === "route-quota")).to.have.length(
                    table.length > MAX_ROUTES_PER_VPC ? 1 : 0,
                );
                const conflicts = out.violations.filter((v) => v.rule === "route-destination-conflict");
                expect(conflicts).to.have.length(valid.length - oracle.components);
                const named = new Set(conflicts.flatMap((v) => v.resources.slice(0, 2)));
                expect([...named].sort()).to.deep.equal([...oracle.overlapping].map((i) => valid[i].name).sort());
                const destOf = new Map(table.map((r) => [r.name, r.destination!]));
                for (const v of conflicts) {
                    const [a, b] = v.resources.map((n) => destOf.get(n)!);
                    expect(overlapText(a, b), v.message).to.equal(true);
                    expect(v.message).to.contain(a === b ? "duplicates" : "overlaps");
                }
            }),
            RUNS,
        );
    });

    it("mesh: per VPC, one conflict per peer overlapping an earlier peer, every conflicting peering named", () => {
        // VPCs with random blocks; peerings between distinct pairs (a duplicate pair is its own rule).
        const mesh = fc
            .record({
                cidrs: fc.array(block, { minLength: 2, maxLength: 12 }),
                seeds: fc.array(fc.nat(), { maxLength: 40 }),
            })
            .map(({ cidrs, seeds }) => {
                const vpcs: VpcFacts[] = cidrs.map((cidr, i) => ({
                    name: `vpc${i}`,
                    cidr,
                    region: "r1",
                    account: "a",
                }));
                const pairs = new Set<string>();
                for (const s of seeds) {
                    const a = s % vpcs.length;
                    const b = Math.floor(s / vpcs.length) % vpcs.length;
                    if (a !== b) pairs.add(a < b ? `${a},${b}` : `${b},${a}`);
                }
                const peerings: PeeringFacts[] = [...pairs].map((k) => {
                    const [a, b] = k.split(",").map(Number);
                    return { name: `p${a}-${b}`, requester: vpcs[a], accepter: vpcs[b] };
                });
                return { vpcs, peerings };
            });
        fc.assert(
            fc.property(mesh, ({ vpcs, peerings }) => {
                const out = checkProgram({ vpcs, peerings, routes: [], accepters: [] });
                const conflicts = out.violations.filter((v) => v.rule === "mesh-peer-cidr-conflict");
                for (const vpc of vpcs) {
                    const links = peerings.flatMap((p) =>
                        p.requester === vpc
                            ? [{ via: p.name, peer: p.accepter }]
                            : p.accepter === vpc
                              ? [{ via: p.name, peer: p.requester }]
                              : [],
                    );
                    const oracle = overlapOracle(links.map((l) => l.peer.cidr!));
                    const mine = conflicts.filter((v) => v.resources[0] === vpc.name);
                    expect(mine, vpc.name).to.have.length(links.length - oracle.components);
                    const named = new Set(mine.flatMap((v) => v.resources.slice(1, 3)));
                    expect([...named].sort(), vpc.name).to.deep.equal(
                        [...oracle.overlapping].map((i) => links[i].via).sort(),
                    );
                    const peerOf = new Map(links.map((l) => [l.via, l.peer.cidr!]));
                    for (const v of mine)
                        expect(overlapText(peerOf.get(v.resources[1])!, peerOf.get(v.resources[2])!)).to.equal(true);
                }
            }),
            RUNS,
        );
    });
});
