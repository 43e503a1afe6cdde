// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The fault profile: random, seeded faults the server injects into its own traffic, from the CLI
// (`--faults`), the environment (`PEERING_API_FAULTS`) or `ServerOptions.faults`.

import { expect } from "chai";
import { parseCommandLine, UsageError } from "../../emulator/cli";
import { FaultInjector, FaultProfileError, parseFaultProfile, PROFILE_FAULTS } from "../../emulator/faults";
import type { RunningServer } from "../../emulator/server";
import { createVpc, expectGateway, projectOf, R1, raw, startTestServer } from "./harness";

describe("fault profile", () => {
    it("reads rate, seed, kinds, latency and retry-after, and refuses anything else", () => {
        expect(parseFaultProfile("rate=0.1,seed=7")).to.deep.include({ rate: 0.1, seed: 7 });
        expect(parseFaultProfile("rate=0.5,seed=1,kinds=error+reset-after,latency=50,retry-after=2")).to.deep.include({
            rate: 0.5,
            kinds: ["error", "reset-after"],
            maxLatencyMs: 50,
            retryAfterSeconds: 2,
        });
        for (const bad of ["", "seed=1", "rate=2", "rate=x", "rate=0.1,kinds=boom", "rate=0.1,colour=red", "rate"]) {
            expect(() => parseFaultProfile(bad), bad).to.throw(FaultProfileError);
        }
    });

    it("fires the given share of faults, of the given kinds, the same way for the same seed", () => {
        const run = (seed: number) => {
            const f = new FaultInjector();
            f.useProfile({ rate: 0.1, seed, kinds: ["error", "throttle", "reset-before"] });
            return Array.from({ length: 5000 }, () => f.take("GET", "/x")?.kind ?? "-");
        };
        const a = run(3);
        expect(a).to.deep.equal(run(3));
        expect(a).not.to.deep.equal(run(4));
        const fired = a.filter((k) => k !== "-").length;
        expect(fired).to.be.within(400, 600);
        expect(new Set(a)).to.deep.equal(new Set(["-", "refused", "drop-before-commit"]));
        const f = new FaultInjector();
        f.useProfile({ rate: 1, seed: 1 });
        for (let i = 0; i < 500; i++) f.take("GET", "/x");
        const counts = f.profileCounts();
        expect(Object.keys(counts)).to.deep.equal([...PROFILE_FAULTS]);
        for (const k of PROFILE_FAULTS) expect(counts[k], k).to.be.greaterThan(50);
        f.useProfile(undefined);
        expect(f.take("GET", "/x")).to.equal(undefined);
    });

    it("comes from --faults or PEERING_API_FAULTS on the CLI; a bad one is a usage error", () => {
        const faults = (argv: string[], env: NodeJS.ProcessEnv) => {
            const c = parseCommandLine(argv, env);
            if (!("options" in c)) throw new Error("expected serve options");
            return c.options.faults;
        };
        expect(faults(["serve", "--faults", "rate=0.2,seed=3"], {})).to.deep.include({ rate: 0.2, seed: 3 });
        expect(faults(["serve"], { PEERING_API_FAULTS: "rate=0.05,seed=9" })).to.deep.include({ rate: 0.05, seed: 9 });
        expect(faults(["serve"], {})).to.equal(undefined);
        expect(() => parseCommandLine(["serve", "--faults", "rate=7"], {})).to.throw(UsageError, /rate/);
    });

    describe("in a running server", () => {
        let s: RunningServer;
        before(async () => {
            s = await startTestServer();
        });
        after(async () => {
            s.faults.useProfile(undefined);
            await s.close();
        });

        it("reset before the commit: the connection drops and nothing is written", async () => {
            s.faults.useProfile({ rate: 1, seed: 1, kinds: ["reset-before"] });
            const before = s.snapshot();
            const path = `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;
            const r = await raw(s, "POST", path, { as: "alice", body: { vpc: { name: "x" } } }).catch((e) => e);
            expect(r).to.be.instanceOf(Error);
            s.faults.useProfile(undefined);
            expect(s.snapshot()).to.deep.equal(before);
            expect(s.requests().at(-1)).to.deep.include({ dropped: true, fault: "drop-before-commit", status: 0 });
        });

        it("reset after the commit: the write happens, the answer is lost", async () => {
            s.faults.useProfile({ rate: 1, seed: 1, kinds: ["reset-after"] });
            const path = `/${R1}/v1/${projectOf(s, "alice", R1)}/vpcs`;
            const r = await raw(s, "POST", path, { as: "alice", body: { vpc: { name: "lost" } } }).catch((e) => e);
            s.faults.useProfile(undefined);
            expect(r).to.be.instanceOf(Error);
            expect(s.snapshot().vpcs!.map((v) => (v as { name: string }).name)).to.include("lost");
        });

        it("throttle answers 429 with Retry-After; error a 5xx; latency only delays", async () => {
            const path = `/${R1}/v2.0/vpc/peerings`;
            s.faults.useProfile({ rate: 1, seed: 1, kinds: ["throttle"], retryAfterSeconds: 3 });
            const t = await raw(s, "GET", path, { as: "alice" });
            expectGateway(t, 429, "APIGW.0308");
            expect(t.headers.get("retry-after")).to.equal("3");
            s.faults.useProfile({ rate: 1, seed: 1, kinds: ["error"] });
            expect((await raw(s, "GET", path, { as: "alice" })).status).to.be.within(500, 599);
            s.faults.useProfile({ rate: 1, seed: 1, kinds: ["latency"], maxLatencyMs: 30 });
            expect((await raw(s, "GET", path, { as: "alice" })).status).to.equal(200);
            s.faults.useProfile(undefined);
            expect(s.requests().at(-1)?.fault).to.equal("delay");
            await createVpc(s, "alice", R1, "10.7.0.0/16");
        });
    });
});
