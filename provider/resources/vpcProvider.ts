// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The Vpc resource: a VPC (v1 API) in one region of one account.
//   replaces: cidr, region, account (deleteBeforeReplace when the name stays the same in the same project, because
//             VPC names are unique per project); in place: name, description.
//   create waits until the VPC is OK; read reports a deleted VPC as gone and name/description/cidr drift.

import type * as pulumi from "@pulumi/pulumi";

import { NotFoundError, ValidationError } from "../client/errors";
import { VpcDto } from "../client/types";
import { WaitTimeoutError, waitUntil } from "../client/waiters";
import { ConfigureRequestLike, Timeouts, clientFor, configure, pollIntervalMs } from "../config";
import { Suppression, checkVpc } from "../constraints/rules";
import {
    CheckFailure,
    ResourceInitError,
    changedKeys,
    checkAccount,
    checkBoolean,
    checkDescription,
    checkName,
    checkRegion,
    checkSuppressions,
    checkTimeouts,
    dropUndefined,
    getOrGone,
    isUnknown,
    knownString,
    outcomeToFailures,
    parseApiTime,
    pick,
    readClient,
    renameBody,
    trimString,
    withContext,
} from "./common";

/** {@link VpcInputs} are the Vpc resource's inputs as the provider sees them. */
export interface VpcInputs {
    /** The VPC's name in the API (unique per project). */
    name: string;
    /** The VPC's IPv4 CIDR block. */
    cidr: string;
    /** The region, e.g. `ap-southeast-1`. */
    region: string;
    /** The account profile that owns the VPC. */
    account: string;
    /** A description (≤255 characters, no `<` `>`). */
    description?: string;
    /** At create: adopt an existing VPC of this name (and CIDR) instead of failing on the duplicate name. */
    adopt?: boolean;
    /** At create: adopt the existing VPC with this id (its CIDR must equal `cidr`). */
    adoptId?: string;
    /** Per-operation timeouts (`"10m"`). */
    timeouts?: Timeouts;
    /** Rule suppressions (`[{rule, reason}]`), reported as warnings. */
    suppressRules?: Suppression[];
    /** Internal: the Pulumi resource name (for messages). */
    __resourceName?: string;
    /** Internal: the program-wide check value (ignored by the provider). */
    __graphCheck?: unknown;
}

/** {@link VpcOutputs} are the inputs plus what the API computed. */
export interface VpcOutputs extends VpcInputs {
    /** The project id that owns the VPC (not a credential). */
    projectId: string;
    /** The API status (`OK` once usable). */
    status: string;
    /** When the VPC was created (ISO 8601), if the API says. */
    createdAt?: string;
}

/** {@link VPC_INPUT_KEYS} are the input property names. */
export const VPC_INPUT_KEYS = [
    "name",
    "cidr",
    "region",
    "account",
    "description",
    "adopt",
    "adoptId",
    "timeouts",
    "suppressRules",
    "__resourceName",
    "__graphCheck",
] as const;

const label = (i: { __resourceName?: string; name?: string }, id?: string) =>
    `Vpc '${knownString(i.__resourceName) ?? knownString(i.name) ?? id ?? "?"}'`;

function outputsFrom(inputs: VpcInputs, vpc: VpcDto, projectId: string): VpcOutputs {
    const { ...rest } = inputs as VpcInputs & { __provider?: string };
    delete (rest as { __provider?: string }).__provider;
    return dropUndefined({
        ...rest,
        projectId,
        status: vpc.status,
        createdAt: parseApiTime(vpc.created_at)?.toISOString(),
    });
}

