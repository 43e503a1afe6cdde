// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The orchestrator's programmatic API (the `peering-stacks` CLI is a thin layer over it).

export * from "./plan";
export * from "./schedule";
export * from "./events";
export * from "./report";
export * from "./runner";
export * from "./verify";
export * from "./verifyDrift";
export * from "./verifyLive";
export * from "./verifyReport";
