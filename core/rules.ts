// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The platform rules for VPC peering, each a pure function with a stable rule id, in files by family under
// rules/ and listed in one registry (rules/registry.ts). The same functions are used by the program-wide checks
// (sdk/graph.ts), by each provider's `check`, by the orchestrator, and by the API server where the server also
// refuses. Facts that are `undefined` are unknown until apply: a rule that needs them is reported as deferred
// (said out loud), never silently passed. This file is the one import path for all of it.

export { RULES, RULE_TITLES, subjectKindOf } from "./rules/registry";
export type { RuleId, RuleSpec, SubjectKind } from "./rules/registry";
export { violationKey } from "./rules/facts";
export type {
    AccepterFacts,
    CheckOutcome,
    Deferred,
    PeeringFacts,
    RouteFacts,
    Suppression,
    Violation,
    VpcFacts,
} from "./rules/facts";
export { checkCidrValue, checkVpc, isPrivateBlock } from "./rules/cidrRules";
export {
    checkDuplicatePairs,
    checkPeering,
    findDuplicatePair,
    holdsPair,
    isCrossAccount,
    isSelfPeering,
    PENDING_ACCEPTANCE_DAYS,
    PENDING_ACCEPTANCE_MS,
    PEERING_STATUSES,
    TERMINAL_PEERING_STATUSES,
} from "./rules/peeringRules";
export {
    checkRoute,
    checkRouteTable,
    exceedsRouteQuota,
    isSameDestination,
    MAX_ROUTES_PER_VPC,
    overlapsOwnVpc,
    peerSide,
} from "./rules/routeRules";
export { checkAccepter } from "./rules/accepterRules";
export { checkMesh } from "./rules/meshRules";
export { checkProgram } from "./rules/program";
export type { ProgramGraph } from "./rules/program";
export { applySuppressions, validateSuppressions } from "./rules/suppressions";
