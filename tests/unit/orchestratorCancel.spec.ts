// Signals for `peering-stacks`: the first SIGINT/SIGTERM aborts the run (exit 130/143), a second one forces — the
// CLIs get their second SIGINT (terminate) and, if still running after the bound, SIGKILL for their groups.
import { expect } from "chai";

import { Cancellation, CancelTarget } from "../../orchestrator/cancel";
import { runDag } from "../../orchestrator/schedule";

function fakeTarget(): CancelTarget & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        running: 2,
        signalAll: (s) => void calls.push(`signal ${s}`),
        killAll: () => void calls.push("kill"),
    };
}

describe("orchestrator: cancellation", () => {
    it("first SIGINT aborts with a message; a second forces, then kills after the bound", async () => {
        const lines: string[] = [];
        const target = fakeTarget();
        const listeners = process.listenerCount("SIGINT");
        const c = new Cancellation({ log: (l) => lines.push(l), forceKillMs: 0 }).install(target);
        try {
            process.emit("SIGINT");
            expect(c.signal.aborted).to.equal(true);
            expect(c.signal.reason).to.equal("SIGINT");
            expect(c.exitCode).to.equal(130);
            expect(lines[0]).to.match(/^peering-stacks: SIGINT received: cancelling — no new stack starts/);
            expect(target.calls).to.deep.equal([]); // the CLIs get their one SIGINT through the abort signal
            process.emit("SIGINT");
            expect(c.forced).to.equal(true);
            expect(lines[1]).to.contain("SIGINT received again: stopping at once (2 Pulumi CLI processes)");
            expect(lines[1]).to.contain("peering-stacks unlock --stack NAME");
            expect(target.calls).to.deep.equal(["signal SIGINT"]);
            await new Promise((r) => setTimeout(r, 0)); // the FORCE_KILL_MS timer, set to 0 here
            expect(target.calls).to.deep.equal(["signal SIGINT", "kill"]);
        } finally {
            c.uninstall();
        }
        expect(process.listenerCount("SIGINT")).to.equal(listeners);
    });

    it("SIGTERM means exit code 143", () => {
        const c = new Cancellation({ log: () => undefined }).install(fakeTarget());
        try {
            process.emit("SIGTERM");
            expect(c.received).to.equal("SIGTERM");
            expect(c.exitCode).to.equal(143);
        } finally {
            c.uninstall();
        }
    });

    it("the scheduler starts nothing once aborted; running nodes end as they decide", async () => {
        const ac = new AbortController();
        const result = await runDag({
            nodes: ["a", "b", "c"],
            deps: new Map([["c", ["a"]]]),
            parallel: 1,
            stopOnFailure: true,
            signal: ac.signal,
            run: async (n) => {
                ac.abort("SIGINT");
                return n;
            },
        });
        expect(result.started).to.deep.equal(["a"]);
        expect(result.outcomes.get("a")).to.include({ status: "succeeded" });
        expect(result.outcomes.get("b")).to.deep.equal({
            status: "not-started",
            reason: "cancelled before it started",
        });
        expect(result.outcomes.get("c")).to.deep.equal({
            status: "not-started",
            reason: "cancelled before it started",
        });
    });
});
