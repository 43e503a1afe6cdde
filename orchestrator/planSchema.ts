// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The plan file's shape is schema/plan.schema.json (JSON Schema draft-07, shipped in the package so editors can
// use it: `# yaml-language-server: $schema=./node_modules/pulumi-vpc-peering/schema/plan.schema.json`). This module
// validates a parsed plan document against that schema with Ajv and words the errors the way the rest of the plan
// checks do (`stacks.b: unknown key "depends_on" (known: …)`); plan.ts then checks what a schema cannot
// (programs on disk, references, cycles, accounts).

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

import { PACKAGE_ROOT } from "../provider/packageInfo";

/** {@link PLAN_SCHEMA_FILE} is the plan file's JSON Schema (absolute path). */
export const PLAN_SCHEMA_FILE = path.join(PACKAGE_ROOT, "schema", "plan.schema.json");

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
    if (!validator) {
        const schema = JSON.parse(fs.readFileSync(PLAN_SCHEMA_FILE, "utf8")) as object;
        validator = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
    }
    return validator;
}

function where(instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".");
}

function describe(e: ErrorObject): string | undefined {
    const at = where(e.instancePath);
    const prefix = at ? `${at}: ` : "";
    switch (e.keyword) {
        case "additionalProperties": {
            const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
            return `${prefix}unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" (known: ${known.join(", ")})`;
        }
        case "required": {
            const missing = (e.params as { missingProperty: string }).missingProperty;
            return `${at ? `${at}.` : ""}${missing} is missing${missing === "program" ? " (the program folder)" : ""}`;
        }
        case "propertyNames":
            return at === "stacks"
                ? `stacks.${(e.params as { propertyName: string }).propertyName}: "${(e.params as { propertyName: string }).propertyName}" is not a valid name (letters, digits, _ . -)`
                : `${prefix}"${(e.params as { propertyName: string }).propertyName}" is not a config key (key or namespace:key)`;
        case "pattern":
        case "anyOf":
            // Reported by the propertyNames / type errors that go with them.
            return e.instancePath === "" || e.keyword === "pattern" ? undefined : `${at} must be a list of names`;
        case "minProperties":
            return at === "stacks"
                ? "stacks: must name at least one stack (a map of stack name to { program, ... })"
                : undefined;
        case "minimum":
        case "type":
            if (at === "parallel") return "parallel must be a whole number >= 1";
            if (/\.accounts(\.|$)/.test(at)) return undefined; // the anyOf error says it once
            return `${at} must be ${(e.params as { type?: string }).type ?? "valid"}`;
        case "minLength":
            return /\.accounts(\.|$)/.test(at) ? undefined : `${at} must be a non-empty string`;
        default:
            return `${prefix}${e.message ?? "is not valid"}`;
    }
}

/** {@link planSchemaProblems} validates a parsed plan document; an empty list means it has the plan's shape. */
export function planSchemaProblems(doc: unknown): string[] {
    const validate = compiled();
    if (validate(doc)) return [];
    return [...new Set((validate.errors ?? []).map(describe).filter((m): m is string => m !== undefined))];
}
