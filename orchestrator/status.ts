// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// `status`: what the backend holds for each stack — resources, last update, outputs, and the peering requests still
// waiting for their peer — read from the exported state; no program runs.

import { nameOfUrn, shortType } from "./events";
import type { PlanStack } from "./plan";
import { publicOutputs } from "./progress";
import type { RunContext } from "./runContext";
import type { PendingAcceptance, StackStatus, StatusReport } from "./runTypes";

/** {@link readStatus} is `status` over the given stacks. */
export async function readStatus(ctx: RunContext, nodes: readonly string[]): Promise<StatusReport> {
    const stacks: StackStatus[] = [];
    const accepted = new Map<string, string>();
    for (const n of nodes) {
        const s = ctx.stack(n);
        stacks.push(await ctx.driver.keepProgramClean(s, () => stackStatus(ctx, s, accepted)));
    }
    // A requester's recorded status is from its last up or refresh; an accepter in the plan may know better.
    return {
        plan: ctx.plan.name,
        stacks: stacks.map((st) => ({
            ...st,
            pending: st.pending.filter((p) => accepted.get(p.peeringId) !== "ACTIVE"),
        })),
    };
}

/** One stack's status; records the accepters' view of their peerings in `accepted` (peering id → status). */
async function stackStatus(ctx: RunContext, s: PlanStack, accepted: Map<string, string>): Promise<StackStatus> {
    const n = s.name;
    const opened = await ctx.driver.open(s, false);
    if (!opened) return { name: n, fqName: s.fqName, exists: false, resources: 0, outputs: {}, pending: [] };
    const resources = (await opened.stack.exportStack()).filter(
        (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
    );
    const now = Date.now();
    const pending: PendingAcceptance[] = resources
        .filter((r) => shortType(r.type) === "PeeringConnection" && r.outputs?.status === "PENDING_ACCEPTANCE")
        .map((r) => {
            const expiresAt = typeof r.outputs?.expiresAt === "string" ? r.outputs.expiresAt : undefined;
            return {
                stack: n,
                resource: nameOfUrn(r.urn),
                peeringId: r.id ?? "",
                peerProjectId: r.outputs?.peerProjectId as string | undefined,
                expiresAt,
                expired: expiresAt !== undefined && Date.parse(expiresAt) < now,
            };
        });
    for (const r of resources) {
        if (shortType(r.type) === "PeeringAccepter" && typeof r.outputs?.status === "string") {
            accepted.set(String(r.outputs.peeringConnectionId ?? r.id), r.outputs.status);
        }
    }
    const last = await opened.stack.lastUpdate();
    return {
        name: n,
        fqName: s.fqName,
        exists: true,
        resources: resources.length,
        lastUpdate: last,
        outputs: publicOutputs(await opened.stack.outputs()),
        pending,
    };
}