/** {@link vpcProvider} implements the Vpc resource. */
export const vpcProvider: pulumi.dynamic.ResourceProvider<VpcInputs, VpcOutputs> = {
    async configure(req: ConfigureRequestLike) {
        configure(req);
    },

    async check(_olds, news) {
        const inputs: VpcInputs = { ...news };
        for (const k of ["name", "cidr", "region", "account", "description", "adoptId"] as const) {
            (inputs as unknown as Record<string, unknown>)[k] = trimString(inputs[k]);
        }
        if (inputs.name === undefined && typeof inputs.__resourceName === "string") inputs.name = inputs.__resourceName;
        const failures: CheckFailure[] = [
            ...checkName(inputs.name),
            ...checkRegion(inputs.region),
            ...checkAccount(inputs.account),
            ...checkDescription(inputs.description),
            ...checkBoolean(inputs.adopt, "adopt"),
            ...checkTimeouts(inputs.timeouts),
            ...checkSuppressions(inputs.suppressRules),
        ];
        if (inputs.name === undefined) failures.push({ property: "name", reason: "a name is required" });
        if (inputs.cidr === undefined || (!isUnknown(inputs.cidr) && typeof inputs.cidr !== "string")) {
            failures.push({ property: "cidr", reason: 'cidr is required: an IPv4 block such as "10.0.0.0/16"' });
        } else {
            const subject = label(inputs);
            failures.push(
                ...outcomeToFailures(
                    checkVpc(
                        dropUndefined({
                            name: knownString(inputs.__resourceName) ?? knownString(inputs.name) ?? "vpc",
                            cidr: knownString(inputs.cidr),
                            region: knownString(inputs.region),
                            account: knownString(inputs.account),
                        }),
                    ),
                    inputs,
                    subject,
                ),
            );
        }
        return { inputs: dropUndefined(inputs), failures };
    },

    async diff(_id, olds, news) {
        const replaces = changedKeys(olds as never, news as never, ["cidr", "region", "account"]);
        const updates = changedKeys(olds as never, news as never, [
            "name",
            "description",
            "timeouts",
            "suppressRules",
            "adopt",
            "adoptId",
        ]);
        const sameProjectAndName =
            changedKeys(olds as never, news as never, ["name", "region", "account"]).length === 0;
        return {
            changes: replaces.length > 0 || updates.length > 0,
            replaces,
            deleteBeforeReplace: replaces.length > 0 && sameProjectAndName,
        };
    },

    async create(inputs) {
        return withContext(`creating ${label(inputs)}`, async () => {
            const client = clientFor({
                account: inputs.account,
                region: inputs.region,
                op: "create",
                timeouts: inputs.timeouts,
            });
            let vpc: VpcDto | undefined;
            let adopted = false;
            if (inputs.adoptId !== undefined) {
                try {
                    vpc = await client.getVpc(inputs.adoptId);
                } catch (e) {
                    if (e instanceof NotFoundError) {
                        throw new Error(
                            `adoptId ${inputs.adoptId}: no such VPC in account '${inputs.account}', region ${inputs.region}; check the id, account and region`,
                        );
                    }
                    throw e;
                }
                adopted = true;
            } else if (inputs.adopt === true) {
                vpc = await client.findVpcByName(inputs.name);
                adopted = vpc !== undefined;
            }
            if (vpc === undefined) {
                try {
                    vpc = await client.createVpc(
                        dropUndefined({ name: inputs.name, cidr: inputs.cidr, description: inputs.description }),
                    );
                } catch (e) {
                    if (
                        e instanceof ValidationError &&
                        (e.code === "VPC.0115" || /name exists/i.test(e.apiMessage ?? ""))
                    ) {
                        const existing = await client.findVpcByName(inputs.name).catch(() => undefined);
                        e.message +=
                            ` A VPC named "${inputs.name}" already exists in account '${inputs.account}', region ${inputs.region}` +
                            `${existing ? ` (id ${existing.id}, cidr ${existing.cidr})` : ""}: choose another name, or set ` +
                            "adopt: true to manage the existing VPC.";
                    }
                    throw e;
                }
            }
            if (adopted) {
                if (vpc.cidr !== inputs.cidr) {
                    throw new Error(
                        `cannot adopt VPC ${vpc.id}: its cidr is ${vpc.cidr} but the program says ${inputs.cidr}; set cidr to ${vpc.cidr}`,
                    );
                }
                const body = dropUndefined({
                    name: vpc.name !== inputs.name ? inputs.name : undefined,
                    description:
                        inputs.description !== undefined && inputs.description !== (vpc.description ?? "")
                            ? inputs.description
                            : undefined,
                });
                if (Object.keys(body).length > 0) vpc = await client.updateVpc(vpc.id, body);
            }
            const id = vpc.id;
            try {
                vpc = await waitForVpcOk(client, id);
            } catch (e) {
                if (e instanceof WaitTimeoutError || e instanceof Error) {
                    const last = (e as WaitTimeoutError<VpcDto>).last ?? vpc;
                    throw new ResourceInitError(`VPC ${id} was created but did not become OK: ${e.message}`, id, {
                        ...outputsFrom(inputs, last, client.projectId),
                        __provider: (inputs as { __provider?: string }).__provider,
                    });
                }
                throw e;
            }
            return { id, outs: outputsFrom(inputs, vpc, client.projectId) };
        });
    },

    async read(id, props) {
        const p = (props ?? {}) as Partial<VpcOutputs>;
        return withContext(`reading ${label(p, id)}`, async () => {
            const { client, region, account } = readClient(`VPC ${id}`, "Vpc", p);
            const found = await getOrGone(() => client.getVpc(id));
            if (found === undefined) return { id: "" };
            const vpc: VpcDto = found;
            const base = { ...(p as VpcInputs) };
            delete (base as { __provider?: string }).__provider;
            const outs = outputsFrom(
                {
                    ...base,
                    name: vpc.name,
                    cidr: vpc.cidr,
                    region,
                    account,
                    description: p.description === undefined && !vpc.description ? undefined : (vpc.description ?? ""),
                },
                vpc,
                client.projectId,
            );
            return { id, props: outs, inputs: pick<VpcOutputs>(outs as never, VPC_INPUT_KEYS) };
        });
    },

    async update(id, olds, news) {
        return withContext(`updating ${label(news, id)}`, async () => {
            const client = clientFor({
                account: news.account,
                region: news.region,
                op: "update",
                timeouts: news.timeouts,
            });
            const body = renameBody(olds, news);
            let vpc: VpcDto;
            if (Object.keys(body).length > 0) {
                await client.updateVpc(id, body);
                vpc = await waitForVpcOk(client, id);
            } else {
                vpc = { id, name: news.name, cidr: news.cidr, status: olds.status ?? "OK", created_at: undefined };
            }
            const outs = outputsFrom(news, vpc, client.projectId);
            if (outs.createdAt === undefined && olds.createdAt !== undefined) outs.createdAt = olds.createdAt;
            return { outs };
        });
    },

    async delete(id, props) {
        await withContext(`deleting ${label(props, id)}`, async () => {
            const client = clientFor({
                account: props.account,
                region: props.region,
                op: "delete",
                timeouts: props.timeouts,
            });
            await client.deleteVpc(id);
            await waitUntil({
                what: `VPC ${id} to be deleted`,
                poll: async () => {
                    try {
                        return (await client.getVpc(id)).status;
                    } catch (e) {
                        if (e instanceof NotFoundError) return "GONE";
                        throw e;
                    }
                },
                done: (s) => s === "GONE",
                describe: (s) => s,
                deadline: client.deadline,
                intervalMs: pollIntervalMs(),
            });
        });
    },
};

/** {@link waitForVpcOk} polls a VPC until its status is `OK`; `DOWN`/`ERROR` fail at once. */
export function waitForVpcOk(client: ReturnType<typeof clientFor>, id: string): Promise<VpcDto> {
    return waitUntil({
        what: `VPC ${id} to become OK`,
        poll: () => client.getVpc(id),
        done: (v) => v.status === "OK",
        failed: (v) => (v.status === "DOWN" || v.status === "ERROR" ? `VPC ${id} is ${v.status}` : undefined),
        describe: (v) => `status ${v.status}`,
        deadline: client.deadline,
        intervalMs: pollIntervalMs(),
        tolerateNotFound: true,
    });
}
