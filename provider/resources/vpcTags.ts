// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The `tags` of a Vpc: checked in `check` (the API's limits, core/tags.ts), applied after create and
// on update with the v2.0 tag calls, and read back on refresh. Without a `tags` argument the VPC's tags are left
// alone (not managed); with one, the VPC ends up with exactly those tags.

import type * as pulumi from "@pulumi/pulumi";

import { ApiClient } from "../client/client";
import { describeTagProblem, MAX_TAGS_PER_VPC } from "../../core/tags";
import { isUnknown } from "./common";

/** {@link Tags} are a VPC's tags as the resource takes and shows them: key → value. */
export type Tags = Record<string, string>;

/** {@link checkTags} validates a `tags` input: a map of at most 20 valid tags. */
export function checkTags(v: unknown, property = "tags"): pulumi.dynamic.CheckFailure[] {
    if (v === undefined || isUnknown(v)) return [];
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        return [{ property, reason: 'tags must be a map of key to value, e.g. { team: "payments" }' }];
    }
    const entries = Object.entries(v);
    const out: pulumi.dynamic.CheckFailure[] = [];
    if (entries.length > MAX_TAGS_PER_VPC) {
        out.push({ property, reason: `${entries.length} tags; a VPC holds at most ${MAX_TAGS_PER_VPC}` });
    }
    for (const [key, value] of entries) {
        if (isUnknown(value)) continue;
        const problem = describeTagProblem(key, value);
        if (problem) out.push({ property, reason: problem });
    }
    return out;
}

/** {@link tagsOf} turns the API's `[{key, value}]` into a map. */
export function tagsOf(list: ReadonlyArray<{ key: string; value: string }>): Tags {
    return Object.fromEntries(list.map((t) => [t.key, t.value]));
}

/** {@link syncTags} makes the VPC's tags exactly `want` (deletes others, sets new and changed values). */
export async function syncTags(client: ApiClient, id: string, want: Tags): Promise<Tags> {
    const have = tagsOf(await client.listVpcTags(id));
    const removed = Object.keys(have).filter((k) => !(k in want));
    const set = Object.entries(want).filter(([k, v]) => have[k] !== v);
    await client.vpcTagsAction(
        id,
        "delete",
        removed.map((key) => ({ key, value: have[key]! })),
    );
    await client.vpcTagsAction(
        id,
        "create",
        set.map(([key, value]) => ({ key, value })),
    );
    return { ...want };
}
