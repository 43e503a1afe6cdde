// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Loads Node 22's built-in `node:sqlite` (no native addon to compile or download; see DEVELOPERS.md) and
// silences exactly one warning: the "SQLite is an experimental feature" ExperimentalWarning that Node prints
// the first time the module is loaded. Every other warning still goes through.

type SqliteModule = typeof import("node:sqlite");

let loaded: SqliteModule | undefined;

function isSqliteExperimentalWarning(warning: unknown, type: unknown): boolean {
    const name = warning instanceof Error ? warning.name : typeof type === "string" ? type : undefined;
    const message = warning instanceof Error ? warning.message : String(warning);
    return name === "ExperimentalWarning" && /SQLite is an experimental feature/i.test(message);
}

/** {@link loadSqlite} returns `node:sqlite`, loading it once without its ExperimentalWarning. */
export function loadSqlite(): SqliteModule {
    if (loaded) return loaded;
    const original = process.emitWarning;
    const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
        const options = rest[0];
        const type =
            typeof options === "string"
                ? options
                : options && typeof options === "object"
                  ? (options as { type?: unknown }).type
                  : undefined;
        if (isSqliteExperimentalWarning(warning, type)) return;
        return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
    } as typeof process.emitWarning;
    process.emitWarning = filtered;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = require("node:sqlite") as SqliteModule;
    } catch (e) {
        throw new Error(
            `node:sqlite is not available in Node ${process.version} (${(e as Error).message}); the API server needs ` +
                "Node 22.5 or later: run it through npm/npx in this repository, which use the pinned Node 22",
        );
    } finally {
        if (process.emitWarning === filtered) process.emitWarning = original;
    }
    return loaded;
}
