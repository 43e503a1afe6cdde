// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import { expect } from "chai";

import { NotFoundError } from "../../provider/client/errors";
import { WaitTimeoutError, pollDelays, waitUntil } from "../../provider/client/waiters";

describe("waiters", () => {
    it("back off from an eighth of the interval, doubling, up to the interval", () => {
        const delays = pollDelays(2000);
        expect(Array.from({ length: 6 }, () => delays.next().value)).to.deep.equal([250, 500, 1000, 2000, 2000, 2000]);
    });

    it("return an initial value that is already done without polling", async () => {
        let polls = 0;
        const v = await waitUntil({
            what: "x",
            initial: "OK",
            poll: async () => {
                polls++;
                return "OK";
            },
            done: (s) => s === "OK",
            deadline: Date.now() + 5000,
            intervalMs: 8,
        });
        expect(v).to.equal("OK");
        expect(polls).to.equal(0);
    });

    it("judge the initial value first, then poll until done", async () => {
        const seen = ["CREATING", "OK"];
        let polls = 0;
        const v = await waitUntil({
            what: "x",
            initial: "CREATING",
            poll: async () => seen[polls++]!,
            done: (s) => s === "OK",
            deadline: Date.now() + 5000,
            intervalMs: 8,
        });
        expect(v).to.equal("OK");
        expect(polls).to.equal(2);
    });

    it("fail at once on a failed initial value, and time out with the last value seen", async () => {
        const failed = waitUntil({
            what: "x",
            initial: "ERROR",
            poll: async () => "OK",
            done: (s) => s === "OK",
            failed: (s) => (s === "ERROR" ? "it failed" : undefined),
            deadline: Date.now() + 5000,
        });
        await failed.then(
            () => expect.fail("resolved"),
            (e: Error) => expect(e.message).to.equal("it failed"),
        );
        const timedOut = waitUntil({
            what: "VPC v to become OK",
            poll: async (): Promise<string> => {
                throw new NotFoundError({ method: "GET", path: "/v1/p/vpcs/v", status: 404 });
            },
            done: () => false,
            tolerateNotFound: true,
            deadline: Date.now() + 30,
            intervalMs: 16,
        });
        await timedOut.then(
            () => expect.fail("resolved"),
            (e: Error) => {
                expect(e).to.be.instanceOf(WaitTimeoutError);
                expect(e.message).to.equal("timed out waiting for VPC v to become OK (it was still not found)");
            },
        );
    });
});
