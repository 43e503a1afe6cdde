// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.

import axios from "axios";
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "chai";

import {
    ConfigError,
    DEFAULT_TIMEOUT_MS,
    configure,
    endpointFor,
    findProfile,
    projectFor,
    requireProfile,
    resetConfiguration,
    timeoutFor,
} from "../../provider/config";
import { vpcProvider } from "../../provider/resources/vpcProvider";
import { Harness, REGION, OTHER_REGION, startHarness, withEnv } from "./harness";

const configOf = (values: Record<string, unknown>) => ({ config: { get: (k: string) => values[k] } });

describe("provider configuration", function () {
    afterEach(() => resetConfiguration());

    describe("account profiles", () => {
        it("reads vpcpeering:profiles from stack config (object or JSON text), ahead of the environment", async () => {
            await withEnv(
                { VPCPEERING_PROFILE_ALICE_ACCESS_KEY: "ENV-AK", VPCPEERING_PROFILE_ALICE_SECRET_KEY: "env" },
                async () => {
                    configure(
                        configOf({
                            "vpcpeering:profiles": JSON.stringify({
                                alice: {
                                    accessKey: "CFG-AK",
                                    secretKey: "cfg",
                                    projects: { [REGION]: "a".repeat(32) },
                                },
                            }),
                        }),
                    );
                    const p = requireProfile("alice");
                    expect(p).to.include({
                        accessKey: "CFG-AK",
                        secretKey: "cfg",
                        source: "stack config vpcpeering:profiles.alice",
                    });
                    expect(projectFor(p, REGION)).to.equal("a".repeat(32));
                    configure(
                        configOf({ "vpcpeering:profiles": { alice: { token: "T", projectId: "b".repeat(32) } } }),
                    );
                    expect(requireProfile("alice")).to.include({ token: "T" });
                    resetConfiguration();
                    expect(requireProfile("alice")).to.include({
                        accessKey: "ENV-AK",
                        source: "environment VPCPEERING_PROFILE_ALICE_*",
                    });
                },
            );
        });

        it("reads per-region project ids from the environment", async () => {
            await withEnv(
                {
                    VPCPEERING_PROFILE_MY_ACCT_ACCESS_KEY: "AK",
                    VPCPEERING_PROFILE_MY_ACCT_SECRET_KEY: "SK",
                    VPCPEERING_PROFILE_MY_ACCT_PROJECT_ID: "c".repeat(32),
                    VPCPEERING_PROFILE_MY_ACCT_PROJECT_ID_AP_SOUTHEAST_3: "d".repeat(32),
                },
                async () => {
                    const p = requireProfile("my-acct");
                    expect(projectFor(p, OTHER_REGION)).to.equal("d".repeat(32));
                    expect(projectFor(p, REGION)).to.equal("c".repeat(32));
                },
            );
        });

        it("says exactly how to define a missing profile or project", async () => {
            await withEnv({ VPCPEERING_ACCOUNTS_FILE: undefined }, async () => {
                expect(findProfile("nobody")).to.equal(undefined);
                expect(() => requireProfile("nobody")).to.throw(
                    ConfigError,
                    /account profile 'nobody' is not defined: set stack config vpcpeering:profiles\.nobody .*VPCPEERING_PROFILE_NOBODY_ACCESS_KEY/,
                );
                configure(configOf({ "vpcpeering:profiles": { carol: { accessKey: "x", secretKey: "y" } } }));
                expect(() => projectFor(requireProfile("carol"), REGION)).to.throw(
                    /has no project id for region ap-southeast-1: set projects\.ap-southeast-1 .*VPCPEERING_PROFILE_CAROL_PROJECT_ID_AP_SOUTHEAST_1/,
                );
            });
        });
    });

    describe("endpoints and timeouts", () => {
        it("expands the endpoint template, with the local API server as default", async () => {
            await withEnv({ VPCPEERING_ENDPOINT: undefined }, async () => {
                expect(endpointFor(REGION)).to.equal(`http://127.0.0.1:8080/${REGION}`);
                configure(configOf({ "vpcpeering:endpoint": "https://vpc.{region}.myhuaweicloud.com" }));
                expect(endpointFor(REGION)).to.equal(`https://vpc.${REGION}.myhuaweicloud.com`);
            });
            await withEnv({ VPCPEERING_ENDPOINT: "http://10.0.0.1:9000/" }, async () => {
                resetConfiguration();
                expect(endpointFor(REGION)).to.equal(`http://10.0.0.1:9000/${REGION}`);
            });
        });

        it("takes timeouts from the resource, then stack config, then the environment, then 10 minutes", async () => {
            await withEnv({ VPCPEERING_TIMEOUT: undefined, VPCPEERING_TIMEOUT_DELETE: undefined }, async () => {
                expect(timeoutFor("create")).to.equal(DEFAULT_TIMEOUT_MS);
                await withEnv({ VPCPEERING_TIMEOUT: "2m", VPCPEERING_TIMEOUT_DELETE: "3m" }, async () => {
                    expect(timeoutFor("create")).to.equal(120_000);
                    expect(timeoutFor("delete")).to.equal(180_000);
                    configure(configOf({ "vpcpeering:timeouts": { create: "4m" } }));
                    expect(timeoutFor("create")).to.equal(240_000);
                    expect(timeoutFor("delete")).to.equal(180_000);
                    expect(timeoutFor("create", { create: "30s" })).to.equal(30_000);
                    configure(configOf({ "vpcpeering:timeouts": "5m" }));
                    expect(timeoutFor("update")).to.equal(300_000);
                });
            });
        });

        it("refuses a malformed timeout wherever it comes from, naming the setting (no silent 10 minutes)", async () => {
            await withEnv({ VPCPEERING_TIMEOUT: "10 minutes", VPCPEERING_TIMEOUT_DELETE: undefined }, async () => {
                expect(() => timeoutFor("create")).to.throw(ConfigError, /VPCPEERING_TIMEOUT must be a duration/);
                expect(timeoutFor("create", { create: "1h30m" })).to.equal(5_400_000);
                expect(() => timeoutFor("create", { create: "7days" })).to.throw(ConfigError, /timeouts\.create/);
            });
            await withEnv({ VPCPEERING_TIMEOUT: undefined, VPCPEERING_TIMEOUT_DELETE: "5m3" }, async () => {
                expect(() => timeoutFor("delete")).to.throw(ConfigError, /VPCPEERING_TIMEOUT_DELETE/);
                configure(configOf({ "vpcpeering:timeouts": { update: "soon" } }));
                expect(() => timeoutFor("update")).to.throw(ConfigError, /vpcpeering:timeouts\.update/);
            });
        });
    });

    describe("against the API server", () => {
        let h: Harness;
        before(async () => {
            h = await startHarness();
        });
        after(async () => h.close());

        it("authenticates with an IAM token instead of AK/SK", async () => {
            const alice = h.server.accounts.find((a) => a.name === "alice")!;
            const res = await axios.post(`${h.server.endpoint(REGION)}/v3/auth/tokens`, {
                auth: {
                    identity: {
                        methods: ["password"],
                        password: { user: { name: "alice", password: alice.secretKey, domain: { name: "alice" } } },
                    },
                    scope: { project: { id: alice.projects[REGION] } },
                },
            });
            const token = res.headers["x-subject-token"] as string;
            expect(token).to.be.a("string");
            configure(
                configOf({ "vpcpeering:profiles": { "alice-token": { token, projectId: alice.projects[REGION] } } }),
            );
            const c = await vpcProvider.create({
                name: h.unique("tok"),
                cidr: "10.5.0.0/16",
                region: REGION,
                account: "alice-token",
            });
            expect(c.outs).to.include({ status: "OK", projectId: alice.projects[REGION] });
            await vpcProvider.delete!(c.id, c.outs!);
        });

        it("reads the profile `default` from the Huawei Cloud variables HW_* (Terraform provider, SDKs)", async () => {
            const alice = h.server.accounts.find((a) => a.name === "alice")!;
            const hw = {
                HW_ACCESS_KEY: alice.accessKey,
                HW_SECRET_KEY: alice.secretKey,
                HW_REGION_NAME: REGION,
                HW_PROJECT_ID: alice.projects[REGION],
            };
            await withEnv(hw, async () => {
                expect(findProfile("bob")?.accessKey).to.not.equal(alice.accessKey); // only `default` reads HW_*
                const p = requireProfile("default");
                expect(p.source).to.contain("HW_ACCESS_KEY");
                expect(p.source).to.not.contain(alice.secretKey);
                expect(projectFor(p, REGION)).to.equal(alice.projects[REGION]);
                // HW_PROJECT_ID belongs to HW_REGION_NAME: not silently used in another region.
                expect(() => projectFor(p, OTHER_REGION)).to.throw(ConfigError, /no project id for region/);
                const c = await vpcProvider.create({
                    name: h.unique("hw"),
                    cidr: "10.6.0.0/16",
                    region: REGION,
                    account: "default",
                });
                expect(c.outs).to.include({ status: "OK", projectId: alice.projects[REGION] });
                await vpcProvider.delete!(c.id, c.outs!);
            });
            await withEnv(
                { HW_REGION_NAME: undefined, HW_PROJECT_ID: "p".repeat(32), HW_ACCESS_KEY: "AK", HW_SECRET_KEY: "SK" },
                async () => {
                    expect(projectFor(requireProfile("default"), OTHER_REGION)).to.equal("p".repeat(32));
                },
            );
            await withEnv({ HW_ACCESS_KEY: undefined, HW_AUTH_TOKEN: undefined }, async () => {
                expect(() => requireProfile("default")).to.throw(ConfigError, /HW_ACCESS_KEY \/ HW_SECRET_KEY/);
            });
        });

        it("uses the accounts file named by VPCPEERING_ACCOUNTS_FILE (the demo setup)", () => {
            const p = requireProfile("bob");
            expect(p.source).to.equal(`accounts file ${h.accountsFile}`);
            expect(projectFor(p, REGION)).to.equal(h.project("bob"));
        });

        it("picks up a changed accounts file at once (the parsed file is kept by its identity: inode, size, times)", () => {
            const original = readFileSync(h.accountsFile, "utf8");
            try {
                expect(requireProfile("bob").accessKey).to.not.equal("ROTATED-AK");
                const file = JSON.parse(original) as { accounts: Array<{ name: string; accessKey: string }> };
                file.accounts.find((a) => a.name === "bob")!.accessKey = "ROTATED-AK";
                writeFileSync(h.accountsFile, JSON.stringify(file));
                expect(requireProfile("bob").accessKey).to.equal("ROTATED-AK");
                writeFileSync(h.accountsFile, "{ not json");
                expect(() => requireProfile("bob")).to.throw(ConfigError, /cannot read the accounts file/);
            } finally {
                writeFileSync(h.accountsFile, original);
            }
            expect(requireProfile("bob").accessKey).to.not.equal("ROTATED-AK");
        });
    });
});
