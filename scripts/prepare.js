#!/usr/bin/env node
// Runs after `npm ci` / `npm install` (npm "prepare"): builds the TypeScript sources and links the
// package to itself under node_modules, so that example programs in this repository and the dynamic
// provider host resolve `require("pulumi-vpc-peering/provider")` exactly as they would for a user who
// installed the package from a registry.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-vpc-peering");
try {
    const st = fs.lstatSync(link);
    if (!st.isSymbolicLink()) fs.rmSync(link, { recursive: true, force: true });
    else fs.unlinkSync(link);
} catch {
    /* not there yet */
}
fs.symlinkSync("..", link, "dir");

execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
});
