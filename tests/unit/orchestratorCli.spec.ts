// peering-stacks' command line: commands and options parsed, bad arguments refused with a usage error (exit 2), and
// `validate`'s printed order.
import * as path from "node:path";
import { expect } from "chai";

import { describeOrder, parseArgs, UsageError } from "../../orchestrator/cli";
import { loadPlan } from "../../orchestrator/plan";

const REPO = path.resolve(__dirname, "..", "..", "..");

describe("peering-stacks arguments", () => {
    it("parses commands and options", () => {
        const a = parseArgs([
            "preview",
            "--plan",
            "p.yaml",
            "-s",
            "a",
            "--stack=b",
            "--report",
            "r.md",
            "--parallel",
            "3",
        ]);
        expect(a).to.include({ command: "preview", plan: "p.yaml", report: "r.md", parallel: 3 });
        expect(a.stacks).to.deep.equal(["a", "b"]);
        expect(parseArgs(["--help"]).help).to.equal(true);
        expect(parseArgs(["--version"]).version).to.equal(true);
        expect(parseArgs(["up", "--stack", "a", "-s", "b", "--skip-preview"])).to.deep.include({
            command: "up",
            stacks: ["a", "b"],
            skipPreview: true,
        });
    });

    it("refuses bad arguments with a usage error", () => {
        expect(() => parseArgs([])).to.throw(UsageError, /give a command/);
        expect(() => parseArgs(["deploy"])).to.throw(UsageError, /unknown command deploy/);
        expect(() => parseArgs(["up", "--report", "x.md"])).to.throw(UsageError, /go with preview/);
        expect(() => parseArgs(["up", "--parallel", "0"])).to.throw(UsageError, /--parallel/);
        expect(() => parseArgs(["up", "--wat"])).to.throw(UsageError, /unknown option --wat/);
        expect(() => parseArgs(["up", "--plan"])).to.throw(UsageError, /--plan needs a value/);
        expect(() => parseArgs(["up", "down"])).to.throw(UsageError, /unexpected argument down/);
        expect(() => parseArgs(["up", "--parallel", "2x"])).to.throw(UsageError, /--parallel/);
    });

    it("validate prints the up and destroy orders", () => {
        const plan = loadPlan(path.join(REPO, "examples", "split-stacks", "plan.yaml"));
        const text = describeOrder(plan);
        expect(text).to.contain("up/refresh order: accepter-vpc → requester → accepter → requester-routes");
        expect(text).to.contain("destroy order:    requester-routes → accepter → requester → accepter-vpc");
    });
});
