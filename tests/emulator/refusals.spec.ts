// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Every documented refusal of the API server, with its status and error code in the family's body shape.
// The SDK only surfaces `error_code`, so bodies are checked with raw signed requests; a few are also driven
// through the SDK to show that it sees the status.
//
// One file on purpose: it is the catalogue of refusals, by family, read side by side with emulator/errors.ts.

import { expect } from "chai";
import type { RunningServer } from "../../emulator/server";
import {
    createPeering,
    createRoute,
    createVpc,
    expectGateway,
    expectNeutron,
    expectV1,
    projectOf,
    R1,
    R3,
    raw,
    sdkRefusal,
    startTestServer,
    v2,
    vpcClient,
} from "./harness";

describe("API server: documented refusals", () => {
    let s: RunningServer;
    let aliceVpc: string;
    let alice2Vpc: string;
    let bobVpc: string;
    let aliceR3Vpc: string;
    let pending: string;
    let active: string;
    let aliceP: string;
    let bobP: string;

    before(async () => {
        s = await startTestServer();
        aliceP = projectOf(s, "alice", R1);
        bobP = projectOf(s, "bob", R1);
        aliceVpc = await createVpc(s, "alice", R1, "10.1.0.0/16", "a1");
        alice2Vpc = await createVpc(s, "alice", R1, "10.3.0.0/16", "a2");
        bobVpc = await createVpc(s, "bob", R1, "10.2.0.0/16", "b1");
        aliceR3Vpc = await createVpc(s, "alice", R3, "10.9.0.0/16", "a-r3");
        pending = (await createPeering(s, "alice", R1, aliceVpc, bobVpc, bobP)).id!;
        active = (await createPeering(s, "alice", R1, aliceVpc, alice2Vpc)).id!;
    });
    after(async () => {
        await s.close();
    });

    const vpcs = () => `/${R1}/v1/${aliceP}/vpcs`;
    const peering = (body: unknown) => raw(s, "POST", `/${R1}/v2.0/vpc/peerings`, { as: "alice", body });
    const route = (body: unknown, as = "alice") => raw(s, "POST", `/${R1}/v2.0/vpc/routes`, { as, body });
    const peeringBody = (extra: Record<string, unknown> = {}) => ({
        peering: {
            name: "p",
            request_vpc_info: { vpc_id: aliceVpc },
            accept_vpc_info: { vpc_id: bobVpc, tenant_id: bobP },
            ...extra,
        },
    });

    describe("VPC v1 ({code, message})", () => {
        const cases: Array<[string, unknown, number, string]> = [
            ["host bits set", { vpc: { name: "x", cidr: "10.0.0.1/16" } }, 400, "VPC.0101"],
            ["a public block", { vpc: { name: "x", cidr: "8.8.8.0/24" } }, 400, "VPC.0101"],
            ["a prefix beyond /24", { vpc: { name: "x", cidr: "10.0.0.0/25" } }, 400, "VPC.0101"],
            ["a prefix over 32", { vpc: { name: "x", cidr: "10.0.0.0/33" } }, 400, "VPC.0101"],
            ["an IPv6 block", { vpc: { name: "x", cidr: "fd00::/8" } }, 400, "VPC.0101"],
            ["a cidr of the wrong type", { vpc: { name: "x", cidr: 10 } }, 400, "VPC.0101"],
            ["a name over 64 characters", { vpc: { name: "n".repeat(65) } }, 400, "VPC.0101"],
            ["a name with a space", { vpc: { name: "a b" } }, 400, "VPC.0101"],
            ["a description with <", { vpc: { name: "x", description: "<b>" } }, 400, "VPC.0101"],
            ["a description over 255", { vpc: { name: "x", description: "d".repeat(256) } }, 400, "VPC.0101"],
            ["no vpc wrapper", { name: "x" }, 400, "VPC.0101"],
            ["a bad enterprise project", { vpc: { enterprise_project_id: "nope" } }, 400, "VPC.0101"],
            ["a taken name", { vpc: { name: "a1", cidr: "10.5.0.0/16" } }, 400, "VPC.0115"],
        ];
        for (const [what, body, status, code] of cases) {
            it(`create refuses ${what}: ${status} ${code}`, async () => {
                expectV1(await raw(s, "POST", vpcs(), { as: "alice", body }), status, code);
            });
        }

        it("tags: create takes key*value strings, v2.0 serves and changes them; bad tags 400 VPC.1801, nothing changed", async () => {
            const made = await raw(s, "POST", vpcs(), {
                as: "alice",
                body: { vpc: { name: "tagged", cidr: "10.70.0.0/16", tags: ["team*payments", "env*prod"] } },
            });
            expect(made.status, made.text).to.equal(200);
            const id = made.json.vpc.id as string;
            const tagsPath = `/${R1}/v2.0/${aliceP}/vpcs/${id}/tags`;
            const list = async () => (await raw(s, "GET", tagsPath, { as: "alice" })).json.tags;
            expect(await list()).to.deep.equal([
                { key: "env", value: "prod" },
                { key: "team", value: "payments" },
            ]);
            const act = (body: unknown) => raw(s, "POST", `${tagsPath}/action`, { as: "alice", body });
            expect((await act({ action: "create", tags: [{ key: "team", value: "core" }] })).status).to.equal(204);
            expect((await act({ action: "delete", tags: [{ key: "env" }] })).status).to.equal(204);
            expect(await list()).to.deep.equal([{ key: "team", value: "core" }]);
            const v3 = await raw(s, "GET", `/${R1}/v3/${aliceP}/vpc/vpcs/${id}`, { as: "alice" });
            expect(v3.json.vpc.tags).to.deep.equal([{ key: "team", value: "core" }]);
            const before = s.snapshot();
            expectV1(await act({ action: "create", tags: [{ key: "a*b", value: "x" }] }), 400, "VPC.1801");
            expectV1(await act({ action: "replace", tags: [{ key: "a", value: "x" }] }), 400, "VPC.1801");
            const many = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: "v" }));
            expectV1(await act({ action: "create", tags: many }), 400, "VPC.1801"); // 21 with "team"
            expectV1(
                await raw(s, "POST", vpcs(), {
                    as: "alice",
                    body: { vpc: { name: "t2", cidr: "10.71.0.0/16", tags: ["nostar"] } },
                }),
                400,
                "VPC.1801",
            );
            expect(s.snapshot()).to.deep.equal(before);
            expect((await raw(s, "DELETE", `${vpcs()}/${id}`, { as: "alice" })).status).to.equal(204);
            expect(s.snapshot().vpc_tags!.filter((t) => (t as { vpc_id: string }).vpc_id === id)).to.deep.equal([]);
        });

        it("create beyond the VPC quota: 409 VPC.0114", async () => {
            const q = await startTestServer({ quotas: { vpcsPerProject: 1 } });
            try {
                await createVpc(q, "alice", R1, "10.0.0.0/16");
                const r = await raw(q, "POST", `/${R1}/v1/${projectOf(q, "alice", R1)}/vpcs`, {
                    as: "alice",
                    body: { vpc: { cidr: "10.1.0.0/16" } },
                });
                expectV1(r, 409, "VPC.0114");
            } finally {
                await q.close();
            }
        });

        it("show/update/delete of an unknown or foreign VPC: 404 VPC.0003", async () => {
            expectV1(
                await raw(s, "GET", `${vpcs()}/00000000-0000-0000-0000-000000000000`, { as: "alice" }),
                404,
                "VPC.0003",
            );
            expectV1(await raw(s, "GET", `/${R1}/v1/${bobP}/vpcs/${aliceVpc}`, { as: "bob" }), 404, "VPC.0003");
            expectV1(
                await raw(s, "PUT", `/${R1}/v1/${bobP}/vpcs/${aliceVpc}`, { as: "bob", body: { vpc: { name: "x" } } }),
                404,
                "VPC.0003",
            );
            expectV1(await raw(s, "DELETE", `/${R1}/v1/${bobP}/vpcs/${aliceVpc}`, { as: "bob" }), 404, "VPC.0003");
            // A VPC of another region is not found in this one.
            expectV1(await raw(s, "GET", `${vpcs()}/${aliceR3Vpc}`, { as: "alice" }), 404, "VPC.0003");
            await sdkRefusal(vpcClient(s, "bob", R1).showVpc(new v2.ShowVpcRequest().withVpcId(aliceVpc)), 404);
        });

        it("a path project that is not the credential's: 400 VPC.0007", async () => {
            const r = await raw(s, "GET", `/${R1}/v1/${bobP}/vpcs`, { as: "alice", projectId: aliceP });
            expectV1(r, 400, "VPC.0007");
        });

        it("delete while CREATING: 409 VPC.0103", async () => {
            const slow = await startTestServer({ vpcReadyDelayMs: 60_000 });
            try {
                const id = await createVpc(slow, "alice", R1, "10.0.0.0/16");
                const r = await raw(slow, "DELETE", `/${R1}/v1/${projectOf(slow, "alice", R1)}/vpcs/${id}`, {
                    as: "alice",
                });
                expectV1(r, 409, "VPC.0103");
            } finally {
                await slow.close();
            }
        });

        it("delete while routes use it: 409 VPC.0120; while peerings use it: 409 VPC.0121", async () => {
            const a = await createVpc(s, "alice", R1, "10.50.0.0/16");
            const b = await createVpc(s, "alice", R1, "10.51.0.0/16");
            const p = await createPeering(s, "alice", R1, a, b);
            const r = await createRoute(s, "alice", R1, a, "10.51.0.0/16", p.id!);
            expectV1(await raw(s, "DELETE", `${vpcs()}/${a}`, { as: "alice" }), 409, "VPC.0120");
            await raw(s, "DELETE", `/${R1}/v2.0/vpc/routes/${r.id}`, { as: "alice" });
            expectV1(await raw(s, "DELETE", `${vpcs()}/${a}`, { as: "alice" }), 409, "VPC.0121");
            expectV1(await raw(s, "DELETE", `${vpcs()}/${b}`, { as: "alice" }), 409, "VPC.0121");
            await raw(s, "DELETE", `/${R1}/v2.0/vpc/peerings/${p.id}`, { as: "alice" });
            expect((await raw(s, "DELETE", `${vpcs()}/${a}`, { as: "alice" })).status).to.equal(204);
        });

        it("update to a CIDR that overlaps a route: 400 VPC.0117", async () => {
            const a = await createVpc(s, "alice", R1, "10.60.0.0/16");
            const b = await createVpc(s, "alice", R1, "10.61.0.0/16");
            const p = await createPeering(s, "alice", R1, a, b);
            await createRoute(s, "alice", R1, a, "10.61.0.0/16", p.id!);
            const r = await raw(s, "PUT", `${vpcs()}/${a}`, { as: "alice", body: { vpc: { cidr: "10.60.0.0/14" } } });
            expectV1(r, 400, "VPC.0117");
        });

        it("v3 show of an unknown VPC: 404 VPC.9904 in the v3 shape", async () => {
            const r = await raw(s, "GET", `/${R1}/v3/${aliceP}/vpc/vpcs/00000000-0000-0000-0000-000000000000`, {
                as: "alice",
            });
            expectGateway(r, 404, "VPC.9904");
        });
    });

    describe("peerings (NeutronError)", () => {
        it("the peer VPC without the peer's project id: 400 InvalidInput (documented message)", async () => {
            const r = await peering(peeringBody({ accept_vpc_info: { vpc_id: bobVpc } }));
            expectNeutron(r, 400, "InvalidInput");
            expect(r.json.NeutronError.message).to.equal(
                "Invalid input for operation: Accept VPC id or tenant id is incorrect.",
            );
        });

        it("a peer VPC of another region: 400 InvalidInput (not found in this region)", async () => {
            const r = await peering(peeringBody({ accept_vpc_info: { vpc_id: aliceR3Vpc } }));
            expectNeutron(r, 400, "InvalidInput");
            expect(r.json.NeutronError.message).to.contain("Accept VPC id or tenant id is incorrect");
        });

        it("a wrong peer project id: 400 InvalidInput", async () => {
            const r = await peering(peeringBody({ accept_vpc_info: { vpc_id: bobVpc, tenant_id: aliceP } }));
            expectNeutron(r, 400, "InvalidInput");
        });

        it("a request VPC of another project: 400 InvalidInput", async () => {
            const r = await peering(peeringBody({ request_vpc_info: { vpc_id: bobVpc } }));
            expectNeutron(r, 400, "InvalidInput");
        });

        it("a VPC peered with itself: 400 InvalidInput", async () => {
            const r = await peering(peeringBody({ accept_vpc_info: { vpc_id: aliceVpc } }));
            expectNeutron(r, 400, "InvalidInput");
            expect(r.json.NeutronError.message).to.contain("peering-self");
        });

        it("a second peering between the same VPCs, either direction: 409 VpcPeeringExists", async () => {
            expectNeutron(await peering(peeringBody()), 409, "VpcPeeringExists");
            const reverse = await raw(s, "POST", `/${R1}/v2.0/vpc/peerings`, {
                as: "bob",
                body: {
                    peering: {
                        name: "rev",
                        request_vpc_info: { vpc_id: bobVpc },
                        accept_vpc_info: { vpc_id: aliceVpc, tenant_id: aliceP },
                    },
                },
            });
            expectNeutron(reverse, 409, "VpcPeeringExists");
        });

        it("beyond the peering quota: 409 OverQuota", async () => {
            const q = await startTestServer({ quotas: { peeringsPerProject: 1 } });
            try {
                const a = await createVpc(q, "alice", R1, "10.1.0.0/16");
                const b = await createVpc(q, "alice", R1, "10.2.0.0/16");
                const c = await createVpc(q, "alice", R1, "10.3.0.0/16");
                await createPeering(q, "alice", R1, a, b);
                const r = await raw(q, "POST", `/${R1}/v2.0/vpc/peerings`, {
                    as: "alice",
                    body: { peering: { name: "q", request_vpc_info: { vpc_id: a }, accept_vpc_info: { vpc_id: c } } },
                });
                expectNeutron(r, 409, "OverQuota");
            } finally {
                await q.close();
            }
        });

        it("a VPC still CREATING: 409 VpcNotActive", async () => {
            const slow = await startTestServer({ vpcReadyDelayMs: 60_000 });
            try {
                const a = await createVpc(slow, "alice", R1, "10.1.0.0/16");
                const b = await createVpc(slow, "alice", R1, "10.2.0.0/16");
                const r = await raw(slow, "POST", `/${R1}/v2.0/vpc/peerings`, {
                    as: "alice",
                    body: { peering: { name: "q", request_vpc_info: { vpc_id: a }, accept_vpc_info: { vpc_id: b } } },
                });
                expectNeutron(r, 409, "VpcNotActive");
            } finally {
                await slow.close();
            }
        });

        const invalid: Array<[string, unknown]> = [
            ["no name", { peering: { request_vpc_info: { vpc_id: "x" }, accept_vpc_info: { vpc_id: "y" } } }],
            ["an empty name", peeringBody({ name: "" })],
            ["a name over 64", peeringBody({ name: "n".repeat(65) })],
            ["a name of the wrong type", peeringBody({ name: 5 })],
            ["a description with >", peeringBody({ description: "a>b" })],
            ["an unknown attribute", peeringBody({ colour: "blue" })],
            ["request_vpc_info not an object", peeringBody({ request_vpc_info: "vpc" })],
            ["no accept_vpc_info", { peering: { name: "p", request_vpc_info: { vpc_id: "x" } } }],
            ["a vpc_id of the wrong type", peeringBody({ request_vpc_info: { vpc_id: 1 } })],
            ["no peering wrapper", { name: "p" }],
        ];
        for (const [what, body] of invalid) {
            it(`create refuses ${what}: 400 InvalidInput`, async () => {
                expectNeutron(await peering(body), 400, "InvalidInput");
            });
        }

        it("accept or reject by the requester: 403 PolicyNotAuthorized", async () => {
            const r = await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${pending}/accept`, { as: "alice" });
            expectNeutron(r, 403, "PolicyNotAuthorized");
            expectNeutron(
                await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${pending}/reject`, { as: "alice" }),
                403,
                "PolicyNotAuthorized",
            );
            await sdkRefusal(
                vpcClient(s, "alice", R1).acceptVpcPeering(new v2.AcceptVpcPeeringRequest().withPeeringId(pending)),
                403,
            );
        });

        it("accept or reject when not PENDING_ACCEPTANCE: 409 VpcPeeringStateConflict", async () => {
            const r = await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${active}/accept`, { as: "alice" });
            expectNeutron(r, 409, "VpcPeeringStateConflict");
            expect(r.json.NeutronError.message).to.contain("not in PENDING_ACCEPTANCE state");
            expectNeutron(
                await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${active}/reject`, { as: "alice" }),
                409,
                "VpcPeeringStateConflict",
            );
        });

        it("a peering the project is not a side of, or unknown: 404 PeeringNotFound", async () => {
            for (const [method, suffix] of [
                ["GET", ""],
                ["DELETE", ""],
                ["PUT", "/accept"],
                ["PUT", "/reject"],
            ] as const) {
                const r = await raw(s, method, `/${R1}/v2.0/vpc/peerings/${active}${suffix}`, { as: "bob" });
                expectNeutron(r, 404, "PeeringNotFound");
            }
            const r = await raw(s, "PUT", `/${R1}/v2.0/vpc/peerings/${active}`, {
                as: "bob",
                body: { peering: { name: "x" } },
            });
            expectNeutron(r, 404, "PeeringNotFound");
            expectNeutron(
                await raw(s, "GET", `/${R1}/v2.0/vpc/peerings/nope`, { as: "alice" }),
                404,
                "PeeringNotFound",
            );
            // Another region does not see it either.
            expectNeutron(
                await raw(s, "GET", `/${R3}/v2.0/vpc/peerings/${active}`, { as: "alice" }),
                404,
                "PeeringNotFound",
            );
        });

        it("update with nothing to change or a bad name: 400 InvalidInput", async () => {
            const path = `/${R1}/v2.0/vpc/peerings/${active}`;
            expectNeutron(await raw(s, "PUT", path, { as: "alice", body: { peering: {} } }), 400, "InvalidInput");
            expectNeutron(
                await raw(s, "PUT", path, { as: "alice", body: { peering: { name: "" } } }),
                400,
                "InvalidInput",
            );
            expectNeutron(
                await raw(s, "PUT", path, { as: "alice", body: { peering: { status: "ACTIVE" } } }),
                400,
                "InvalidInput",
            );
        });

        it("list with a bad limit, marker or status: 400 InvalidInput", async () => {
            for (const q of [
                "limit=-1",
                "limit=abc",
                "limit=2001",
                "marker=nope",
                "status=DONE",
                "page_reverse=True",
                "limit=1&limit=2",
            ]) {
                expectNeutron(
                    await raw(s, "GET", `/${R1}/v2.0/vpc/peerings?${q}`, { as: "alice" }),
                    400,
                    "InvalidInput",
                );
            }
        });
    });

    describe("routes (NeutronError)", () => {
        const base = () => ({ type: "peering", nexthop: active, destination: "10.3.0.0/16", vpc_id: aliceVpc });

        it("a type other than peering: 400 InvalidInput", async () => {
            expectNeutron(await route({ route: { ...base(), type: "ecs" } }), 400, "InvalidInput");
        });
        it("a next hop that is not a peering of the project: 400 InvalidInput", async () => {
            expectNeutron(await route({ route: { ...base(), nexthop: "nope" } }), 400, "InvalidInput");
        });
        it("a peering that does not include the VPC: 400 InvalidInput (route-peering-mismatch)", async () => {
            const other = await createVpc(s, "alice", R1, "10.70.0.0/16");
            const r = await route({ route: { ...base(), vpc_id: other } });
            expectNeutron(r, 400, "InvalidInput");
            expect(r.json.NeutronError.message).to.contain("route-peering-mismatch");
        });
        it("a peering that is not ACTIVE: 409 VpcPeeringNotActive", async () => {
            expectNeutron(
                await route({ route: { ...base(), nexthop: pending, destination: "10.2.0.0/16" } }),
                409,
                "VpcPeeringNotActive",
            );
        });
        it("a destination overlapping the VPC's own CIDR: 400 InvalidInput (route-overlaps-own-vpc)", async () => {
            const r = await route({ route: { ...base(), destination: "10.1.128.0/17" } });
            expectNeutron(r, 400, "InvalidInput");
            expect(r.json.NeutronError.message).to.contain("route-overlaps-own-vpc");
        });
        for (const bad of ["10.3.0.1/16", "10.3.0.0/33", "10.3.0.0", "fd00::/64", "", "10.3.0.0/16 "]) {
            it(`a destination ${JSON.stringify(bad)}: 400 InvalidInput`, async () => {
                expectNeutron(await route({ route: { ...base(), destination: bad } }), 400, "InvalidInput");
            });
        }
        it("wrong types and missing fields: 400 InvalidInput", async () => {
            expectNeutron(await route({ route: { ...base(), destination: 10 } }), 400, "InvalidInput");
            const { vpc_id: _, ...noVpc } = base();
            expectNeutron(await route({ route: noVpc }), 400, "InvalidInput");
            expectNeutron(await route({ route: { ...base(), extra: 1 } }), 400, "InvalidInput");
            expectNeutron(await route({ route: [] }), 400, "InvalidInput");
        });
        it("a VPC of another project: 400 InvalidInput", async () => {
            expectNeutron(await route({ route: { ...base(), vpc_id: bobVpc } }), 400, "InvalidInput");
        });
        it("another tenant's tenant_id: 403 PolicyNotAuthorized", async () => {
            expectNeutron(await route({ route: { ...base(), tenant_id: bobP } }), 403, "PolicyNotAuthorized");
        });
        it("the same destination twice in a VPC: 409 RouteDestinationConflict", async () => {
            const a = await createVpc(s, "alice", R1, "10.80.0.0/16");
            const b = await createVpc(s, "alice", R1, "10.81.0.0/16");
            const p = await createPeering(s, "alice", R1, a, b);
            await createRoute(s, "alice", R1, a, "10.81.0.0/16", p.id!);
            const r = await route({
                route: { type: "peering", nexthop: p.id, destination: "10.81.0.0/16", vpc_id: a },
            });
            expectNeutron(r, 409, "RouteDestinationConflict");
        });
        it("beyond the routes-per-VPC quota: 409 OverQuota", async () => {
            const q = await startTestServer({ quotas: { routesPerVpc: 1 } });
            try {
                const a = await createVpc(q, "alice", R1, "10.1.0.0/16");
                const b = await createVpc(q, "alice", R1, "10.2.0.0/16");
                const p = await createPeering(q, "alice", R1, a, b);
                await createRoute(q, "alice", R1, a, "10.2.0.0/24", p.id!);
                const r = await raw(q, "POST", `/${R1}/v2.0/vpc/routes`, {
                    as: "alice",
                    body: { route: { type: "peering", nexthop: p.id, destination: "10.2.1.0/24", vpc_id: a } },
                });
                expectNeutron(r, 409, "OverQuota");
            } finally {
                await q.close();
            }
        });
        it("show/delete of an unknown or foreign route: 404 RouteNotFound", async () => {
            const a = await createVpc(s, "alice", R1, "10.90.0.0/16");
            const b = await createVpc(s, "alice", R1, "10.91.0.0/16");
            const p = await createPeering(s, "alice", R1, a, b);
            const r = await createRoute(s, "alice", R1, a, "10.91.0.0/16", p.id!);
            expectNeutron(await raw(s, "GET", `/${R1}/v2.0/vpc/routes/${r.id}`, { as: "bob" }), 404, "RouteNotFound");
            expectNeutron(
                await raw(s, "DELETE", `/${R1}/v2.0/vpc/routes/${r.id}`, { as: "bob" }),
                404,
                "RouteNotFound",
            );
            expectNeutron(await raw(s, "GET", `/${R1}/v2.0/vpc/routes/nope`, { as: "alice" }), 404, "RouteNotFound");
            await sdkRefusal(
                vpcClient(s, "bob", R1).deleteVpcRoute(new v2.DeleteVpcRouteRequest().withRouteId(r.id!)),
                404,
            );
        });
    });
});
