// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The public API of `pulumi-vpc-peering`: four Pulumi dynamic resources for VPC peering. Loading this module never
// loads the provider code (`pulumi-vpc-peering/provider`); the provider host requires that at call time.

export { Vpc, vpcProvider, isVpcRef } from "./vpc";
export type { VpcArgs, VpcState, VpcRef, Timeouts, RuleSuppression } from "./vpc";
export { PeeringConnection, peeringConnectionProvider } from "./peeringConnection";
export type { PeeringConnectionArgs, PeeringConnectionState, VpcFacts } from "./peeringConnection";
export { PeeringAccepter, peeringAccepterProvider } from "./peeringAccepter";
export type { PeeringAccepterArgs, PeeringAccepterState, PeeringFacts } from "./peeringAccepter";
export { Route, routeProvider } from "./route";
export type { RouteArgs, RouteState } from "./route";
