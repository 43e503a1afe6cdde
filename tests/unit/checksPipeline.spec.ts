// The one-way check pipeline in isolation: the `__checks` payload's versioning, the provider's merge of the
// program's results with what its own lookups add (on rule and resources, never on text), and when the program's
// declarations settle, driven by a fake clock (a slow fact is awaited, never turned into a deferred check).

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";

import { CHECKS_OFF, ChecksPayload, encodeChecks, readChecks } from "../../core/checksPayload";
import { checkPeering, checkRoute, PeeringFacts, RouteFacts, Violation } from "../../core/rules";
import { finishCheck, setWarningSink } from "../../provider/resources/common";
import { declare, GraphClock, resetGraphForTests, withoutSentFacts } from "../../sdk/graph";

const REGION = "ap-southeast-1";

function payload(p: Partial<Omit<ChecksPayload, "version">>): string {
    return encodeChecks({ facts: {}, violations: [], suppressed: [], deferred: [], ...p });
}

describe("check pipeline: the __checks payload", () => {
    it("round-trips version 1 and says which version it is", () => {
        const text = payload({ acceptedBy: "acc" });
        expect(JSON.parse(text).version).to.equal(1);
        const c = readChecks(text);
        expect(c.ran).to.equal(true);
        expect(c.ran && c.acceptedBy).to.equal("acc");
    });
    it("leaves empty lists out of the text and reads them back as empty; a non-empty list goes whole", () => {
        const empty = payload({});
        expect(Object.keys(JSON.parse(empty))).to.deep.equal(["version", "facts"]);
        expect(readChecks(empty)).to.deep.equal({
            ran: true,
            version: 1,
            facts: {},
            violations: [],
            suppressed: [],
            deferred: [],
        });
        const d = {
            rule: "peering-cross-account-accept",
            resources: ["p"],
            reason: "the accepter's account is unknown",
        };
        const some = readChecks(payload({ deferred: [d as never] }));
        expect(some.ran && some.deferred).to.deep.equal([d]);
        expect(some.ran && some.violations).to.deep.equal([]);
    });
    it("does not guess at another version: the provider runs every rule itself and says why", () => {
        const c = readChecks(JSON.stringify({ version: 2, violations: [] }));
        expect(c.ran).to.equal(false);
        expect(!c.ran && c.problem).to.match(/version 2, this provider reads version 1/);
        const legacy = readChecks(JSON.stringify({ violations: [] }));
        expect(!legacy.ran && legacy.problem).to.match(/version undefined/);
    });
    it("off, missing, unknown and malformed values mean the program-wide check did not run", () => {
        for (const v of [CHECKS_OFF, undefined, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", 42]) {
            expect(readChecks(v)).to.deep.equal({ ran: false });
        }
        expect(readChecks("{not json")).to.deep.include({ ran: false });
    });
});

describe("check pipeline: the provider merges on (rule, resources)", () => {
    const warnings: string[] = [];
    let prev: (m: string) => void;
    before(() => (prev = setWarningSink((m) => warnings.push(m))));
    after(() => setWarningSink(prev));
    beforeEach(() => (warnings.length = 0));

    const a = { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" };
    const subject = { kind: "PeeringConnection" as const, name: "ab", label: "PeeringConnection 'ab'" };

    it("takes the program's violations as they are, and does not repeat one it words differently", () => {
        const facts: PeeringFacts = { name: "ab", requester: a, accepter: { ...a, name: "b" } };
        const program = checkPeering(facts).violations.map((v) => ({ ...v, message: `${v.message} (program)` }));
        const failures = finishCheck({
            subject,
            inputs: { __checks: payload({ facts: { peering: facts }, violations: program }) },
            inputFailures: [],
            given: checkPeering(facts),
            completed: checkPeering(facts),
        });
        expect(failures.map((f) => f.reason)).to.deep.equal(program.map((v) => v.message));
    });
    it("adds what only the provider's lookups found, once", () => {
        const given: PeeringFacts = {
            name: "ab",
            requester: a,
            accepter: { name: "vpc v-b", id: "v-b", region: REGION },
        };
        const completed: PeeringFacts = { ...given, accepter: { ...given.accepter, cidr: "10.0.128.0/17" } };
        const failures = finishCheck({
            subject,
            inputs: { __checks: payload({ facts: { peering: given } }) },
            inputFailures: [{ property: "name", reason: "bad name" }],
            given: checkPeering(given),
            completed: checkPeering(completed),
        });
        expect(failures.map((f) => f.reason)).to.have.length(2);
        expect(failures[0]).to.deep.equal({ property: "name", reason: "bad name" });
        expect(failures[1]!.reason).to.match(/^\[peering-cidr-overlap\]/);
    });
    it("adds nothing from its inputs or lookups when the program says some facts are not final (old values)", () => {
        const given: PeeringFacts = {
            name: "ab",
            requester: a,
            accepter: { name: "vpc v-b", id: "v-b", region: REGION },
        };
        // The accepter's CIDR input is the deployed value of an output this plan changes: it would overlap.
        const completed: PeeringFacts = { ...given, accepter: { ...given.accepter, cidr: "10.0.128.0/17" } };
        const notFinal = [{ stack: "organization/net/dev", output: "cidr", deployed: "10.0.128.0/17" }];
        const failures = finishCheck({
            subject,
            inputs: { __checks: payload({ facts: { peering: given }, notFinal }) },
            inputFailures: [{ property: "name", reason: "bad name" }],
            given: checkPeering(given),
            completed: checkPeering(completed),
        });
        expect(failures).to.deep.equal([{ property: "name", reason: "bad name" }]);
        expect(readChecks(payload({ notFinal })).ran && readChecks(payload({ notFinal }))).to.deep.include({
            notFinal,
        });
    });
    it("never re-adds a rule the program replaced with a more precise one (route-transitive for a blackhole)", () => {
        const route: RouteFacts = {
            name: "r",
            vpc: a,
            destination: "10.2.0.0/16",
            peering: { name: "ab", requester: a, accepter: { name: "b", cidr: "10.1.0.0/16", region: REGION } },
        };
        const transitive: Violation = {
            rule: "route-transitive",
            resources: ["r", "ab", "c"],
            property: "destination",
            fix: "peer directly",
            message: "[route-transitive] Route r. Fix: peer directly.",
        };
        const failures = finishCheck({
            subject: { kind: "Route", name: "r", label: "Route 'r'" },
            inputs: { __checks: payload({ facts: { route }, violations: [transitive] }) },
            inputFailures: [],
            given: checkRoute(route),
            completed: checkRoute(route),
        });
        expect(failures.map((f) => f.reason)).to.deep.equal([transitive.message]);
    });
    it("suppressions: the program's are not printed again; the provider prints only those of what it adds", () => {
        const facts: PeeringFacts = { name: "ab", requester: a, accepter: { ...a, name: "b" } };
        const v = checkPeering(facts).violations[0]!;
        const suppressRules = [{ rule: "peering-cidr-overlap", reason: "TICKET-1" }];
        expect(
            finishCheck({
                subject,
                inputs: {
                    suppressRules,
                    __checks: payload({ facts: { peering: facts }, suppressed: [{ ...v, reason: "TICKET-1" }] }),
                },
                inputFailures: [],
                given: checkPeering(facts),
                completed: checkPeering(facts),
            }),
        ).to.deep.equal([]);
        expect(warnings).to.deep.equal([]);
        expect(
            finishCheck({ subject, inputs: { suppressRules }, inputFailures: [], completed: checkPeering(facts) }),
        ).to.deep.equal([]);
        expect(warnings.join()).to.contain("peering-cidr-overlap suppressed (TICKET-1)");
    });
});

/** A clock driven by the test: immediates run when asked; timers fire only when the test advances time. */
class FakeClock implements GraphClock {
    now = 0;
    private immediates: Array<() => void> = [];
    private timers: Array<{ at: number; fn: () => void; id: number }> = [];
    private next = 1;
    setTimeout(fn: () => void, ms: number): unknown {
        const id = this.next++;
        this.timers.push({ at: this.now + ms, fn, id });
        return id;
    }
    clearTimeout(handle: unknown): void {
        this.timers = this.timers.filter((t) => t.id !== handle);
    }
    setImmediate(fn: () => void): void {
        this.immediates.push(fn);
    }
    get pendingTimers(): number {
        return this.timers.length;
    }
    /** Lets promises settle and runs the queued immediates, until nothing is left. */
    async drain(): Promise<void> {
        for (let i = 0; i < 50; i++) {
            await new Promise((r) => setImmediate(r));
            const q = this.immediates;
            this.immediates = [];
            q.forEach((f) => f());
        }
    }
    async tick(ms: number): Promise<void> {
        this.now += ms;
        const due = this.timers.filter((t) => t.at <= this.now);
        this.timers = this.timers.filter((t) => t.at > this.now);
        due.forEach((t) => t.fn());
        await this.drain();
    }
}

describe("check pipeline: when the program's declarations settle (fake clock)", () => {
    let clock: FakeClock;
    const logged: string[] = [];
    const origWarn = pulumi.log.warn;
    before(() => {
        (pulumi.log as { warn: unknown }).warn = (m: string) => {
            logged.push(m);
            return Promise.resolve();
        };
    });
    after(() => {
        (pulumi.log as { warn: unknown }).warn = origWarn;
        resetGraphForTests();
    });
    beforeEach(() => {
        clock = new FakeClock();
        resetGraphForTests(clock);
        logged.length = 0;
    });

    const settled = async (o: pulumi.Output<string>): Promise<ChecksPayload> => {
        const c = readChecks(await (o as unknown as { promise(): Promise<string> }).promise());
        if (!c.ran) throw new Error(`no payload: ${c.problem ?? "the checks did not run"}`);
        return c;
    };
    const ref = (id: string, cidr: unknown) => ({ id, cidr, region: REGION, account: "alice" });
    const state = (o: pulumi.Output<string>) => {
        let done = false;
        void (o as unknown as { promise(): Promise<string> }).promise().then(() => (done = true));
        return () => done;
    };

    it("settles once every fact is resolved, without any timer firing", async () => {
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: ref("v-b", "10.0.128.0/17"),
        });
        const isDone = state(d.checks);
        await clock.drain();
        expect(isDone()).to.equal(true);
        expect(clock.now).to.equal(0);
        expect(clock.pendingTimers).to.equal(0);
        expect((await settled(d.checks)).violations.map((v) => v.rule)).to.deep.equal(["peering-cidr-overlap"]);
    });

    it("waits for a slow fact however long it takes (short of the safety net): a failure stays a failure", async () => {
        let resolveCidr!: (v: string) => void;
        const slowCidr = new Promise<string>((r) => (resolveCidr = r));
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: ref("v-b", slowCidr),
        });
        const isDone = state(d.checks);
        await clock.tick(9_000); // a slow CI runner: far past the old 400 ms quiet period
        expect(isDone()).to.equal(false);
        resolveCidr("10.0.128.0/17");
        await clock.drain();
        expect(isDone()).to.equal(true);
        const p = await settled(d.checks);
        expect(p.violations.map((v) => v.rule)).to.deep.equal(["peering-cidr-overlap"]);
        expect(p.deferred.map((x) => x.rule)).to.not.include("peering-cidr-overlap");
    });

    it("a fact that never resolves is checked as unknown at the safety net, and the warning says so", async () => {
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: ref("v-b", new Promise<string>(() => undefined)),
        });
        const isDone = state(d.checks);
        await clock.tick(9_999);
        expect(isDone()).to.equal(false);
        await clock.tick(1);
        expect(isDone()).to.equal(true);
        const p = await settled(d.checks);
        expect(p.violations).to.deep.equal([]);
        expect(logged.join("\n")).to.match(/still unresolved after 10000 ms/);
    });

    it("declarations of one turn are checked together; a later one is checked against all of them", async () => {
        const a = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: ref("v-b", "10.1.0.0/16"),
        });
        await clock.drain();
        expect((await settled(a.checks)).violations).to.deep.equal([]);
        const b = declare("PeeringConnection", "ba", {
            requesterVpc: ref("v-b", "10.1.0.0/16"),
            accepterVpc: ref("v-a", "10.0.0.0/16"),
        });
        await clock.drain();
        expect((await settled(b.checks)).violations.map((v) => v.rule)).to.deep.equal(["peering-duplicate-pair"]);
    });

    it("the payload carries the facts once, VpcRef facts included", async () => {
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: { id: "v-b" },
        });
        await clock.drain();
        const p = await settled(d.checks);
        expect(p.facts.peering?.accepter).to.deep.include({
            id: "v-b",
            name: "vpc v-b",
            ref: "accepterVpc",
            region: REGION,
        });
        expect(p.deferred.find((x) => x.rule === "peering-cidr-overlap")?.reason).to.contain(
            "accepterVpc: { id, cidr }",
        );
    });

    it("`sent` resolves with the payload, to the very facts `__checks` carries", async () => {
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: { id: "v-b" },
        });
        await clock.drain();
        expect(await d.sent).to.deep.equal((await settled(d.checks)).facts);
    });

    it("a facts input leaves out what `__checks` already sends, keeps ids and what the program could not resolve", async () => {
        // The program knows no CIDR for the accepter (a VpcRef without one): the input's is kept.
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: { id: "v-b", region: REGION, account: "alice" },
        });
        await clock.drain();
        const sent = (await d.sent)?.peering;
        const side = (name: string, id: string, cidr: unknown, projectId: string) => ({
            name,
            id,
            cidr,
            region: REGION,
            account: "alice",
            projectId,
        });
        const input = {
            name: "ab",
            id: "pcx-1",
            requester: side("a", "v-a", "10.0.0.0/16", "p1"),
            accepter: side("b", "v-b", "10.1.0.0/16", "p2"),
        };
        expect(withoutSentFacts(input, sent)).to.deep.equal({
            id: "pcx-1",
            requester: { id: "v-a", projectId: "p1" },
            accepter: { id: "v-b", cidr: "10.1.0.0/16", projectId: "p2" },
        });
        // Nothing sent (checks off, or facts unresolved at the safety net): the input goes whole; an Output is not
        // looked into.
        expect(withoutSentFacts(input, undefined)).to.equal(input);
        const out = pulumi.output(input);
        expect(withoutSentFacts(out, sent)).to.equal(out);
    });

    it("facts still unresolved at the safety net are not sent, so the facts inputs keep them", async () => {
        const d = declare("PeeringConnection", "ab", {
            requesterVpc: ref("v-a", "10.0.0.0/16"),
            accepterVpc: ref("v-b", new Promise<string>(() => undefined)),
        });
        await clock.tick(10_000);
        expect((await d.sent)?.peering).to.equal(undefined);
    });

    it("a declaration with the checks off sends no facts, so its facts inputs go whole", async () => {
        const saved = process.env.VPCPEERING_GRAPH_CHECKS;
        process.env.VPCPEERING_GRAPH_CHECKS = "off";
        try {
            const d = declare("Vpc", "a", { cidr: "10.0.0.0/16", region: REGION, account: "alice" });
            expect(await d.sent).to.equal(undefined);
        } finally {
            if (saved === undefined) delete process.env.VPCPEERING_GRAPH_CHECKS;
            else process.env.VPCPEERING_GRAPH_CHECKS = saved;
        }
    });
});
