// The engine events' pure readers (orchestrator/events.ts): our own property-level diff of old and new inputs
// (internal keys, unknowns and secrets) and the diagnostics sorted into failures, deferred checks, warnings and
// errors. The collector over recorded events and the report: orchestratorReport.spec.ts.
import { expect } from "chai";

import { classifyDiagnostic, cleanMessage, propertyChanges, renderValue, UNKNOWN } from "../../orchestrator/events";

describe("orchestrator: property-level diff", () => {
    it("lists a create's inputs without internal keys or check facts", () => {
        const changes = propertyChanges("create", undefined, {
            __provider: "exports.handler = …",
            __checks: "ok",
            __resourceName: "a",
            name: "a",
            cidr: "10.0.0.0/16",
            requester: { id: UNKNOWN, cidr: "10.0.0.0/16" },
            timeouts: { create: "5m" },
        });
        expect(changes).to.deep.equal([
            { path: "name", kind: "add", new: "a" },
            { path: "cidr", kind: "add", new: "10.0.0.0/16" },
            { path: "timeouts.create", kind: "add", new: "5m" },
        ]);
    });

    it("diffs nested paths, arrays, unknowns and secrets for updates and replaces", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" };
        const changes = propertyChanges(
            "replace",
            {
                __provider: "old code",
                cidr: "10.0.0.0/16",
                requester: { id: "v-1", cidr: "10.0.0.0/16" },
                suppressRules: [{ rule: "route-quota", reason: "a" }],
                token: secret,
                gone: "x",
            },
            {
                __provider: "new code",
                cidr: "10.1.0.0/16",
                requester: { id: UNKNOWN, cidr: "10.1.0.0/16" },
                suppressRules: [{ rule: "route-quota", reason: "b" }],
                token: { ...secret, ciphertext: "y" },
                added: true,
            },
        );
        expect(changes).to.deep.equal([
            { path: "added", kind: "add", new: "true" },
            { path: "cidr", kind: "update", old: "10.0.0.0/16", new: "10.1.0.0/16" },
            { path: "gone", kind: "delete", old: "x" },
            { path: "requester.cidr", kind: "update", old: "10.0.0.0/16", new: "10.1.0.0/16" },
            { path: "requester.id", kind: "update", old: "v-1", new: "(known after apply)" },
            { path: "suppressRules[0].reason", kind: "update", old: "a", new: "b" },
        ]);
        expect(renderValue(secret)).to.equal("[secret]");
    });
});

describe("orchestrator: diagnostics", () => {
    it("turns a check failure into its rule and message", () => {
        const f = classifyDiagnostic(
            "error",
            "pulumi-nodejs:dynamic/peering:PeeringConnection resource 'a-b': property accepterVpcId value " +
                'output<string>{} has a problem: [peering-cidr-overlap] PeeringConnection "a-b": VPCs overlap.\n',
            "PeeringConnection a-b",
        );
        expect(f).to.deep.equal({
            kind: "failure",
            rule: "peering-cidr-overlap",
            resource: "PeeringConnection a-b",
            message: "[peering-cidr-overlap] VPCs overlap.",
        });
    });

    it("sorts deferred checks, warnings, errors and drops noise", () => {
        expect(
            classifyDiagnostic("warning", 'Route "r": [route-quota] deferred until apply: x\n', "Route r"),
        ).to.deep.equal({
            kind: "deferred",
            rule: "route-quota",
            resource: "Route r",
            message: "[route-quota] deferred until apply: x",
        });
        expect(classifyDiagnostic("error", "error: boom\n")).to.deep.equal({ kind: "error", message: "boom" });
        expect(classifyDiagnostic("warning", "careful [not-a-rule]")?.rule).to.equal(undefined);
        expect(classifyDiagnostic("info", "hello")).to.equal(undefined);
        expect(classifyDiagnostic("info#err", "    at foo (x.js:1:1)")).to.equal(undefined);
        expect(cleanMessage('Vpc "a": [cidr-syntax] bad', "Vpc a")).to.equal("[cidr-syntax] bad");
    });
});
