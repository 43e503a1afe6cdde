// End-to-end test helpers: the project's pinned, offline Pulumi CLI for the Automation API.
//
//   const pulumiCommand = await getPulumiCommand();
//   const backend = withTempBackend();
//   const stack = await LocalWorkspace.createOrSelectStack(
//       { stackName: "dev", workDir },
//       { pulumiCommand, envVars: backend.envVars },
//   );
//   ...
//   backend.cleanup();
//
// The CLI comes from scripts/toolchain.js (built on first use, ~5 min cold, then cached outside the repo).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { loadToolchain, ToolchainModule } from "../../orchestrator/environment";

type Toolchain = ReturnType<ToolchainModule["ensurePulumi"]>;

// The orchestrator's one locator of scripts/toolchain.js (plain CommonJS outside the TypeScript build).
const toolchain = loadToolchain();

let cached: Toolchain | undefined;

/** Build (first time only) and locate the pinned CLI. Synchronous; builds print progress on stderr. */
export function ensurePulumi(): Toolchain {
    cached ??= toolchain.ensurePulumi();
    return cached;
}

/** A `PulumiCommand` for `LocalWorkspace` options (`{ pulumiCommand }`), using the pinned CLI. */
export async function getPulumiCommand(): Promise<PulumiCommand> {
    return PulumiCommand.get({ root: ensurePulumi().root });
}

/** The offline environment (file backend, passphrase, PULUMI_HOME, PATH with Node 22 first, ...). */
export function offlineEnv(opts: Parameters<ToolchainModule["offlineEnv"]>[0]): Record<string, string> {
    return toolchain.offlineEnv({ binDir: ensurePulumi().binDir, ...opts });
}

export interface TempBackend {
    /** The temporary directory holding `state/` and `home/`. */
    dir: string;
    backendDir: string;
    pulumiHome: string;
    /** Pass as `envVars` to `LocalWorkspace` (or merge over `process.env` for a child process). */
    envVars: Record<string, string>;
    /** Delete the temporary directory. */
    cleanup(): void;
}

/** A fresh file backend and PULUMI_HOME in a temp directory, with the matching offline environment. */
export function withTempBackend(opts: { passphrase?: string; prefix?: string } = {}): TempBackend {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix ?? "pulumi-vpc-peering-e2e-"));
    const backendDir = path.join(dir, "state");
    const pulumiHome = path.join(dir, "home");
    const envVars = offlineEnv({ backendDir, pulumiHome, passphrase: opts.passphrase });
    return {
        dir,
        backendDir,
        pulumiHome,
        envVars,
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
