// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// peering-stacks' command line: the commands, the options, the `--help` text, and `parseArgs`, which refuses a bad
// command line with a UsageError (exit code 2) before anything runs.

import { parseArgs as parseNodeArgs } from "node:util";

import { DURATION_EXAMPLES, parseDuration } from "../core/duration";

/** The commands, in the order `--help` lists them. */
export const COMMANDS = [
    "preview",
    "up",
    "destroy",
    "refresh",
    "status",
    "validate",
    "workflow",
    "unlock",
    "verify",
] as const;
/** {@link Command} is one of the {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** {@link CliArgs} are the parsed command-line arguments. */
export interface CliArgs {
    command?: Command;
    plan?: string;
    stacks: string[];
    report?: string;
    json?: string;
    svg?: string;
    workDir?: string;
    backend?: string;
    parallel?: number;
    accountsFile?: string;
    title?: string;
    refresh: boolean;
    skipPreview: boolean;
    events?: string;
    /** verify: VPC ids to verify (with or without a plan). */
    vpcs: string[];
    /** verify: the region of VPCs no state names. */
    region?: string;
    out?: string;
    lockTimeoutMs?: number;
    help: boolean;
    version: boolean;
}

/** Thrown for bad arguments (exit code 2). */
export class UsageError extends Error {}

/** {@link usage} is the `peering-stacks --help` text. */
export function usage(): string {
    return `peering-stacks — run a plan of Pulumi stacks in dependency order, and preview them for a PR

Usage: peering-stacks <command> [--plan FILE] [options]

Commands:
  preview    preview every stack (or --stack); with --report/--json/--svg, write the PR report
  up         deploy in dependency order; independent stacks in parallel; outputs passed to dependents
  destroy    destroy in reverse dependency order (dependents first)
  refresh    refresh in dependency order
  status     what the backend holds for each stack: resources, last update, outputs, pending acceptances
  validate   check the plan (unknown stacks and references, cycles, programs) and print the order
  verify     after apply, read-only: does every peering carry traffic both ways, and what drifted from the
             stacks' states (with the commands that reconcile it); --report/--json/--svg; exit 1 if broken.
             Without a plan: --accounts-file FILE --vpc ID [--vpc ID…] verifies the peerings of those VPCs
  unlock     remove the lock a killed run left on --stack NAME (pulumi cancel; only when no run uses it)
  workflow   print (or --out FILE) a GitHub Actions workflow: one job per stack, needs: from the plan

Options:
  -p, --plan FILE           the plan (YAML or JSON); default ./peering-stacks.yaml, else ./plan.yaml
  -s, --stack NAME          only this stack (repeatable); its upstream must already be deployed
      --report FILE         preview: write the Markdown report (a PR comment)
      --json FILE           write the result as JSON (preview report, run report or status)
      --svg FILE            preview: write the topology as SVG (default: the report's path with .svg)
      --title TEXT          preview/verify: the report's heading
      --vpc ID              verify: also (or, without --plan, only) the peerings of this VPC (repeatable)
      --region NAME         verify: the region of VPCs no stack records (default: $VPCPEERING_REGION or ap-southeast-1)
      --skip-preview        up: do not preview each stack first (by default a failing preview stops it unchanged)
      --events DIR          preview: also save each stack's engine events (<stack>.jsonl) for debugging
      --refresh             preview: read the live state first (statuses such as PENDING_ACCEPTANCE are current)
      --parallel N          how many stacks may run at once (default: the plan's, else 2)
      --work-dir DIR        where stack config files live (default: the plan's, else <plan dir>/.peering-stacks)
      --backend URL|DIR     the Pulumi backend (default: the plan's, else $PULUMI_BACKEND_URL, else <work dir>/state)
      --accounts-file FILE  the accounts file the stacks' \`accounts:\` filter (default: $VPCPEERING_ACCOUNTS_FILE)
      --lock-timeout DUR    wait this long for a stack locked by another run (default 2m; 0: fail at once)
      --out FILE            workflow: write the workflow here (e.g. .github/workflows/stacks.yml) instead of stdout
  -h, --help                this text
      --version             print the version

Stops at the first failure (up/destroy/refresh) and reports what ran, what failed and what did not start.
SIGINT/SIGTERM cancel: no new stack starts, running ones finish their in-flight steps and release their locks,
the summary is printed; a second signal stops at once.
Exit codes: 0 success; 1 a stack or a preview failed; 2 the plan or the arguments are invalid (nothing ran);
130/143 cancelled by SIGINT/SIGTERM.
`;
}

