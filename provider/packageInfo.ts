// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The package's own name and version, for `--version` and messages. Read from package.json at run time (two
// levels above the compiled file: dist/provider/ → the package root) rather than compiled in, so that tsc does not
// copy package.json into dist/.

import { readFileSync } from "node:fs";
import * as path from "node:path";

/** {@link PACKAGE_ROOT} is the folder holding this package's package.json (the repository, or node_modules/…). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** {@link packageVersion} is the `version` of this package's package.json. */
export function packageVersion(): string {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
    return pkg.version;
}
