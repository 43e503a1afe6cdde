// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The orchestrator's plan file: which stacks exist, where their programs are, which accounts each may use, their
// config, and how they depend on each other. YAML or JSON:
//
//   stackName: dev                 # the stack name of every stack unless a stack says otherwise
//   parallel: 2                    # how many stacks may run at once
//   env: { VPCPEERING_POLL_INTERVAL: 1s }
//   stacks:
//     accepter-vpc:
//       program: accepter-vpc      # a folder with Pulumi.yaml, relative to the plan file
//       accounts: [bob]            # only these profiles of the accounts file are visible to the stack
//       config: { cidr: 10.40.0.0/16 }
//     requester:
//       program: requester
//       config:
//         accepterVpcId: ${accepter-vpc.vpcId}   # an output of another stack: an implicit dependency
//         region: ${env:REGION}                  # an environment variable, resolved when the plan is loaded
//
// Everything here is pure (the file system is reached through `readProject`), so plans are validated — unknown
// stacks, unknown references, cycles, typos in keys — before anything runs.
// The references inside config values are planReferences.ts, the dependency graph planGraph.ts (both exported
// from here too).

import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

import { planSchemaProblems } from "./planSchema";
import { findCycle } from "./planGraph";
import { ConfigValue, findReferences, substituteEnv } from "./planReferences";
import { readAccountsFile } from "../core/accountsFile";

export type { ConfigValue, OutputsByStack, Reference } from "./planReferences";
export { configString, findReferences, MissingOutputError, resolveValue } from "./planReferences";
export { dependencyMap, findCycle, reverseDeps, topologicalLevels, upstreamOf } from "./planGraph";

/** {@link PlanStack} is one stack of a {@link Plan}, resolved and validated. */
export interface PlanStack {
    /** The stack's name in the plan (the key under `stacks:`); used in references and progress lines. */
    readonly name: string;
    /** The program folder (absolute). */
    readonly program: string;
    /** The Pulumi project name, from the program's Pulumi.yaml. */
    readonly project: string;
    /** The short Pulumi stack name (e.g. `dev`). */
    readonly stackName: string;
    /** `organization/<project>/<stackName>`: the name on the file backend and in StackReferences. */
    readonly fqName: string;
    /** Account profiles the stack may use; undefined = every profile of the accounts file. */
    readonly accounts?: readonly string[];
    /** Extra environment variables for this stack's CLI runs (over the plan's `env`). */
    readonly env: Readonly<Record<string, string>>;
    /** Plain config values (may reference other stacks' outputs). */
    readonly config: Readonly<Record<string, ConfigValue>>;
    /** Secret config values (may reference other stacks' outputs). */
    readonly secretConfig: Readonly<Record<string, ConfigValue>>;
    /** Every stack this one depends on: `dependsOn` plus the stacks its config references. Sorted. */
    readonly dependsOn: readonly string[];
    /** An explicit stack config file (absolute); default: one the orchestrator keeps in its work dir. */
    readonly configFile?: string;
}

/** {@link Plan} is a parsed and validated plan file. */
export interface Plan {
    /** The plan file (absolute), when loaded from one. */
    readonly file?: string;
    /** The folder relative paths are resolved against. */
    readonly baseDir: string;
    /** A display name (default: the plan file's name). */
    readonly name: string;
    /** How many stacks may run at once (>= 1). */
    readonly parallel: number;
    /** Environment for every stack. */
    readonly env: Readonly<Record<string, string>>;
    /** The accounts file (absolute) the per-stack `accounts` lists filter; default: `$VPCPEERING_ACCOUNTS_FILE`. */
    readonly accountsFile?: string;
    /** Backend URL (`file://…`, …) or folder; default: the orchestrator's choice. */
    readonly backend?: string;
    /** Where the orchestrator keeps stack config files and filtered accounts files (absolute). */
    readonly workDir?: string;
    /** The stacks, in file order. */
    readonly stacks: readonly PlanStack[];
}

