// What the Automation API driver adds to a preview's environment: Pulumi's switch that skips the per-step snapshot
// a preview throws away, unless the stack's environment or the caller's says otherwise.
import { expect } from "chai";

import { PREVIEW_DEFAULTS, previewOnlyEnv } from "../../orchestrator/automationDriver";

describe("automation driver: a preview's environment", () => {
    it("skips the per-step checkpoints of a preview by default", () => {
        expect(PREVIEW_DEFAULTS).to.deep.equal({ PULUMI_SKIP_CHECKPOINTS: "true" });
        expect(previewOnlyEnv({ PULUMI_BACKEND_URL: "file:///tmp/x" }, {})).to.deep.equal({
            PULUMI_SKIP_CHECKPOINTS: "true",
        });
    });

    it("leaves a value the plan, the stack or the caller's shell sets alone (false too)", () => {
        expect(previewOnlyEnv({ PULUMI_SKIP_CHECKPOINTS: "false" }, {})).to.deep.equal({});
        expect(previewOnlyEnv({}, { PULUMI_SKIP_CHECKPOINTS: "false" })).to.deep.equal({});
    });
});
