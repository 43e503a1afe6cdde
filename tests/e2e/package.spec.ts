// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The package as a user gets it: `npm pack` of this repository, installed with `@pulumi/pulumi` into a fresh
// project in the temp folder (no repository around it), a small user program run through `pulumi preview`, `up`
// and `destroy` by the real engine, against the API server started from the installed `peering-api` bin.

import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { expect } from "chai";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";

import { createApiClient } from "../../provider/client/client";
import { REPO_ROOT } from "../helpers/e2e";
import { getPulumiCommand, TempBackend, withTempBackend } from "../helpers/pulumi";

const PROGRAM = `const { Vpc, PeeringConnection, Route } = require("pulumi-vpc-peering");

const region = "ap-southeast-1";
const shop = new Vpc("shop", { cidr: "10.30.0.0/16", region, account: "alice" });
const payments = new Vpc("payments", { cidr: "10.40.0.0/16", region, account: "alice" });
const peering = new PeeringConnection("shop-payments", { requesterVpc: shop, accepterVpc: payments });
new Route("shop-to-payments", { vpc: shop, destination: payments.cidr, peeringConnection: peering });
new Route("payments-to-shop", { vpc: payments, destination: shop.cidr, peeringConnection: peering });

exports.peeringStatus = peering.status;
`;

/** npm, run by the Node that runs the tests (Node 22 under `npm test`). */
function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
    const cli = process.env["npm_execpath"];
    const [cmd, argv] = cli && /npm-cli\.js$/.test(cli) ? [process.execPath, [cli, ...args]] : ["npm", args];
    return execFileSync(cmd, argv, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Starts the installed `peering-api serve` and resolves with its URL from the `listening` log line. */
function startInstalledServer(bin: string, cwd: string, env: NodeJS.ProcessEnv): Promise<[ChildProcess, string]> {
    const child = spawn(
        bin,
        ["serve", "--port", "0", "--in-memory", "--vpc-ready-delay", "50", "--write-accounts", "accounts.json"],
        { cwd, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`peering-api exited with ${code}: ${stderr}`)));
        readline.createInterface({ input: child.stdout! }).on("line", (line) => {
            const entry = JSON.parse(line) as { msg?: string; url?: string };
            if (entry.msg === "listening") resolve([child, entry.url!]);
        });
    });
}