/** {@link PlanError} lists every problem found in a plan; nothing has run when it is thrown. */
export class PlanError extends Error {
    constructor(
        readonly problems: readonly string[],
        readonly file?: string,
    ) {
        super(
            `${file ? `plan ${file}` : "the plan"} is not valid (nothing was run):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "PlanError";
    }
}

/** {@link ParseOptions} tunes {@link parsePlan}. */
export interface ParseOptions {
    /** The plan file's path (for messages and as the default base folder). */
    readonly file?: string;
    /** Relative paths are resolved against this folder. @default the plan file's folder, else the cwd */
    readonly baseDir?: string;
    /** `yaml` or `json`. @default from the file extension; YAML (a JSON superset) otherwise */
    readonly format?: "yaml" | "json";
    /** Environment for `${env:NAME}`. @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** Reads a program folder's project name; undefined when there is no Pulumi.yaml. @default reads the disk */
    readonly readProject?: (dir: string) => { name?: string } | undefined;
    /**
     * The accounts file given outside the plan (`--accounts-file`); it wins over the plan's `accountsFile`, which wins
     * over `VPCPEERING_ACCOUNTS_FILE` of `env` — the file that `accounts:` lists are checked against.
     */
    readonly accountsFile?: string;
    /** Reads an accounts file's profile names (to check `accounts:` lists). @default reads the disk */
    readonly readAccountNames?: (file: string) => string[] | undefined;
}

const PULUMI_STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Reads a program folder's Pulumi.yaml (`.yml` too) and returns its parsed content, or undefined. */
export function readProjectFile(dir: string): { name?: string } | undefined {
    for (const f of ["Pulumi.yaml", "Pulumi.yml"]) {
        const p = path.join(dir, f);
        if (fs.existsSync(p)) {
            const doc = YAML.parse(fs.readFileSync(p, "utf8")) as unknown;
            return doc && typeof doc === "object" ? (doc as { name?: string }) : {};
        }
    }
    return undefined;
}

function readAccountNamesFromDisk(file: string): string[] | undefined {
    try {
        return readAccountsFile(file, "profiles").accounts.map((a) => a.name);
    } catch {
        return undefined;
    }
}

function isRecord(x: unknown): x is Record<string, unknown> {
    return !!x && typeof x === "object" && !Array.isArray(x);
}

// The readers below trust the schema check for types and names: a value of the wrong shape was reported there and is
// read here as absent.

function stringMap(x: unknown): Record<string, string> {
    if (!isRecord(x)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(x)) if (v !== null && typeof v !== "object") out[k] = String(v);
    return out;
}

function configMap(x: unknown): Record<string, ConfigValue> {
    return isRecord(x) ? (x as Record<string, ConfigValue>) : {};
}

function stringList(x: unknown): string[] | undefined {
    const list = typeof x === "string" ? [x] : x;
    return Array.isArray(list) && list.every((s) => typeof s === "string" && s !== "") ? (list as string[]) : undefined;
}

/** {@link parsePlan} parses and validates a plan; it throws a {@link PlanError} listing every problem. */
export function parsePlan(text: string, opts: ParseOptions = {}): Plan {
    const problems: string[] = [];
    const file = opts.file ? path.resolve(opts.file) : undefined;
    const baseDir = path.resolve(opts.baseDir ?? (file ? path.dirname(file) : process.cwd()));
    const env = opts.env ?? process.env;
    const readProject = opts.readProject ?? readProjectFile;
    const readAccountNames = opts.readAccountNames ?? readAccountNamesFromDisk;
    const format = opts.format ?? (file && /\.json$/i.test(file) ? "json" : "yaml");

    let doc: unknown;
    try {
        doc = format === "json" ? JSON.parse(text) : YAML.parse(text);
    } catch (e) {
        throw new PlanError([`cannot parse it as ${format.toUpperCase()}: ${(e as Error).message}`], file);
    }
    if (!isRecord(doc)) throw new PlanError(["it must be a map with a `stacks:` entry"], file);
    // The shape (keys, types, names) comes from schema/plan.schema.json; the rest below is what a schema cannot say.
    problems.push(...planSchemaProblems(doc));
    const missingEnv = new Set<string>();
    const envOf = (v: unknown): ConfigValue => substituteEnv(v as ConfigValue, env, (n) => missingEnv.add(n));
    const str = (v: unknown): string | undefined =>
        typeof v === "string" && v !== "" ? (envOf(v) as string) : undefined;

    const defaultStackName = str(doc.stackName) ?? "dev";
    if (!PULUMI_STACK_NAME.test(defaultStackName)) problems.push(`stackName "${defaultStackName}" is not a stack name`);
    const parallel =
        typeof doc.parallel === "number" && Number.isInteger(doc.parallel) && doc.parallel >= 1 ? doc.parallel : 2;
    const planEnv = envOf(stringMap(doc.env)) as Record<string, string>;
    const resolvePath = (p: string | undefined): string | undefined => (p ? path.resolve(baseDir, p) : undefined);
    const accountsFile = resolvePath(str(doc.accountsFile));
    const backendRaw = str(doc.backend);
    const backend = backendRaw && !/^[a-z0-9]+:\/\//i.test(backendRaw) ? resolvePath(backendRaw) : backendRaw;
    const workDir = resolvePath(str(doc.workDir));

    const rawStacks = doc.stacks;
    if (!isRecord(rawStacks) || Object.keys(rawStacks).length === 0) {
        throw new PlanError([...problems, ...[...missingEnv].map((n) => `\${env:${n}}: ${n} is not set`)], file);
    }
    const names = Object.keys(rawStacks);
    const stacks: PlanStack[] = [];
    // Accounts are checked against the file the run will use, however it is given (as the runner picks it).
    const [accountsSource, checkedAccountsFile] = opts.accountsFile
        ? ["--accounts-file", path.resolve(opts.accountsFile)]
        : accountsFile
          ? ["accountsFile", accountsFile]
          : env["VPCPEERING_ACCOUNTS_FILE"]
            ? ["VPCPEERING_ACCOUNTS_FILE", path.resolve(env["VPCPEERING_ACCOUNTS_FILE"])]
            : [undefined, undefined];
    const accountNames = checkedAccountsFile ? readAccountNames(checkedAccountsFile) : undefined;
    if (checkedAccountsFile && accountNames === undefined) {
        problems.push(`${accountsSource} ${checkedAccountsFile} cannot be read`);
    }

    for (const name of names) {
        const where = `stacks.${name}`;
        const raw = rawStacks[name];
        if (!isRecord(raw)) continue; // the schema said so
        const programRel = str(raw.program);
        let program = "";
        let project = "";
        if (programRel) {
            program = path.resolve(baseDir, programRel);
            let proj: { name?: string } | undefined;
            try {
                proj = readProject(program);
            } catch (e) {
                problems.push(`${where}.program: cannot read ${program}/Pulumi.yaml: ${(e as Error).message}`);
            }
            if (proj === undefined) problems.push(`${where}.program: no Pulumi.yaml in ${program}`);
            else if (typeof proj.name !== "string" || !proj.name) {
                problems.push(`${where}.program: ${program}/Pulumi.yaml has no project name`);
            } else project = proj.name;
        }
        const stackName = str(raw.stackName) ?? defaultStackName;
        if (!PULUMI_STACK_NAME.test(stackName)) problems.push(`${where}.stackName "${stackName}" is not a stack name`);
        const accounts = stringList(raw.accounts);
        if (accounts && accountNames) {
            for (const a of accounts) {
                if (!accountNames.includes(a)) {
                    problems.push(
                        `${where}.accounts: "${a}" is not in ${checkedAccountsFile} (${accountNames.join(", ")})`,
                    );
                }
            }
        }
        const config = envOf(configMap(raw.config)) as Record<string, ConfigValue>;
        const secretConfig = envOf(configMap(raw.secretConfig)) as Record<string, ConfigValue>;
        for (const k of Object.keys(secretConfig)) {
            if (k in config) problems.push(`${where}: "${k}" is in both config and secretConfig`);
        }
        const explicit = stringList(raw.dependsOn) ?? [];
        const deps = new Set<string>();
        for (const d of explicit) {
            if (d === name) problems.push(`${where}.dependsOn: a stack cannot depend on itself`);
            else if (!names.includes(d)) problems.push(`${where}.dependsOn: unknown stack "${d}"`);
            else deps.add(d);
        }
        for (const [key, value] of [...Object.entries(config), ...Object.entries(secretConfig)]) {
            for (const ref of findReferences(value)) {
                if (!ref.stack || !ref.output) {
                    problems.push(
                        `${where}.config.${key}: ${ref.text} must name a stack and an output (\${stack.output})`,
                    );
                } else if (ref.stack === name) {
                    problems.push(`${where}.config.${key}: ${ref.text} refers to the stack itself`);
                } else if (!names.includes(ref.stack)) {
                    problems.push(`${where}.config.${key}: ${ref.text} refers to unknown stack "${ref.stack}"`);
                } else deps.add(ref.stack);
            }
        }
        const stackEnv = envOf(stringMap(raw.env)) as Record<string, string>;
        stacks.push({
            name,
            program,
            project,
            stackName,
            fqName: `organization/${project || "?"}/${stackName}`,
            accounts,
            env: stackEnv,
            config,
            secretConfig,
            dependsOn: [...deps].sort(),
            configFile: resolvePath(str(raw.configFile)),
        });
    }
    for (const n of missingEnv) problems.push(`\${env:${n}}: the environment variable ${n} is not set`);
    const seen = new Map<string, string>();
    for (const s of stacks) {
        if (!s.project) continue;
        const other = seen.get(s.fqName);
        if (other) problems.push(`stacks ${other} and ${s.name} are the same Pulumi stack ${s.fqName}`);
        else seen.set(s.fqName, s.name);
    }
    const cycle = findCycle(new Map(stacks.map((s) => [s.name, s.dependsOn])));
    if (cycle) problems.push(`dependency cycle: ${cycle.join(" → ")}`);
    if (problems.length) throw new PlanError(problems, file);
    return {
        file,
        baseDir,
        name: (typeof doc.name === "string" && doc.name) || (file ? path.basename(file) : "plan"),
        parallel,
        env: planEnv,
        accountsFile,
        backend,
        workDir,
        stacks,
    };
}

/** {@link loadPlan} reads and validates a plan file. */
export function loadPlan(file: string, opts: Omit<ParseOptions, "file"> = {}): Plan {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PlanError([`cannot read it: ${(e as Error).message}`], path.resolve(file));
    }
    return parsePlan(text, { ...opts, file });
}

/** {@link selectStacks} narrows a plan to the named stacks (for `--stack`); unknown names throw a PlanError. */
export function selectStacks(plan: Plan, names: readonly string[]): PlanStack[] {
    const unknown = names.filter((n) => !plan.stacks.some((s) => s.name === n));
    if (unknown.length) {
        throw new PlanError(
            unknown.map(
                (n) => `--stack ${n}: no such stack (the plan has ${plan.stacks.map((s) => s.name).join(", ")})`,
            ),
            plan.file,
        );
    }
    return plan.stacks.filter((s) => names.includes(s.name));
}