const OPTIONS = {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
    plan: { type: "string", short: "p" },
    stack: { type: "string", short: "s", multiple: true },
    report: { type: "string" },
    json: { type: "string" },
    svg: { type: "string" },
    events: { type: "string" },
    "skip-preview": { type: "boolean" },
    refresh: { type: "boolean" },
    title: { type: "string" },
    "work-dir": { type: "string" },
    backend: { type: "string" },
    "accounts-file": { type: "string" },
    out: { type: "string" },
    "lock-timeout": { type: "string" },
    parallel: { type: "string" },
    vpc: { type: "string", multiple: true },
    region: { type: "string" },
} as const;

/** {@link parseArgs} parses the command line (without `node` and the script) with Node's `util.parseArgs`. */
export function parseArgs(argv: readonly string[]): CliArgs {
    let parsed;
    try {
        parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
        throw new UsageError(nodeArgsMessage(e as Error));
    }
    const v = parsed.values;
    const [command, ...extra] = parsed.positionals;
    if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
        throw new UsageError(`unknown command ${command} (one of ${COMMANDS.join(", ")})`);
    }
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]} (the command is ${command})`);
    const a: CliArgs = {
        command: command as Command | undefined,
        plan: v.plan,
        stacks: v.stack ?? [],
        report: v.report,
        json: v.json,
        svg: v.svg,
        events: v.events,
        title: v.title,
        workDir: v["work-dir"],
        backend: v.backend,
        accountsFile: v["accounts-file"],
        vpcs: v.vpc ?? [],
        region: v.region,
        out: v.out,
        refresh: Boolean(v.refresh),
        skipPreview: Boolean(v["skip-preview"]),
        help: Boolean(v.help),
        version: Boolean(v.version),
    };
    if (v.parallel !== undefined) {
        if (!/^\d+$/.test(v.parallel) || Number(v.parallel) < 1) {
            throw new UsageError(`--parallel needs a whole number >= 1 (got ${JSON.stringify(v.parallel)})`);
        }
        a.parallel = Number(v.parallel);
    }
    if (v["lock-timeout"] !== undefined) {
        a.lockTimeoutMs = parseDuration(v["lock-timeout"]);
        if (a.lockTimeoutMs === undefined) {
            throw new UsageError(
                `--lock-timeout needs a duration like ${DURATION_EXAMPLES} (got ${JSON.stringify(v["lock-timeout"])})`,
            );
        }
    }
    if (a.help || a.version) return a;
    if (!a.command) throw new UsageError(`give a command (one of ${COMMANDS.join(", ")})`);
    if (a.skipPreview && a.command !== "up") throw new UsageError("--skip-preview goes with up");
    if ((a.report || a.svg || a.title) && a.command !== "preview" && a.command !== "verify") {
        throw new UsageError("--report, --svg and --title go with preview or verify");
    }
    if ((a.refresh || a.events) && a.command !== "preview")
        throw new UsageError("--events and --refresh go with preview");
    if ((a.vpcs.length || a.region) && a.command !== "verify")
        throw new UsageError("--vpc and --region go with verify");
    if (a.out && a.command !== "workflow") throw new UsageError("--out goes with workflow");
    if (a.command === "unlock" && a.stacks.length === 0) {
        throw new UsageError("unlock needs --stack NAME: say which stack's lock to remove");
    }
    return a;
}

/** Node's parseArgs messages, shortened to what the user typed. */
function nodeArgsMessage(e: Error): string {
    const unknown = /Unknown option '([^']+)'/.exec(e.message);
    if (unknown) return `unknown option ${unknown[1]}`;
    const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(e.message);
    if (missing) return `${missing[1]} needs a value`;
    return e.message;
}
