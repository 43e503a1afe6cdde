// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The provider side of the package, loaded by the dynamic provider host at call time with
// `require("pulumi-vpc-peering/provider")` (see the provider objects in sdk/vpc.ts, sdk/peeringConnection.ts, ...).
// Never serialized itself: the objects stored in `__provider` only hold that require() call, so upgrading this code
// upgrades every resource in state.

export { configure, resetConfiguration } from "./config";
export type { AccountProfile, Timeouts } from "./config";
export { vpcProvider } from "./resources/vpcProvider";
export type { VpcInputs, VpcOutputs } from "./resources/vpcProvider";
export { peeringConnectionProvider } from "./resources/peeringConnectionProvider";
export type { PeeringConnectionInputs, PeeringConnectionOutputs } from "./resources/peeringConnectionProvider";
export { peeringAccepterProvider } from "./resources/peeringAccepterProvider";
export type { PeeringAccepterInputs, PeeringAccepterOutputs } from "./resources/peeringAccepterProvider";
export { routeProvider } from "./resources/routeProvider";
export type { RouteInputs, RouteOutputs } from "./resources/routeProvider";
export { createApiClient } from "./client/client";
export type { ApiClient, ApiClientOptions, ApiAuth } from "./client/client";
export * from "./client/errors";
