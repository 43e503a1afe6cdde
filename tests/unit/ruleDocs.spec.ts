// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The documents that list the rules follow the rule registry (RULE_TITLES), so no count or list is kept by hand:
// the README's rule table has one row per rule, in registry order, and examples/invalid/ one program per rule.

import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { MAX_ROUTES_PER_VPC, RULE_TITLES } from "../../core/rules";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const ruleIds = Object.keys(RULE_TITLES);

describe("rule documents follow the registry", () => {
    it("the README's rule table has one row per rule, in registry order", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const start = readme.indexOf("| Rule id | What it refuses |");
        expect(start, "README rule table").to.be.greaterThan(-1);
        const lines = readme.slice(start).split("\n").slice(2); // after the header and the |---| line
        const rows = lines.slice(
            0,
            lines.findIndex((l) => !l.startsWith("|")),
        );
        expect(rows.map((r) => /^\| `([a-z-]+)` \|/.exec(r)?.[1])).to.deep.equal(ruleIds);
        expect(rows.find((r) => r.startsWith("| `route-quota`"))).to.contain(`more than ${MAX_ROUTES_PER_VPC} routes`);
    });

    it("examples/invalid has one program per rule and no other", () => {
        const dir = path.join(REPO_ROOT, "examples", "invalid");
        const programs = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "Pulumi.yaml")));
        expect(programs.sort()).to.deep.equal([...ruleIds].sort());
    });
});
