// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The providers inside Pulumi's real dynamic-provider host process, driven over gRPC as the engine drives it:
// Configure (stack config with the profiles, as the engine sends it), Check, Diff, Create, Read, Delete, and a
// "created but not ready" failure reported as ErrorResourceInitFailed. No Pulumi CLI needed.

import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";

import { vpcProvider } from "../../sdk";
import { Harness, REGION, startHarness } from "./harness";

const grpc = require("@grpc/grpc-js");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");

const ROOT = join(__dirname, "..", "..", "..");

type Obj = Record<string, unknown>;

describe("providers in the dynamic-provider host (gRPC)", function () {
    let h: Harness;
    let host: ChildProcess;
    let client: { [method: string]: (...args: unknown[]) => void; close(): void };
    let code: string;

    const call = <T>(method: string, req: unknown): Promise<T> =>
        new Promise((resolve, reject) =>
            client[method]!(req, (err: unknown, res: T) => (err ? reject(err) : resolve(res))),
        );

    before(async () => {
        h = await startHarness();
        code = (await pulumi.runtime.serializeFunction(() => vpcProvider, { allowSecrets: true })).text;
        // No accounts file for the host: its profiles come from stack config through Configure.
        const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_PROJECT: "hosttest" };
        delete env["VPCPEERING_ACCOUNTS_FILE"];
        host = spawn(
            process.execPath,
            [join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"), "127.0.0.1:1"],
            { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
        );
        const port = await new Promise<string>((resolve, reject) => {
            host.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim().split("\n")[0]!));
            host.once("exit", (c) => reject(new Error(`host exited with ${c}`)));
        });
        client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const profiles = Object.fromEntries(
            h.server.accounts.map((a) => [
                a.name,
                { accessKey: a.accessKey, secretKey: a.secretKey, projects: a.projects },
            ]),
        );
        const cfg = new provproto.ConfigureRequest();
        cfg.setArgs(structproto.Struct.fromJavaScript({ "vpcpeering:profiles": JSON.stringify(profiles) }));
        await call("configure", cfg);
    });

    after(async () => {
        client?.close();
        host?.kill();
        await h.close();
    });

    const struct = (o: Obj) => structproto.Struct.fromJavaScript(o);

    async function check(news: Obj): Promise<{ inputs: Obj; failures: Array<{ property: string; reason: string }> }> {
        const req = new provproto.CheckRequest();
        req.setOlds(struct({}));
        req.setNews(struct({ ...news, __provider: code }));
        const res = (await call("check", req)) as {
            getInputs(): { toJavaScript(): Obj };
            getFailuresList(): Array<{ getProperty(): string; getReason(): string }>;
        };
        return {
            inputs: res.getInputs().toJavaScript(),
            failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    it("checks, creates, diffs, reads and deletes a VPC with profiles from stack config", async () => {
        const bad = await check({ cidr: "10.0.0.1/16", region: REGION, account: "alice", __resourceName: "a" });
        expect(bad.failures.map((f) => f.property)).to.deep.equal(["cidr"]);
        expect(bad.failures[0]!.reason).to.match(/\[cidr-host-bits\]/);

        const name = h.unique("host");
        const ok = await check({ name, cidr: "10.0.0.0/16", region: REGION, account: "alice", __resourceName: "a" });
        expect(ok.failures).to.deep.equal([]);

        const create = new provproto.CreateRequest();
        create.setProperties(struct(ok.inputs));
        const created = (await call("create", create)) as { getId(): string; getProperties(): { toJavaScript(): Obj } };
        const id = created.getId();
        const outs = created.getProperties().toJavaScript();
        expect(outs).to.include({ name, status: "OK", projectId: h.project("alice"), __provider: code });

        const diff = new provproto.DiffRequest();
        diff.setId(id);
        diff.setOlds(struct(outs));
        diff.setNews(struct({ ...ok.inputs, __provider: `${code}\n// a newer provider version` }));
        const d = (await call("diff", diff)) as { getChanges(): number; getReplacesList(): string[] };
        expect(d.getChanges()).to.equal(provproto.DiffResponse.DiffChanges.DIFF_NONE);

        const read = new provproto.ReadRequest();
        read.setId(id);
        read.setProperties(struct(outs));
        const r = (await call("read", read)) as { getId(): string; getInputs(): { toJavaScript(): Obj } };
        expect(r.getId()).to.equal(id);
        expect(r.getInputs().toJavaScript()).to.include({ name, cidr: "10.0.0.0/16", __provider: code });

        const del = new provproto.DeleteRequest();
        del.setId(id);
        del.setProperties(struct(outs));
        await call("delete", del);
        const gone = (await call("read", read)) as { getId(): string };
        expect(gone.getId()).to.equal("");
    });

    it("reports a VPC that was created but never became ready as an initialisation failure with its id", async () => {
        h.server.faults.inject({ method: "GET", pathPattern: "/vpcs/", status: 503, count: 1000 });
        const name = h.unique("host-init");
        const create = new provproto.CreateRequest();
        create.setProperties(
            struct({
                name,
                cidr: "10.0.0.0/16",
                region: REGION,
                account: "alice",
                timeouts: { create: "1s" },
                __provider: code,
            }),
        );
        const err = (await call("create", create).catch((e: unknown) => e)) as {
            message: string;
            metadata: { get(k: string): unknown[] };
        };
        h.server.faults.clear();
        expect(err.message).to.match(/was created but did not become OK/);
        expect(err.metadata.get("grpc-status-details-bin")).to.have.length(1);
    });
});
