// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The short fault soak in CI: two up/destroy cycles of the cross-account example and a small mesh on the
// real engine, against a server injecting ~10 % faults. The long run is `npm run soak -- --cycles N`.

import { expect } from "chai";
import { formatFigures, runSoak } from "../soak/soak";

describe("e2e: fault soak (short)", function () {
    it("2 cycles under ~10 % faults: no duplicates, no orphans, state equals the API, destroy leaves 0", async () => {
        const lines: string[] = [];
        const figures = await runSoak({ cycles: 2, rate: 0.1, seed: 11, log: (l) => lines.push(l) });
        const report = formatFigures(figures, 0.1);
        expect(figures.cycles, report).to.equal(2);
        const injected = Object.values(figures.faults).reduce((a, b) => a + b, 0);
        expect(injected, report).to.be.greaterThan(0);
        expect(figures.duplicates, report).to.equal(0);
        expect(figures.orphans, report).to.equal(0);
        expect(figures.missing, report).to.equal(0);
        expect(figures.leftAfterDestroy, report).to.equal(0);
    });
});
