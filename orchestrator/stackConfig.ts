// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Stack config files live in the orchestrator's work dir (`--config-file`), never in the program folders, so one
// program can serve several plans and backends without their config colliding. Each run rewrites a stack's config
// from the plan, with the `${stack.output}` references resolved, and keeps the file's other settings (the secrets
// salt) as they are.

import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

import { OutputsByStack, PlanStack, configString, resolveValue } from "./plan";
import type { ConfigEntry, DriverStack } from "./stackDriver";

/** {@link configFile} is the stack's config file (outside the program folder). */
export function configFile(s: PlanStack, workDir: string): string {
    return s.configFile ?? path.join(workDir, "config", `${s.project}.${s.stackName}.yaml`);
}

/** {@link inTreeConfigFile} is where Pulumi itself would keep the stack's config: in the program folder. */
export function inTreeConfigFile(s: PlanStack): string {
    return path.join(s.program, `Pulumi.${s.stackName}.yaml`);
}

/**
 * {@link applyConfig} writes the stack's config (references resolved) into its config file. Throws a
 * `MissingOutputError` before touching the file when an upstream output it reads does not exist.
 */
export async function applyConfig(
    s: PlanStack,
    stack: DriverStack,
    outputs: OutputsByStack,
    workDir: string,
    signal?: AbortSignal,
): Promise<void> {
    // Resolve everything first: a missing output must not leave the config file half rewritten.
    const entries: ConfigEntry[] = [];
    for (const [secretSet, values] of [
        [false, s.config],
        [true, s.secretConfig],
    ] as const) {
        for (const [key, raw] of Object.entries(values)) {
            const r = resolveValue(raw, outputs);
            entries.push({ key, value: configString(r.value), secret: secretSet || r.secret });
        }
    }
    const file = configFile(s, workDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const inTree = inTreeConfigFile(s);
    let doc: Record<string, unknown> = {};
    if (fs.existsSync(file)) doc = (YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) ?? {};
    else if (fs.existsSync(inTree)) {
        doc = (YAML.parse(fs.readFileSync(inTree, "utf8")) as Record<string, unknown>) ?? {};
    }
    delete doc.config;
    fs.writeFileSync(file, YAML.stringify(doc));
    if (entries.length === 0) return;
    await stack.setConfig(file, entries, signal);
}
