// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The public API of the local API server (`pulumi-vpc-peering/emulator`).

export { startServer } from "./server";
export type { RequestLogEntry, RunningServer, ServerOptions } from "./server";
export type { FaultHandle, FaultInjector, FaultKind, FaultSpec, FiredFault } from "./faults";
export type { Quotas } from "./context";
export {
    AccountDirectory,
    AccountsFileError,
    DEMO_REGIONS,
    demoAccounts,
    loadAccountsFile,
    validateAccountsFile,
} from "./accounts";
export type { AccountSpec, AccountsFile, ProjectRef } from "./accounts";
export { ApiError, Errors } from "./errors";
export type { ErrorFamily } from "./errors";
export { ROUTES } from "./router";
export { DATABASE_FILE_NAME } from "./store";
