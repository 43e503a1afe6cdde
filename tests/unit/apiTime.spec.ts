// The API's times: the zone-less wire format is UTC, and a pending request's expiry (the provider's `expiresAt`
// output and `verify`'s live model both read pendingExpiryOf).
import { expect } from "chai";

import { parseApiTime, pendingExpiryOf } from "../../provider/client/apiTime";
import type { PeeringDto } from "../../provider/client/types";
import { PENDING_ACCEPTANCE_DAYS } from "../../core/rules";

function peering(p: Partial<PeeringDto>): PeeringDto {
    return { id: "p-1", name: "p", status: "PENDING_ACCEPTANCE", ...p } as PeeringDto;
}

describe("API times", () => {
    it("reads the wire's zone-less time as UTC, keeps an explicit zone, and gives undefined for garbage", () => {
        expect(parseApiTime("2026-12-02T10:00:00")?.toISOString()).to.equal("2026-12-02T10:00:00.000Z");
        expect(parseApiTime("2026-12-02T10:00:00+02:00")?.toISOString()).to.equal("2026-12-02T08:00:00.000Z");
        expect(parseApiTime("yesterday")).to.equal(undefined);
        expect(parseApiTime(undefined)).to.equal(undefined);
    });

    it("a pending request expires when the API says, else the platform's lifetime after it was created", () => {
        expect(
            pendingExpiryOf(peering({ expires_at: "2026-12-05T00:00:00", created_at: "2026-12-01T00:00:00" })),
        ).to.equal("2026-12-05T00:00:00.000Z");
        const created = Date.parse("2026-12-01T00:00:00Z");
        expect(pendingExpiryOf(peering({ created_at: "2026-12-01T00:00:00" }))).to.equal(
            new Date(created + PENDING_ACCEPTANCE_DAYS * 86_400_000).toISOString(),
        );
        expect(pendingExpiryOf(peering({}))).to.equal(undefined);
    });

    it("a request that is no longer pending has no expiry", () => {
        for (const status of ["ACTIVE", "REJECTED", "EXPIRED"] as const) {
            expect(pendingExpiryOf(peering({ status, created_at: "2026-12-01T00:00:00" }))).to.equal(undefined);
        }
    });
});
