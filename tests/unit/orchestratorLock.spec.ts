// Waiting for a stack locked by another run: retried until the lock timeout, one message while waiting, a clear
// error with the way out (`peering-stacks unlock`) after it; other errors pass through at once.
import { expect } from "chai";

import { LockTimeoutError, isLockedError, lockHolder, waitForLock } from "../../orchestrator/lock";

const LOCKED =
    "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the " +
    "lock file with `pulumi cancel`.\n  postgres://****:****@127.0.0.1:5432/.pulumi/locks/organization/p/dev/x.json: " +
    "created by runner@ci-7 (pid 4242) at 2026-12-02T05:00:00Z";

describe("orchestrator: lock wait", () => {
    it("recognises the DIY backends' and the service's lock errors, and who holds the lock", () => {
        expect(isLockedError(new Error(LOCKED))).to.equal(true);
        expect(isLockedError("[409] Conflict: Another update is currently in progress.")).to.equal(true);
        expect(isLockedError(new Error("error: no stack named dev found"))).to.equal(false);
        expect(lockHolder(new Error(LOCKED))).to.equal("runner@ci-7 (pid 4242) at 2026-12-02T05:00:00Z");
    });

    it("tries again while locked, saying so once, and returns the result once the lock is free", async () => {
        let calls = 0;
        const waits: string[] = [];
        const r = await waitForLock(
            async () => {
                if (++calls < 4) throw new Error(LOCKED);
                return "done";
            },
            { stack: "net", timeoutMs: 60_000, pollMs: 1, onWait: (m) => waits.push(m) },
        );
        expect(r).to.equal("done");
        expect(calls).to.equal(4);
        expect(waits).to.have.length(1);
        expect(waits[0]).to.match(
            /^waiting for the lock: the stack is locked by another run \(runner@ci-7 \(pid 4242\)/,
        );
    });

    it("gives up after the timeout with one clear message naming the unlock command; other errors at once", async () => {
        let calls = 0;
        const err = await waitForLock(
            async () => {
                calls++;
                throw new Error(LOCKED);
            },
            { stack: "net", timeoutMs: 0, onWait: () => expect.fail("no wait with a zero timeout") },
        ).catch((e: unknown) => e);
        expect(calls).to.equal(1);
        expect(err).to.be.instanceOf(LockTimeoutError);
        expect((err as Error).message).to.equal(
            "the stack is locked by another run (runner@ci-7 (pid 4242) at 2026-12-02T05:00:00Z) (--lock-timeout 0); " +
                "if no run is using it any more (a killed or cancelled job), clear the lock with " +
                "`peering-stacks unlock --stack net`",
        );
        const other = await waitForLock(
            async () => {
                throw new Error("boom");
            },
            { stack: "net", timeoutMs: 60_000, onWait: () => expect.fail("not a lock error") },
        ).catch((e: unknown) => e);
        expect((other as Error).message).to.equal("boom");
    });
});
