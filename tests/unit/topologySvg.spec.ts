// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The report's SVG: laid out by dagre, rendered to pixels by resvg, and checked for what a reader needs — no box
// or label on top of another, every VPC inside its account, the title shown, a legend of only the states drawn,
// in the colours the drawing uses.

import { Resvg } from "@resvg/resvg-js";
import { expect } from "chai";

import type { Topology } from "../../orchestrator/report";
import { Box, layoutTopology, PEERING_STYLES, renderSvg, VPC_STYLES } from "../../orchestrator/topologySvg";

const vpc = (key: string, account: string, op: string, extra: Record<string, string> = {}) => ({
    key,
    name: key,
    account,
    op,
    cidr: extra["cidr"] ?? "10.0.0.0/16",
    stack: extra["stack"] ?? "net",
});

/** A hub and three spokes over three accounts, one of them with a long name, plus a same-account peering. */
const TOPOLOGY: Topology = {
    vpcs: [
        vpc("hub", "alice", "same", { cidr: "10.0.0.0/16" }),
        vpc("spoke-with-a-rather-long-name-for-a-vpc", "bob", "create", { cidr: "10.1.0.0/16" }),
        vpc("spoke-b", "carol", "replace", { cidr: "10.2.0.0/16" }),
        vpc("spoke-c", "carol", "create", { cidr: "10.3.0.0/16" }),
        { key: "ext", name: "legacy", account: "bob", op: "external", cidr: "10.9.0.0/16" },
    ],
    peerings: [
        {
            key: "p1",
            name: "hub-to-long-spoke",
            stack: "net",
            from: "hub",
            to: "spoke-with-a-rather-long-name-for-a-vpc",
            status: "ACTIVE",
            op: "same",
        },
        {
            key: "p2",
            name: "hub-spoke-b",
            stack: "net",
            from: "hub",
            to: "spoke-b",
            status: "PENDING_ACCEPTANCE",
            op: "same",
            acceptedBy: "acc/x",
        },
        { key: "p3", name: "hub-spoke-c", stack: "net", from: "hub", to: "spoke-c", status: "new", op: "create" },
        { key: "p4", name: "b-c", stack: "net", from: "spoke-b", to: "spoke-c", status: "new", op: "create" },
        { key: "p5", name: "to-legacy", stack: "net", from: "hub", to: "ext", status: "ACTIVE", op: "same" },
    ],
    routes: [
        {
            key: "r1",
            name: "r1",
            stack: "net",
            vpc: "hub",
            destination: "10.1.0.0/16",
            peering: "p1",
            to: "spoke-with-a-rather-long-name-for-a-vpc",
            op: "same",
        },
        {
            key: "r2",
            name: "r2",
            stack: "net",
            vpc: "hub",
            destination: "10.2.0.0/16",
            peering: "p2",
            to: "spoke-b",
            op: "create",
        },
    ],
};

function overlaps(a: Box, b: Box): boolean {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
    return (
        inner.x >= outer.x &&
        inner.y >= outer.y &&
        inner.x + inner.width <= outer.x + outer.width &&
        inner.y + inner.height <= outer.y + outer.height
    );
}

function pixel(img: { width: number; pixels: Buffer }, x: number, y: number): string {
    const i = (Math.round(y) * img.width + Math.round(x)) * 4;
    return "#" + [0, 1, 2].map((k) => img.pixels[i + k]!.toString(16).padStart(2, "0")).join("");
}

describe("report SVG (dagre layout, rendered with resvg)", () => {
    const title = "PR #42: peering preview";
    const layout = layoutTopology(TOPOLOGY, title);

    it("places no box or label on another, and every VPC inside its account", () => {
        const vpcs = layout.vpcs.map((v) => v.box);
        const labels = layout.peerings.map((p) => p.label);
        for (let i = 0; i < vpcs.length; i++) {
            for (let j = i + 1; j < vpcs.length; j++)
                expect(overlaps(vpcs[i]!, vpcs[j]!), `VPCs ${i}/${j}`).to.equal(false);
        }
        for (let i = 0; i < labels.length; i++) {
            for (let j = i + 1; j < labels.length; j++)
                expect(overlaps(labels[i]!, labels[j]!), `labels ${i}/${j}`).to.equal(false);
            for (const v of vpcs) expect(overlaps(labels[i]!, v), `label ${i} on a VPC`).to.equal(false);
        }
        for (const v of layout.vpcs) {
            const account = layout.accounts.find((a) => a.account === v.vpc.account)!;
            expect(inside(v.box, account.box), v.vpc.name).to.equal(true);
            // Wide enough for its longest line (8 px per character at 13 px, 7 at 11 px).
            expect(v.box.width).to.be.at.least(v.lines[0]!.length * 8);
        }
        const accounts = layout.accounts.map((a) => a.box);
        for (let i = 0; i < accounts.length; i++) {
            for (let j = i + 1; j < accounts.length; j++) expect(overlaps(accounts[i]!, accounts[j]!)).to.equal(false);
            expect(overlaps(accounts[i]!, layout.title)).to.equal(false);
            for (const l of layout.legend) expect(overlaps(accounts[i]!, l.box)).to.equal(false);
        }
        for (const l of layout.legend) expect(l.box.x + l.box.width).to.be.at.most(layout.width);
    });

    it("draws no peering line across another peering's label", () => {
        for (const p of layout.peerings) {
            for (const other of layout.peerings.filter((o) => o !== p)) {
                const l = other.label;
                for (let i = 1; i < p.points.length; i++) {
                    const a = p.points[i - 1]!;
                    const b = p.points[i]!;
                    for (let k = 0; k <= 50; k++) {
                        const x = a.x + ((b.x - a.x) * k) / 50;
                        const y = a.y + ((b.y - a.y) * k) / 50;
                        const hit = x > l.x && x < l.x + l.width && y > l.y && y < l.y + l.height;
                        expect(hit, `${p.peering.name} crosses the label of ${other.peering.name}`).to.equal(false);
                    }
                }
            }
        }
    });

    it("shows the title, and a legend of only the states drawn", () => {
        const svg = renderSvg(TOPOLOGY, title);
        expect(svg).to.contain(`<title>PR #42: peering preview</title>`);
        expect(layout.legend.map((l) => l.key)).to.deep.equal([
            "vpc:create",
            "vpc:replace",
            "vpc:external",
            "vpc:same",
            "peering:active",
            "peering:pending",
            "peering:new",
        ]);
        expect(svg).to.not.contain(VPC_STYLES.delete!.legend);
        expect(svg).to.not.contain(PEERING_STYLES.deleted!.legend);
    });

    it("renders to pixels whose colours match the legend", () => {
        const svg = renderSvg(TOPOLOGY, title);
        const img = new Resvg(svg, { fitTo: { mode: "original" } }).render();
        expect([img.width, img.height]).to.deep.equal([layout.width, layout.height]);
        for (const op of ["create", "replace", "same"]) {
            const box = layout.vpcs.find((v) => v.vpc.op === op)!.box;
            const swatch = layout.legend.find((l) => l.key === `vpc:${op}`)!.box;
            // Inside the box, clear of its text (bottom-right corner) and of its swatch's border.
            const inBox = pixel(img, box.x + box.width - 6, box.y + box.height - 5);
            expect(inBox, op).to.equal(VPC_STYLES[op]!.fill);
            expect(pixel(img, swatch.x + 12, swatch.y + 7), `legend ${op}`).to.equal(inBox);
        }
    });
});