describe("e2e: the npm package installed into a fresh project outside the repository", function () {
    let dir: string;
    let project: string;
    let packedFiles: string[];
    let backend: TempBackend;
    let server: ChildProcess | undefined;
    let url: string;
    let stack: Stack;
    // Node 22 first on PATH, as a user's shell would have it (the bins' `#!/usr/bin/env node`).
    const env = { ...process.env, PATH: [path.dirname(process.execPath), process.env["PATH"]].join(path.delimiter) };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-vpc-peering-pack-"));
        // dist/ is fresh: `npm test` builds before mocha runs, so pack skips the prepare build.
        const [pack] = JSON.parse(
            npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], REPO_ROOT, env),
        );
        packedFiles = (pack.files as Array<{ path: string }>).map((f) => f.path);
        project = path.join(dir, "my-peering");
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-peering", private: true }));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: my-peering\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
        const pulumiVersion = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).devDependencies[
            "@pulumi/pulumi"
        ] as string;
        npm(
            [
                "install",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                path.join(dir, pack.filename),
                `@pulumi/pulumi@${pulumiVersion}`,
            ],
            project,
            env,
        );
        [server, url] = await startInstalledServer(
            path.join(project, "node_modules", ".bin", "peering-api"),
            project,
            env,
        );
        backend = withTempBackend({ prefix: "pulumi-vpc-peering-pack-state-" });
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "dev", workDir: project },
            {
                pulumiCommand: await getPulumiCommand(),
                envVars: {
                    ...backend.envVars,
                    VPCPEERING_ENDPOINT: url,
                    VPCPEERING_ACCOUNTS_FILE: path.join(project, "accounts.json"),
                    VPCPEERING_POLL_INTERVAL: "100ms",
                },
            },
        );
    });

    after(async () => {
        server?.kill("SIGTERM");
        backend?.cleanup();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    function alice() {
        const accounts = JSON.parse(fs.readFileSync(path.join(project, "accounts.json"), "utf8"));
        const a = accounts.accounts.find((x: { name: string }) => x.name === "alice");
        return createApiClient({
            endpoint: `${url}/ap-southeast-1`,
            projectId: a.projects["ap-southeast-1"],
            auth: { type: "aksk", accessKey: a.accessKey, secretKey: a.secretKey },
            deadline: Date.now() + 60_000,
            account: "alice",
        });
    }

    it("ships the built core, sdk, provider, emulator and orchestrator with README and LICENSE — no tests, sources or maps", () => {
        const allowed =
            /^(package\.json|README\.md|LICENSE|scripts\/(prepare|toolchain)\.js|scripts\/toolchain\/(go\.mod|go\.sum|cmd\/.+\.go)|schema\/plan\.schema\.json|dist\/(core|sdk|provider|emulator|orchestrator)\/.+\.(js|d\.ts))$/;
        expect(packedFiles.filter((f) => !allowed.test(f))).to.deep.equal([]);
        expect(packedFiles).to.include.members([
            "LICENSE",
            "README.md",
            "dist/sdk/index.js",
            "dist/core/rules.js",
            "dist/emulator/cli.js",
            "schema/plan.schema.json",
            // peering-stacks finds (or builds) the Pulumi CLI with these.
            "scripts/toolchain.js",
            "scripts/toolchain/go.mod",
        ]);
        const installed = path.join(project, "node_modules", "pulumi-vpc-peering");
        expect(fs.existsSync(path.join(installed, "dist", "tests"))).to.equal(false);
        expect(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).private).to.equal(undefined);
        const version = execFileSync(path.join(project, "node_modules", ".bin", "peering-stacks"), ["--version"], {
            env,
            encoding: "utf8",
        });
        expect(version.trim()).to.match(/^peering-stacks \d+\.\d+\.\d+/);
    });

    it("previews, deploys, refreshes and destroys a user program against the installed peering-api (short __provider)", async () => {
        const preview = await stack.preview({ color: "never" });
        expect(preview.changeSummary).to.deep.equal({ create: 6 });
        expect(await alice().listVpcs()).to.have.length(0);

        const up = await stack.up({ color: "never" });
        expect(up.summary.result).to.equal("succeeded");
        expect(up.outputs["peeringStatus"]!.value).to.equal("ACTIVE");
        expect((await alice().listVpcs()).map((v) => v.cidr).sort()).to.deep.equal(["10.30.0.0/16", "10.40.0.0/16"]);

        // Installed, each resource's serialized provider is a short require() of the package's export for its kind,
        // in its inputs and its outputs (not the ~2.6 KB of methods by value); refresh and destroy load it.
        const state = (await stack.exportStack()).deployment as {
            resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
        };
        const ours = state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/peering:"));
        expect(ours.map((r) => r.type.split(":").pop()).sort()).to.deep.equal([
            "PeeringConnection",
            "Route",
            "Route",
            "Vpc",
            "Vpc",
        ]);
        for (const r of ours) {
            const kind = r.type.split(":").pop()!;
            const exportName = `pulumi-vpc-peering/provider/${kind[0]!.toLowerCase()}${kind.slice(1)}`;
            for (const text of [r.inputs?.["__provider"], r.outputs?.["__provider"]] as string[]) {
                const requires = [...text.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1]);
                expect(requires).to.deep.equal([JSON.stringify(exportName)]);
                expect(text.length).to.be.below(400);
            }
        }
        const refresh = await stack.refresh({ color: "never" });
        expect(refresh.summary.resourceChanges).to.deep.equal({ same: 6 });

        const destroy = await stack.destroy({ color: "never" });
        expect(destroy.summary.resourceChanges).to.deep.equal({ delete: 6 });
        expect(await alice().listVpcs()).to.have.length(0);
    });

    it("runs the installed peering-stacks on a plan of the user's program (it locates the Pulumi CLI itself)", () => {
        const plan = path.join(dir, "plan.yaml");
        fs.writeFileSync(plan, `stacks:\n    app: { program: ${project} }\n`);
        const out = execFileSync(
            path.join(project, "node_modules", ".bin", "peering-stacks"),
            ["preview", "--plan", plan, "--work-dir", path.join(dir, "stacks")],
            {
                cwd: project,
                env: {
                    ...env,
                    VPCPEERING_ENDPOINT: url,
                    VPCPEERING_ACCOUNTS_FILE: path.join(project, "accounts.json"),
                },
                encoding: "utf8",
            },
        );
        // Five of ours; the counts leave out Pulumi's own stack resource.
        expect(out, out).to.match(/\[app\] preview: 5 to create/);
        expect(out).to.contain("preview succeeded");
    });
});
