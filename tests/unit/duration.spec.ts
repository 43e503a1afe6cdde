// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import { expect } from "chai";

import { DurationError, parseDuration, requireDuration } from "../../core/duration";

describe("the duration grammar (provider, API server, environment, customTimeouts)", () => {
    it("reads Go/Pulumi durations, days and bare milliseconds", () => {
        const cases: Array<[string | number, number]> = [
            ["0", 0],
            ["250", 250],
            ["250ms", 250],
            ["90s", 90_000],
            ["10m", 600_000],
            ["1h30m", 5_400_000],
            ["1.5h", 5_400_000],
            [".5s", 500],
            ["7d", 604_800_000],
            ["2h45m30s", 9_930_000],
            ["1500us", 2],
            [42, 42],
        ];
        for (const [text, ms] of cases) expect(parseDuration(text), JSON.stringify(text)).to.equal(ms);
    });

    it("refuses what a lax parser would guess at", () => {
        for (const text of ["", " ", "soon", "10 minutes", "1h 30m", "5m3", "1,5s", "-5s", "+5s", "3w", "1e3", "10x"]) {
            expect(parseDuration(text), JSON.stringify(text)).to.equal(undefined);
        }
        expect(parseDuration(-1)).to.equal(undefined);
        expect(parseDuration(Number.NaN)).to.equal(undefined);
    });

    it("names the setting in the error", () => {
        expect(() => requireDuration("--pending-ttl", "1 week")).to.throw(
            DurationError,
            /--pending-ttl must be a duration/,
        );
        expect(requireDuration("--pending-ttl", "1h30m")).to.equal(5_400_000);
    });
});
