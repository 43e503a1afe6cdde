// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The `__checks` input: the one way the program's checks (sdk/graph.ts) reach each provider's `check`. The program
// builds every resource's facts once, runs the rules over the whole program and puts, per resource, its facts and
// its structured results into this versioned payload. The provider decodes it with `readChecks` (the only reader),
// fills facts that are still unknown from read-only lookups and re-runs only what those facts change; it never
// sends anything back. Keys starting with `__` are internal: the CLI's `--diff` display leaves them out and the
// providers' `diff` ignores them.

import { NotFinalRead } from "./plannedOutputs";
import { AccepterFacts, Deferred, PeeringFacts, RouteFacts, Violation, VpcFacts } from "./rules";

/** {@link CHECKS_PAYLOAD_VERSION} is the version of the payload this package writes and reads. */
export const CHECKS_PAYLOAD_VERSION = 1;

/** {@link DeclaredFacts} are the facts of one declared resource, as the rules take them (one field set). */
export interface DeclaredFacts {
    readonly vpc?: VpcFacts;
    readonly peering?: PeeringFacts;
    readonly route?: RouteFacts;
    readonly accepter?: AccepterFacts;
}

/** {@link SuppressedViolation} is a violation waived by a `suppressRules` entry, with its reason. */
export type SuppressedViolation = Violation & { readonly reason: string };

/** {@link ChecksPayload} is the JSON carried by a resource's `__checks` input. */
export interface ChecksPayload {
    readonly version: typeof CHECKS_PAYLOAD_VERSION;
    /** The resource's facts as the program knew them when its declarations settled. */
    readonly facts: DeclaredFacts;
    /** The violations whose subject is this resource (per-resource and program-wide rules), after suppressions. */
    readonly violations: readonly Violation[];
    /** The violations waived on this resource; the program already printed them. */
    readonly suppressed: readonly SuppressedViolation[];
    /** The rules deferred until apply on this resource; the program already printed them. */
    readonly deferred: readonly Deferred[];
    /** For a peering: the PeeringAccepter of the same program that accepts it, if any. */
    readonly acceptedBy?: string;
    /**
     * Facts the program read from upstream outputs this plan changes: unknown in `facts`, and the provider must not
     * fill them back from its inputs or lookups (they hold the old values) — the stack is checked again at apply.
     */
    readonly notFinal?: readonly NotFinalRead[];
}

/** {@link ChecksInput} is a decoded `__checks` input. */
export type ChecksInput =
    /** The program ran its checks: the provider adds only what its lookups change. */
    | ({ readonly ran: true } & ChecksPayload)
    /** No program-wide check (turned off, a resource registered without the SDK, or an unreadable payload). */
    | { readonly ran: false; readonly problem?: string };

/** {@link CHECKS_OFF} is the `__checks` value when the program-wide checks are turned off. */
export const CHECKS_OFF = "off";

/**
 * {@link encodeChecks} serialises a payload for the `__checks` input. Empty lists are left out ({@link readChecks}
 * reads a missing list as empty): the payload is stored in the state, which the engine serializes after every step.
 */
export function encodeChecks(p: Omit<ChecksPayload, "version">): string {
    const { violations, suppressed, deferred, ...rest } = p;
    const ifAny = <T>(key: string, list: readonly T[]) => (list.length > 0 ? { [key]: list } : {});
    return JSON.stringify({
        version: CHECKS_PAYLOAD_VERSION,
        ...rest,
        ...ifAny("violations", violations),
        ...ifAny("suppressed", suppressed),
        ...ifAny("deferred", deferred),
    });
}

/**
 * {@link readChecks} decodes a `__checks` input value. `"off"`, a missing or unknown value means the program-wide
 * check did not run; a payload of another version is not guessed at: `problem` says so and the provider runs every
 * rule itself.
 */
export function readChecks(value: unknown): ChecksInput {
    if (typeof value !== "string" || value === CHECKS_OFF || !value.startsWith("{")) return { ran: false };
    let parsed: Partial<ChecksPayload> & { version?: unknown };
    try {
        parsed = JSON.parse(value) as typeof parsed;
    } catch {
        return { ran: false, problem: "the __checks input is not valid JSON" };
    }
    if (parsed.version !== CHECKS_PAYLOAD_VERSION) {
        return {
            ran: false,
            problem:
                `the program's check payload has version ${JSON.stringify(parsed.version)}, this provider reads ` +
                `version ${CHECKS_PAYLOAD_VERSION}: use one version of pulumi-vpc-peering for the program and the provider`,
        };
    }
    const list = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : []);
    return {
        ran: true,
        version: CHECKS_PAYLOAD_VERSION,
        facts: parsed.facts && typeof parsed.facts === "object" ? parsed.facts : {},
        violations: list<Violation>(parsed.violations).filter((v) => typeof v?.rule === "string"),
        suppressed: list<SuppressedViolation>(parsed.suppressed).filter((v) => typeof v?.rule === "string"),
        deferred: list<Deferred>(parsed.deferred).filter((d) => typeof d?.rule === "string"),
        ...(typeof parsed.acceptedBy === "string" ? { acceptedBy: parsed.acceptedBy } : {}),
        ...(Array.isArray(parsed.notFinal) && parsed.notFinal.length ? { notFinal: parsed.notFinal } : {}),
    };
}
