// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The serialized providers, as the Pulumi host sees them: serialize → load from the string → call. The text
// must hold no credentials and no module reference except `require("pulumi-vpc-peering/provider")` — here, in
// the repository, where the self-link resolves outside node_modules and Pulumi stores the methods by value. The
// short form of an installed package (`require("pulumi-vpc-peering/provider/vpc")`) is checked on the real engine
// by tests/e2e/package.spec.ts.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";

import { resetConfiguration } from "../../provider/config";
import { peeringAccepterProvider, peeringConnectionProvider, routeProvider, vpcProvider } from "../../sdk";
import { REPO_ROOT } from "../helpers/e2e";
import { Harness, REGION, startHarness, withEnv } from "./harness";

const requireFromString: (code: string) => {
    handler: () => pulumi.dynamic.ResourceProvider;
} = require("require-from-string");

const KINDS = {
    Vpc: vpcProvider,
    PeeringConnection: peeringConnectionProvider,
    PeeringAccepter: peeringAccepterProvider,
    Route: routeProvider,
} as const;

async function serialize(provider: pulumi.dynamic.ResourceProvider) {
    return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

type Loaded = Required<pulumi.dynamic.ResourceProvider>;

describe("serialized providers", function () {
    let h: Harness;
    before(async () => {
        h = await startHarness();
    });
    after(async () => h.close());

    for (const [kind, provider] of Object.entries(KINDS)) {
        it(`${kind}: holds no credentials and requires only pulumi-vpc-peering/provider`, async () => {
            // Credentials are present in the environment and in the stack config while serializing.
            const alice = h.server.accounts.find((a) => a.name === "alice")!;
            await withEnv(
                {
                    VPCPEERING_PROFILE_ALICE_SECRET_KEY: alice.secretKey,
                    VPCPEERING_PROFILE_ALICE_ACCESS_KEY: alice.accessKey,
                },
                async () => {
                    const { text, containsSecrets } = await serialize(provider);
                    expect(containsSecrets).to.equal(false);
                    for (const a of h.server.accounts) {
                        expect(text).to.not.contain(a.secretKey);
                        expect(text).to.not.contain(a.accessKey);
                    }
                    expect(text).to.not.match(/secretKey|accessKey|axios|127\.0\.0\.1/);
                    const requires = [...text.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1]);
                    expect(new Set(requires)).to.deep.equal(new Set(['"pulumi-vpc-peering/provider"']));
                    expect(text.length).to.be.below(4000);
                    expect((await serialize(provider)).text).to.equal(text); // stable: the same text on every run
                },
            );
        });
    }

    it("round trip: the loaded providers configure themselves and manage a cross-account peering end to end", async () => {
        const load = async (p: pulumi.dynamic.ResourceProvider) =>
            requireFromString((await serialize(p)).text).handler() as Loaded;
        const vpc = await load(vpcProvider);
        const pcx = await load(peeringConnectionProvider);
        const acc = await load(peeringAccepterProvider);
        const route = await load(routeProvider);

        // Profiles come from stack config through `configure`, as the host passes them (secrets decrypted).
        const profiles = Object.fromEntries(
            h.server.accounts.map((a) => [
                a.name,
                { accessKey: a.accessKey, secretKey: a.secretKey, projects: a.projects },
            ]),
        );
        await withEnv({ VPCPEERING_ACCOUNTS_FILE: undefined }, async () => {
            await vpc.configure({
                config: {
                    get: (k: string) => (k === "vpcpeering:profiles" ? JSON.stringify(profiles) : undefined),
                    require: () => "",
                },
            } as never);
            try {
                const aIn = {
                    name: h.unique("ser-a"),
                    cidr: "10.0.0.0/16",
                    region: REGION,
                    account: "alice",
                    __resourceName: "a",
                };
                const bIn = {
                    name: h.unique("ser-b"),
                    cidr: "10.1.0.0/16",
                    region: REGION,
                    account: "bob",
                    __resourceName: "b",
                };
                expect((await vpc.check({}, aIn)).failures).to.deep.equal([]);
                const a = await vpc.create(aIn);
                const b = await vpc.create(bIn);
                const pcIn = {
                    name: h.unique("ser-ab"),
                    region: REGION,
                    account: "alice",
                    requesterVpcId: a.id,
                    accepterVpcId: b.id,
                    peerProjectId: b.outs.projectId,
                    requester: { name: "a", cidr: "10.0.0.0/16", region: REGION, account: "alice" },
                    accepter: { name: "b", cidr: "10.1.0.0/16", region: REGION, account: "bob" },
                };
                const checked = await pcx.check({}, pcIn);
                expect(checked.failures).to.deep.equal([]);
                expect(await pcx.diff("x", { ...pcIn, status: "ACTIVE" }, checked.inputs)).to.deep.include({
                    changes: false,
                });
                const pc = await pcx.create(checked.inputs);
                expect(pc.outs.status).to.equal("PENDING_ACCEPTANCE");
                const accepted = await acc.create({ peeringConnectionId: pc.id, account: "bob", region: REGION });
                expect(accepted.outs.status).to.equal("ACTIVE");
                const r = await route.create({
                    vpcId: a.id,
                    destination: "10.1.0.0/16",
                    peeringConnectionId: pc.id,
                    region: REGION,
                    account: "alice",
                });
                expect((await route.read(r.id, r.outs)).id).to.equal(r.id);
                expect((await pcx.read(pc.id, pc.outs)).props.status).to.equal("ACTIVE");
                await route.delete(r.id, r.outs);
                await acc.delete(pc.id, accepted.outs);
                await pcx.delete(pc.id, pc.outs);
                await vpc.delete(a.id, a.outs);
                await vpc.delete(b.id, b.outs);
            } finally {
                resetConfiguration();
            }
        });
    });

    it("package exports: pulumi-vpc-peering/provider/<kind> is the very object each resource passes to Pulumi", () => {
        expect(require("pulumi-vpc-peering/provider/vpc")).to.equal(vpcProvider);
        expect(require("pulumi-vpc-peering/provider/peeringConnection")).to.equal(peeringConnectionProvider);
        expect(require("pulumi-vpc-peering/provider/peeringAccepter")).to.equal(peeringAccepterProvider);
        expect(require("pulumi-vpc-peering/provider/route")).to.equal(routeProvider);
    });

    it("a copy under node_modules that Pulumi's package lookup does not find falls back to the by-value form", async () => {
        // A program folder whose node_modules holds a copy of the package, next to links to everything else
        // (so @pulumi/pulumi is the repository's, which resolves pulumi-vpc-peering to the repository itself).
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpcpeering-copy-"));
        const modules = path.join(dir, "node_modules");
        const copy = path.join(modules, "pulumi-vpc-peering");
        fs.mkdirSync(path.join(copy, "dist"), { recursive: true });
        for (const name of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
            if (name !== "pulumi-vpc-peering")
                fs.symlinkSync(path.join(REPO_ROOT, "node_modules", name), path.join(modules, name));
        }
        fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(copy, "package.json"));
        for (const d of ["sdk", "provider"])
            fs.cpSync(path.join(REPO_ROOT, "dist", d), path.join(copy, "dist", d), { recursive: true });
        const cwd = process.cwd();
        process.chdir(dir);
        try {
            const shim = require(path.join(copy, "dist", "sdk", "providers", "shim.js"));
            const exported = require(path.join(copy, "dist", "sdk", "providers", "vpc.js"));
            // Stored by name, this copy would be written as a require() of its file, which its exports refuse.
            const byName = (await serialize(exported)).text;
            expect(byName).to.contain('require("pulumi-vpc-peering/dist/sdk/providers/vpc.js")');
            expect(() => requireFromString(byName)).to.throw(/not defined by "exports"|ERR_PACKAGE_PATH_NOT_EXPORTED/);
            const provider = shim.providerFor("vpc");
            expect(provider).to.not.equal(exported);
            const { text } = await serialize(provider);
            const requires = [...text.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1]);
            expect(new Set(requires)).to.deep.equal(new Set(['"pulumi-vpc-peering/provider"']));
            const loaded = requireFromString(text).handler() as Loaded;
            const checked = await loaded.check(
                {},
                { cidr: "10.0.0.0/16", region: REGION, account: "alice", __resourceName: "a" },
            );
            expect(checked.failures).to.deep.equal([]);
        } finally {
            process.chdir(cwd);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
