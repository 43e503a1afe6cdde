// The split-stack plan (examples/split-stacks/plan.yaml) as YAML text, for the e2e specs and
// scripts/orchestratorFixtures.js (which requires the built dist/tests/helpers/splitPlan.js).

import { exampleDir } from "./e2e";

export interface SplitPlanOptions {
    /** `false` leaves out bob's accepter and alice's routes (a request nobody accepts yet). */
    full: boolean;
    /** The requester VPC's CIDR; default 10.30.0.0/16. */
    requesterCidr?: string;
    /** The accepter VPC's CIDR; default 10.40.0.0/16. */
    accepterCidr?: string;
    /** Both VPCs' region; left out of the config when not given (the programs' default). */
    region?: string;
    /** The plan's `stackName`; left out when not given. */
    stackName?: string;
}

/** The split-stack plan's YAML text, ending in a newline. */
export function splitPlanText(opts: SplitPlanOptions): string {
    const split = exampleDir("split-stacks");
    const region = opts.region === undefined ? [] : [`region: ${opts.region}`];
    const lines = [
        ...(opts.stackName === undefined ? [] : [`stackName: ${opts.stackName}`]),
        "stacks:",
        "    accepter-vpc:",
        `        program: ${split}/accepter-vpc`,
        "        accounts: [bob]",
        `        config: { ${[`cidr: ${opts.accepterCidr ?? "10.40.0.0/16"}`, ...region].join(", ")} }`,
        "    requester:",
        `        program: ${split}/requester`,
        "        accounts: [alice]",
        "        config:",
        `            cidr: ${opts.requesterCidr ?? "10.30.0.0/16"}`,
        ...region.map((r) => `            ${r}`),
        "            accepterVpcId: ${accepter-vpc.vpcId}",
        "            peerProjectId: ${accepter-vpc.projectId}",
        "            accepterCidr: ${accepter-vpc.cidr}",
    ];
    if (opts.full) {
        lines.push(
            "    accepter:",
            `        program: ${split}/accepter`,
            "        accounts: [bob]",
            "        dependsOn: [requester, accepter-vpc]",
            "    requester-routes:",
            `        program: ${split}/requester-routes`,
            "        accounts: [alice]",
            "        dependsOn: [accepter]",
        );
    }
    return lines.join("\n") + "\n";
}
