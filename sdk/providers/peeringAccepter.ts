// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The provider object of every PeeringAccepter, as this module's whole exports, so that Pulumi can store it as
// `require("pulumi-vpc-peering/provider/peeringAccepter")` (see ./shim.ts).

import { providerShim } from "./shim";

export = providerShim("peeringAccepterProvider");
