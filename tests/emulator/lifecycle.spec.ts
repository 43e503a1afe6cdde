// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The SDK lifecycle against the API server: two accounts, two regions, VPCs, a cross-account peering
// (accept and reject), routes on both sides, pagination, update, delete cascade — all through the official
// Huawei Cloud Node SDK, unmodified, with endpoint `<url>/<region>`.

import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { expect } from "chai";
import type { RunningServer } from "../../emulator/server";
import {
    createPeering,
    createRoute,
    createVpc,
    projectOf,
    R1,
    R3,
    raw,
    sdkRefusal,
    startTestServer,
    uniqueName,
    v2,
    v3,
    vpcClient,
    vpcV3Client,
} from "./harness";

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("API server: SDK lifecycle", () => {
    let server: RunningServer;
    before(async () => {
        server = await startTestServer();
    });
    after(async () => {
        await server.close();
    });

    describe("VPC v1", () => {
        it("creates (200, CREATING then OK), shows, lists, updates and deletes a VPC", async () => {
            const slow = await startTestServer({ vpcReadyDelayMs: 60_000 });
            try {
                const alice = vpcClient(slow, "alice", R1);
                const created: any = await alice.createVpc(
                    new v2.CreateVpcRequest().withBody(
                        new v2.CreateVpcRequestBody().withVpc(
                            new v2.CreateVpcOption().withName("web").withCidr("10.10.0.0/16").withDescription("d"),
                        ),
                    ),
                );
                expect(created.httpStatusCode).to.equal(200);
                expect(created.vpc).to.include({
                    name: "web",
                    cidr: "10.10.0.0/16",
                    description: "d",
                    status: "CREATING",
                    enterprise_project_id: "0",
                    tenant_id: projectOf(slow, "alice", R1),
                });
                expect(created.vpc.id).to.match(UUID);
                expect(created.vpc.created_at).to.match(TIME);
                const id = created.vpc.id;
                slow.advanceTime(60_000);
                const shown: any = await alice.showVpc(new v2.ShowVpcRequest().withVpcId(id));
                expect(shown.vpc.status).to.equal("OK");

                const updated: any = await alice.updateVpc(
                    new v2.UpdateVpcRequest()
                        .withVpcId(id)
                        .withBody(
                            new v2.UpdateVpcRequestBody().withVpc(
                                new v2.UpdateVpcOption().withName("web2").withDescription("").withCidr("10.10.0.0/15"),
                            ),
                        ),
                );
                expect(updated.vpc).to.include({ name: "web2", description: "", cidr: "10.10.0.0/15" });

                const listed: any = await alice.listVpcs(new v2.ListVpcsRequest());
                expect(listed.vpcs.map((v: any) => v.id)).to.deep.equal([id]);

                const deleted: any = await alice.deleteVpc(new v2.DeleteVpcRequest().withVpcId(id));
                expect(deleted.httpStatusCode).to.equal(204);
                await sdkRefusal(alice.showVpc(new v2.ShowVpcRequest().withVpcId(id)), 404);
            } finally {
                await slow.close();
            }
        });

        it("shows a VPC through the v3 API", async () => {
            const id = await createVpc(server, "alice", R1, "10.20.0.0/16", "v3-show");
            const res: any = await vpcV3Client(server, "alice", R1).showVpc(new v3.ShowVpcRequest().withVpcId(id));
            expect(res.vpc).to.include({ id, name: "v3-show", cidr: "10.20.0.0/16", status: "ACTIVE" });
            expect(res.vpc.project_id).to.equal(projectOf(server, "alice", R1));
            expect(res.vpc.extend_cidrs).to.deep.equal([]);
            expect(res.request_id).to.match(/^[0-9a-f]{32}$/);
        });

        it("keeps projects and regions apart", async () => {
            const id = await createVpc(server, "alice", R1, "10.21.0.0/16");
            await sdkRefusal(vpcClient(server, "bob", R1).showVpc(new v2.ShowVpcRequest().withVpcId(id)), 404);
            await sdkRefusal(vpcClient(server, "alice", R3).showVpc(new v2.ShowVpcRequest().withVpcId(id)), 404);
            const inR3: any = await vpcClient(server, "alice", R3).listVpcs(new v2.ListVpcsRequest());
            expect(inR3.vpcs.map((v: any) => v.id)).not.to.include(id);
        });
    });

    describe("cross-account peering", () => {
        let aliceVpc: string;
        let bobVpc: string;
        before(async () => {
            aliceVpc = await createVpc(server, "alice", R1, "10.1.0.0/16");
            bobVpc = await createVpc(server, "bob", R1, "10.2.0.0/16");
        });

        it("creates PENDING_ACCEPTANCE, is accepted by the peer, then carries routes on both sides; delete cascades", async () => {
            const bobProject = projectOf(server, "bob", R1);
            const aliceProject = projectOf(server, "alice", R1);
            const p: any = await createPeering(server, "alice", R1, aliceVpc, bobVpc, bobProject, "a-to-b");
            expect(p).to.include({ name: "a-to-b", status: "PENDING_ACCEPTANCE", description: "" });
            expect(p.request_vpc_info).to.deep.equal({ vpc_id: aliceVpc, tenant_id: aliceProject });
            expect(p.accept_vpc_info).to.deep.equal({ vpc_id: bobVpc, tenant_id: bobProject });
            expect(p.created_at).to.match(TIME);
            expect(p.updated_at).to.match(TIME);
            expect(p.id).to.match(UUID);

            // Visible to both sides.
            const bob = vpcClient(server, "bob", R1);
            const seen: any = await bob.showVpcPeering(new v2.ShowVpcPeeringRequest().withPeeringId(p.id));
            expect(seen.peering.status).to.equal("PENDING_ACCEPTANCE");

            // Accept: 200, unwrapped object.
            const accepted: any = await bob.acceptVpcPeering(new v2.AcceptVpcPeeringRequest().withPeeringId(p.id));
            expect(accepted.httpStatusCode).to.equal(200);
            expect(accepted.peering).to.equal(undefined);
            expect(accepted).to.include({ id: p.id, status: "ACTIVE", name: "a-to-b" });

            // Routes on both sides.
            const ra: any = await createRoute(server, "alice", R1, aliceVpc, "10.2.0.0/16", p.id);
            expect(ra).to.include({
                destination: "10.2.0.0/16",
                nexthop: p.id,
                type: "peering",
                vpc_id: aliceVpc,
                tenant_id: aliceProject,
            });
            const rb: any = await createRoute(server, "bob", R1, bobVpc, "10.1.0.0/16", p.id);
            expect(rb.tenant_id).to.equal(bobProject);
            const shown: any = await vpcClient(server, "alice", R1).showVpcRoute(
                new v2.ShowVpcRouteRequest().withRouteId(ra.id),
            );
            expect(shown.route.id).to.equal(ra.id);
            // A project sees only its own routes.
            await sdkRefusal(bob.showVpcRoute(new v2.ShowVpcRouteRequest().withRouteId(ra.id)), 404);

            // Update the name from the accepter side.
            const renamed: any = await bob.updateVpcPeering(
                new v2.UpdateVpcPeeringRequest()
                    .withPeeringId(p.id)
                    .withBody(
                        new v2.UpdateVpcPeeringRequestBody().withPeering(
                            new v2.UpdateVpcPeeringOption().withName("renamed"),
                        ),
                    ),
            );
            expect(renamed.peering).to.include({ name: "renamed", status: "ACTIVE" });

            // Delete from the requester side: 204; both routes go with it; GET is 404 for both sides.
            const alice = vpcClient(server, "alice", R1);
            const del: any = await alice.deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(p.id));
            expect(del.httpStatusCode).to.equal(204);
            await sdkRefusal(bob.showVpcPeering(new v2.ShowVpcPeeringRequest().withPeeringId(p.id)), 404);
            await sdkRefusal(alice.showVpcRoute(new v2.ShowVpcRouteRequest().withRouteId(ra.id)), 404);
            await sdkRefusal(bob.showVpcRoute(new v2.ShowVpcRouteRequest().withRouteId(rb.id)), 404);
            const left: any = await bob.listVpcRoutes(new v2.ListVpcRoutesRequest().withVpcId(bobVpc));
            expect(left.routes).to.deep.equal([]);
        });

        it("is rejected by the peer (200, unwrapped, REJECTED), frees the pair and can then be deleted by either side", async () => {
            const p: any = await createPeering(server, "alice", R1, aliceVpc, bobVpc, projectOf(server, "bob", R1));
            const bob = vpcClient(server, "bob", R1);
            const rejected: any = await bob.rejectVpcPeering(new v2.RejectVpcPeeringRequest().withPeeringId(p.id));
            expect(rejected.httpStatusCode).to.equal(200);
            expect(rejected).to.include({ id: p.id, status: "REJECTED" });
            // A rejected request no longer holds the VPC pair: a new one is accepted (the shared rule's holdsPair).
            const again: any = await createPeering(server, "alice", R1, aliceVpc, bobVpc, projectOf(server, "bob", R1));
            expect(again.status).to.equal("PENDING_ACCEPTANCE");
            await bob.deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(again.id));
            const del: any = await bob.deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(p.id));
            expect(del.httpStatusCode).to.equal(204);
        });

        it("is ACTIVE at once within one project", async () => {
            const other = await createVpc(server, "alice", R1, "10.3.0.0/16");
            const p: any = await createPeering(server, "alice", R1, aliceVpc, other);
            expect(p.status).to.equal("ACTIVE");
            expect(p.accept_vpc_info.tenant_id).to.equal(projectOf(server, "alice", R1));
            await vpcClient(server, "alice", R1).deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(p.id));
        });

        it("expires a pending request after the TTL", async () => {
            const s = await startTestServer({ pendingTtlMs: 1000 });
            try {
                const a = await createVpc(s, "alice", R1, "10.1.0.0/16");
                const b = await createVpc(s, "bob", R1, "10.2.0.0/16");
                const p: any = await createPeering(s, "alice", R1, a, b, projectOf(s, "bob", R1));
                s.advanceTime(1000);
                const seen: any = await vpcClient(s, "bob", R1).showVpcPeering(
                    new v2.ShowVpcPeeringRequest().withPeeringId(p.id),
                );
                expect(seen.peering.status).to.equal("EXPIRED");
                const err = await sdkRefusal(
                    vpcClient(s, "bob", R1).acceptVpcPeering(new v2.AcceptVpcPeeringRequest().withPeeringId(p.id)),
                    409,
                );
                expect(err.httpStatusCode).to.equal(409);
                const listed: any = await vpcClient(s, "alice", R1).listVpcPeerings(
                    new v2.ListVpcPeeringsRequest().withStatus("EXPIRED"),
                );
                expect(listed.peerings.map((x: any) => x.id)).to.deep.equal([p.id]);
            } finally {
                await s.close();
            }
        });
    });

    describe("lists", () => {
        let s: RunningServer;
        const ids: string[] = [];
        let hub: string;
        before(async () => {
            s = await startTestServer();
            hub = await createVpc(s, "alice", R1, "10.0.0.0/16");
            for (let i = 1; i <= 5; i++) {
                const spoke = await createVpc(s, "alice", R1, `10.${i}.0.0/16`);
                ids.push((await createPeering(s, "alice", R1, hub, spoke, undefined, `spoke-${i}`)).id!);
            }
            ids.sort();
        });
        after(async () => {
            await s.close();
        });

        it("pages peerings sorted by id with limit/marker and peerings_links only when truncated", async () => {
            const alice = vpcClient(s, "alice", R1);
            const seen: string[] = [];
            let marker: string | undefined;
            let pages = 0;
            for (;;) {
                const req = new v2.ListVpcPeeringsRequest().withLimit(2);
                if (marker) req.withMarker(marker);
                const page: any = await alice.listVpcPeerings(req);
                pages++;
                seen.push(...page.peerings.map((p: any) => p.id));
                if (!page.peerings_links) break;
                const next = page.peerings_links.find((l: any) => l.rel === "next");
                expect(next.href).to.contain(`${s.url}/${R1}/v2.0/vpc/peerings?`);
                marker = new URL(next.href).searchParams.get("marker")!;
                expect(marker).to.equal(seen[seen.length - 1]);
            }
            expect(seen).to.deep.equal(ids);
            expect(pages).to.equal(3);
            const all: any = await alice.listVpcPeerings(new v2.ListVpcPeeringsRequest());
            expect(all.peerings).to.have.length(5);
            expect(all.peerings_links).to.equal(undefined);
        });

        it("filters peerings by id, name, status, tenant_id and vpc_id", async () => {
            const alice = vpcClient(s, "alice", R1);
            const byName: any = await alice.listVpcPeerings(new v2.ListVpcPeeringsRequest().withName("spoke-3"));
            expect(byName.peerings.map((p: any) => p.name)).to.deep.equal(["spoke-3"]);
            const byId: any = await alice.listVpcPeerings(new v2.ListVpcPeeringsRequest().withId(ids[0]!));
            expect(byId.peerings.map((p: any) => p.id)).to.deep.equal([ids[0]]);
            const active: any = await alice.listVpcPeerings(new v2.ListVpcPeeringsRequest().withStatus("ACTIVE"));
            expect(active.peerings).to.have.length(5);
            const pending: any = await alice.listVpcPeerings(
                new v2.ListVpcPeeringsRequest().withStatus("PENDING_ACCEPTANCE"),
            );
            expect(pending.peerings).to.have.length(0);
            const byVpc: any = await alice.listVpcPeerings(new v2.ListVpcPeeringsRequest().withVpcId(hub));
            expect(byVpc.peerings).to.have.length(5);
            const byTenant: any = await alice.listVpcPeerings(
                new v2.ListVpcPeeringsRequest().withTenantId(projectOf(s, "alice", R1)),
            );
            expect(byTenant.peerings).to.have.length(5);
            const bob: any = await vpcClient(s, "bob", R1).listVpcPeerings(new v2.ListVpcPeeringsRequest());
            expect(bob.peerings).to.deep.equal([]);
        });

        it("pages and filters routes", async () => {
            const created: string[] = [];
            const peering: any = (await vpcClient(s, "alice", R1).showVpcPeering(
                new v2.ShowVpcPeeringRequest().withPeeringId(ids[0]!),
            )) as any;
            const spoke = peering.peering.accept_vpc_info.vpc_id;
            for (let i = 0; i < 3; i++) {
                created.push((await createRoute(s, "alice", R1, spoke, `172.16.${i}.0/24`, ids[0]!)).id!);
            }
            created.sort();
            const alice = vpcClient(s, "alice", R1);
            const first: any = await alice.listVpcRoutes(new v2.ListVpcRoutesRequest().withLimit(2).withVpcId(spoke));
            expect(first.routes.map((r: any) => r.id)).to.deep.equal(created.slice(0, 2));
            expect(first.routes_links[0].rel).to.equal("next");
            const second: any = await alice.listVpcRoutes(
                new v2.ListVpcRoutesRequest().withLimit(2).withVpcId(spoke).withMarker(created[1]!),
            );
            expect(second.routes.map((r: any) => r.id)).to.deep.equal(created.slice(2));
            expect(second.routes_links).to.equal(undefined);
            const byDest: any = await alice.listVpcRoutes(
                new v2.ListVpcRoutesRequest().withDestination("172.16.1.0/24"),
            );
            expect(byDest.routes).to.have.length(1);
            const byType: any = await alice.listVpcRoutes(new v2.ListVpcRoutesRequest().withType("peering"));
            expect(byType.routes).to.have.length(3);
        });

        it("pages VPCs with limit/marker", async () => {
            const alice = vpcClient(s, "alice", R1);
            const all: any = await alice.listVpcs(new v2.ListVpcsRequest());
            expect(all.vpcs).to.have.length(6);
            const sorted = all.vpcs.map((v: any) => v.id);
            expect(sorted).to.deep.equal([...sorted].sort());
            const page: any = await alice.listVpcs(new v2.ListVpcsRequest().withLimit(4).withMarker(sorted[0]));
            expect(page.vpcs.map((v: any) => v.id)).to.deep.equal(sorted.slice(1, 5));
        });
    });

    describe("IAM", () => {
        it("issues a token (201, X-Subject-Token) that authenticates SDK-less calls", async () => {
            const alice = server.accounts.find((a) => a.name === "alice")!;
            const res = await fetch(`${server.url}/v3/auth/tokens`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({
                    auth: {
                        identity: {
                            methods: ["password"],
                            password: { user: { name: "alice", password: alice.secretKey, domain: { name: "alice" } } },
                        },
                        scope: { project: { name: R1 } },
                    },
                }),
            });
            expect(res.status).to.equal(201);
            const token = res.headers.get("x-subject-token")!;
            expect(token).to.match(/^MII/);
            const body: any = await res.json();
            expect(body.token.project.id).to.equal(alice.projects[R1]);
            expect(body.token.catalog[0].endpoints.map((e: any) => e.url)).to.include(`${server.url}/${R1}`);

            const created = await fetch(`${server.url}/${R1}/v1/${alice.projects[R1]}/vpcs`, {
                method: "POST",
                headers: { "content-type": "application/json", "x-auth-token": token },
                body: JSON.stringify({ vpc: { name: uniqueName("tok"), cidr: "192.168.0.0/16" } }),
            });
            expect(created.status).to.equal(200);
            // Token scoped to R1 does not work in R3.
            const other = await fetch(`${server.url}/${R3}/v2.0/vpc/peerings`, { headers: { "x-auth-token": token } });
            expect(other.status).to.equal(401);
        });

        it("also issues tokens for hw_ak_sk and under a region prefix", async () => {
            const bob = server.accounts.find((a) => a.name === "bob")!;
            const res = await raw(server, "POST", `/${R3}/v3/auth/tokens`, {
                unsigned: true,
                body: {
                    auth: {
                        identity: {
                            methods: ["hw_ak_sk"],
                            hw_ak_sk: { access: { key: bob.accessKey }, secret: { key: bob.secretKey } },
                        },
                        scope: { project: { id: bob.projects[R3] } },
                    },
                },
            });
            expect(res.status).to.equal(201);
            const list = await fetch(`${server.url}/${R3}/v2.0/vpc/peerings`, {
                headers: { "x-auth-token": res.headers.get("x-subject-token")! },
            });
            expect(list.status).to.equal(200);
        });

        it("lets the SDK find the project id through IAM (no projectId configured)", async () => {
            const alice = server.accounts.find((a) => a.name === "alice")!;
            const client = v2.VpcClient.newBuilder()
                .withCredential(
                    new BasicCredentials().withAk(alice.accessKey).withSk(alice.secretKey).withIamEndpoint(server.url),
                )
                .withEndpoint(server.endpoint(R3))
                .withRegion(new (require("@huaweicloud/huaweicloud-sdk-core").Region)(R3, server.endpoint(R3)))
                .build();
            const listed: any = await client.listVpcs(new v2.ListVpcsRequest());
            expect(listed.httpStatusCode).to.equal(200);
            expect(server.requests().some((r) => r.path === "/v3/projects" && r.status === 200)).to.equal(true);
        });
    });
});
