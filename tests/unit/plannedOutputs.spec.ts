// Outputs a plan changes, as the orchestrator tells a downstream program: which deployed outputs are about to be
// replaced, and which value read through a StackReference is therefore not final.

import { expect } from "chai";

import {
    changingOutputs,
    encodePlannedOutputs,
    notFinalConfigValue,
    notFinalRead,
    PLANNED_OUTPUTS_ENV,
    readPlannedOutputs,
} from "../../core/plannedOutputs";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const isUnknown = (v: unknown) => v === UNKNOWN;

describe("planned outputs (what a plan changes in an upstream stack)", () => {
    it("lists the string outputs whose planned value differs or is unknown; equal and secret ones are left out", () => {
        const changing = changingOutputs(
            {
                cidr: { value: "10.40.0.0/16" },
                vpcId: { value: "vpc-1" },
                region: { value: "ap-southeast-1" },
                token: { value: "s3cret", secret: true },
                count: { value: 3 },
            },
            { cidr: "10.41.0.0/16", vpcId: UNKNOWN, region: "ap-southeast-1", token: "other", count: 4 },
            isUnknown,
        );
        expect(changing).to.deep.equal({
            cidr: { deployed: "10.40.0.0/16", planned: "10.41.0.0/16" },
            vpcId: { deployed: "vpc-1" },
        });
    });

    it("an output the preview no longer plans counts as changing (its value is not known)", () => {
        expect(changingOutputs({ cidr: { value: "10.40.0.0/16" } }, {}, isUnknown)).to.deep.equal({
            cidr: { deployed: "10.40.0.0/16" },
        });
    });

    it("round-trips through the environment; absent or malformed is 'nothing changes'", () => {
        const p = {
            "organization/split-requester/dev": { accepterCidr: { deployed: "10.40.0.0/16", planned: "10.41.0.0/16" } },
        };
        expect(readPlannedOutputs({ [PLANNED_OUTPUTS_ENV]: encodePlannedOutputs(p) })).to.deep.equal(p);
        expect(readPlannedOutputs({})).to.deep.equal({});
        expect(readPlannedOutputs({ [PLANNED_OUTPUTS_ENV]: "{not json" })).to.deep.equal({});
        expect(readPlannedOutputs({ [PLANNED_OUTPUTS_ENV]: '{"s":{"x":{"planned":"y"}}}' })).to.deep.equal({});
    });

    it("a value equal to a changing output's deployed value, read from that stack, is not final", () => {
        const p = {
            "organization/split-requester/dev": {
                accepterCidr: { deployed: "10.40.0.0/16", planned: "10.41.0.0/16" },
                vpcId: { deployed: "vpc-1" },
            },
        };
        expect(notFinalRead(p, "organization/split-requester/dev", "10.40.0.0/16")).to.deep.equal({
            stack: "organization/split-requester/dev",
            output: "accepterCidr",
            deployed: "10.40.0.0/16",
            planned: "10.41.0.0/16",
        });
        // A StackReference may leave the organization out.
        expect(notFinalRead(p, "split-requester/dev", "vpc-1")?.output).to.equal("vpcId");
        // Another stack, a value that does not change, a value that is not a string: final.
        expect(notFinalRead(p, "organization/other/dev", "10.40.0.0/16")).to.equal(undefined);
        expect(notFinalRead(p, "organization/split-requester/dev", "10.30.0.0/16")).to.equal(undefined);
        expect(notFinalRead(p, "organization/split-requester/dev", 42)).to.equal(undefined);
        // Not a suffix at a path boundary.
        expect(notFinalRead(p, "requester/dev", "vpc-1")).to.equal(undefined);
    });

    it("a config value is not final only when the orchestrator passed it as the deployed value of an unknown output", () => {
        const p = {
            "organization/net/dev": {
                projectId: { deployed: "b".repeat(32), viaConfig: true },
                cidr: { deployed: "10.40.0.0/16", planned: "10.41.0.0/16" },
            },
        };
        expect(notFinalConfigValue(p, "b".repeat(32))).to.deep.equal({
            stack: "organization/net/dev",
            output: "projectId",
            deployed: "b".repeat(32),
        });
        // The planned CIDR was passed itself: the old one in a config value is someone else's, and final.
        expect(notFinalConfigValue(p, "10.40.0.0/16")).to.equal(undefined);
        expect(notFinalConfigValue(p, 7)).to.equal(undefined);
        expect(readPlannedOutputs({ [PLANNED_OUTPUTS_ENV]: encodePlannedOutputs(p) })).to.deep.equal(p);
    });
});
