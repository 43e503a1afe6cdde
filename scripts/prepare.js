#!/usr/bin/env node
// npm "prepare": runs after `npm ci` / `npm install` in this repository, before `npm pack` / `npm publish`, and
// when the package is installed from git (npm then clones it, installs its devDependencies and runs this
// before packing it).
//
// 1. In a development checkout, links the package to itself under node_modules, so that example programs in
//    this repository and the dynamic provider host resolve `require("pulumi-vpc-peering/provider")` exactly as
//    they do for a user who installed the package. Not done when the package itself sits inside a
//    node_modules folder (installed as a dependency): there the user's node_modules already resolves it.
// 2. Builds the TypeScript sources with tsc. When TypeScript is not installed (a dependency install, where
//    devDependencies are absent), the shipped dist/ is used as it is; without a dist/ that is an error.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const installedAsDependency = root.split(path.sep).includes("node_modules");

if (!installedAsDependency) {
    const link = path.join(root, "node_modules", "pulumi-vpc-peering");
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
        const st = fs.lstatSync(link);
        if (!st.isSymbolicLink()) fs.rmSync(link, { recursive: true, force: true });
        else fs.unlinkSync(link);
    } catch {
        /* not there yet */
    }
    fs.symlinkSync("..", link, "dir");
}

let tsc;
try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
    tsc = undefined;
}
if (tsc) {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
} else if (!fs.existsSync(path.join(root, "dist", "sdk", "index.js"))) {
    console.error("pulumi-vpc-peering: TypeScript is not installed and dist/ is missing: run `npm install` first");
    process.exit(1);
}
