// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The API's times as the callers model them: the wire's `yyyy-MM-ddTHH:mm:ss` (UTC without a zone) parsed once, and
// a pending peering request's expiry — the API's `expires_at`, else created + the platform's pending lifetime. The
// provider's outputs and `verify`'s live model both read them here, so the two cannot disagree.

import { PENDING_ACCEPTANCE_MS } from "../../core/rules";
import type { PeeringDto } from "./types";

/** {@link parseApiTime} parses the API's `yyyy-MM-ddTHH:mm:ss` (UTC without a zone) or any ISO time; else `undefined`. */
export function parseApiTime(t: string | undefined): Date | undefined {
    if (!t) return undefined;
    const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`;
    const d = new Date(withZone);
    return Number.isNaN(d.getTime()) ? undefined : d;
}

/** {@link pendingExpiryOf} is when a pending peering request expires (ISO), or `undefined` when it is not pending. */
export function pendingExpiryOf(p: PeeringDto): string | undefined {
    if (p.status !== "PENDING_ACCEPTANCE") return undefined;
    const explicit = parseApiTime(p.expires_at);
    if (explicit) return explicit.toISOString();
    const created = parseApiTime(p.created_at);
    return created ? new Date(created.getTime() + PENDING_ACCEPTANCE_MS).toISOString() : undefined;
}
