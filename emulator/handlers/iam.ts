// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The IAM (Keystone v3) calls clients make before they reach the VPC API (reference §4.1–4.2):
// - `POST /v3/auth/tokens` → 201, the token in the `X-Subject-Token` header (valid 24 h by default);
// - `GET /v3/projects?name=<region>` and `GET /v3/auth/projects` (the SDKs look up the project id here);
// - `GET /v3/auth/domains`, `GET /v3/regions`.
//
// Token requests (emulator-defined credentials): method `password` with user name = account name,
// password = the account's secret key, domain name = account name or domain id = the account's domain id;
// or method `hw_ak_sk` with `access.key` = AK and `secret.key` = SK. The scope must be a project, by id or
// by name (the region name, Huawei's convention).

import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AccountSpec, ProjectRef } from "../accounts";
import { HandlerContext, isJsonObject, JsonObject, parseJsonBody, Reply, singleQuery } from "../context";
import { Errors } from "../errors";

function str(obj: unknown, ...path: string[]): string | undefined {
    let cur: unknown = obj;
    for (const key of path) {
        if (!isJsonObject(cur)) return undefined;
        cur = cur[key];
    }
    return typeof cur === "string" ? cur : undefined;
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a, "utf8");
    const y = Buffer.from(b, "utf8");
    return x.length === y.length && timingSafeEqual(x, y);
}

function isoWithMicros(ms: number): string {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function identify(ctx: HandlerContext, auth: JsonObject): { account: AccountSpec; methods: string[] } {
    const identity = auth.identity;
    if (!isJsonObject(identity)) throw Errors.iamBadRequest("auth.identity is required");
    const methods = identity.methods;
    if (!Array.isArray(methods) || methods.length !== 1 || typeof methods[0] !== "string") {
        throw Errors.iamBadRequest('auth.identity.methods must be ["password"] or ["hw_ak_sk"]');
    }
    const method = methods[0];
    if (method === "password") {
        const name = str(identity, "password", "user", "name");
        const password = str(identity, "password", "user", "password");
        if (name === undefined || password === undefined) {
            throw Errors.iamBadRequest("auth.identity.password.user needs name and password");
        }
        const account = ctx.directory.accountByName(name);
        if (!account || !safeEqual(password, account.secretKey)) throw Errors.iamBadCredentials();
        const domainName = str(identity, "password", "user", "domain", "name");
        const domainId = str(identity, "password", "user", "domain", "id");
        if (
            (domainName !== undefined && domainName !== account.name) ||
            (domainId !== undefined && domainId !== account.domainId)
        ) {
            throw Errors.iamBadCredentials();
        }
        return { account, methods: ["password"] };
    }
    if (method === "hw_ak_sk") {
        const ak = str(identity, "hw_ak_sk", "access", "key");
        const sk = str(identity, "hw_ak_sk", "secret", "key");
        if (ak === undefined || sk === undefined) {
            throw Errors.iamBadRequest("auth.identity.hw_ak_sk needs access.key and secret.key");
        }
        const account = ctx.directory.accountByAccessKey(ak);
        if (!account || !safeEqual(sk, account.secretKey)) throw Errors.iamBadCredentials();
        return { account, methods: ["hw_ak_sk"] };
    }
    throw Errors.iamBadRequest(
        `authentication method ${JSON.stringify(method)} is not supported (use password or hw_ak_sk)`,
    );
}

function scopedProject(ctx: HandlerContext, auth: JsonObject, account: AccountSpec): ProjectRef {
    const scope = auth.scope;
    if (!isJsonObject(scope) || !isJsonObject(scope.project)) {
        throw Errors.iamBadRequest(
            "auth.scope.project (id or name) is required; only project-scoped tokens are issued",
        );
    }
    const id = str(scope, "project", "id");
    const name = str(scope, "project", "name");
    let project: ProjectRef | undefined;
    if (id !== undefined) {
        project = ctx.directory.project(id);
        if (project && project.account !== account) project = undefined;
    } else if (name !== undefined) {
        const pid = account.projects[name];
        project = pid !== undefined ? ctx.directory.project(pid) : undefined;
    } else {
        throw Errors.iamBadRequest("auth.scope.project needs id or name");
    }
    if (!project) throw Errors.iamScopeNotFound(id ?? name ?? "");
    return project;
}

function projectView(p: ProjectRef): Record<string, unknown> {
    return {
        id: p.id,
        name: p.region,
        domain_id: p.account.domainId,
        parent_id: p.account.domainId,
        enabled: true,
        is_domain: false,
        description: "",
    };
}

/** `POST /v3/auth/tokens` → 201 with `X-Subject-Token`. */
export function issueToken(ctx: HandlerContext): Reply {
    const body = parseJsonBody(ctx);
    const auth = body.auth;
    if (!isJsonObject(auth)) throw Errors.iamBadRequest('the body must be {"auth": {"identity": ..., "scope": ...}}');
    const { account, methods } = identify(ctx, auth);
    const project = scopedProject(ctx, auth, account);
    const token = "MII" + randomBytes(96).toString("base64url");
    const expiresAt = ctx.now + ctx.settings.tokenTtlMs;
    ctx.store.deleteExpiredTokens(ctx.now);
    ctx.store.insertToken({
        token,
        account: account.name,
        project_id: project.id,
        region: project.region,
        methods: methods.join(","),
        issued_at: ctx.now,
        expires_at: expiresAt,
    });
    const domain = { id: account.domainId, name: account.name };
    return {
        status: 201,
        headers: { "X-Subject-Token": token },
        body: {
            token: {
                methods,
                issued_at: isoWithMicros(ctx.now),
                expires_at: isoWithMicros(expiresAt),
                user: { id: account.domainId, name: account.name, domain, password_expires_at: "" },
                project: { id: project.id, name: project.region, domain },
                catalog: [
                    {
                        type: "vpc",
                        name: "vpc",
                        id: "vpc",
                        endpoints: ctx.directory.regions.map((r) => ({
                            id: `vpc-${r}`,
                            interface: "public",
                            region: r,
                            region_id: r,
                            url: `${ctx.origin}/${r}`,
                        })),
                    },
                ],
            },
        },
    };
}

function caller(ctx: HandlerContext): AccountSpec {
    if (!ctx.principal) throw new Error("account-scoped handler called without a principal");
    return ctx.principal.account;
}

/** `GET /v3/projects?name=&domain_id=` and `GET /v3/auth/projects` → 200 `{"projects": [...]}` of the caller. */
export function listProjects(ctx: HandlerContext): Reply {
    const account = caller(ctx);
    const name = singleQuery(ctx, "name");
    const domainId = singleQuery(ctx, "domain_id");
    const projects = Object.values(account.projects)
        .map((id) => ctx.directory.project(id)!)
        .filter(
            (p) =>
                (name === undefined || p.region === name) && (domainId === undefined || domainId === account.domainId),
        )
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map(projectView);
    return {
        status: 200,
        body: { projects, links: { self: `${ctx.origin}${ctx.path}`, previous: null, next: null } },
    };
}

/** `GET /v3/auth/domains` → 200 `{"domains": [{id, name, enabled}]}`. */
export function listDomains(ctx: HandlerContext): Reply {
    const account = caller(ctx);
    return {
        status: 200,
        body: {
            domains: [{ id: account.domainId, name: account.name, enabled: true, description: "" }],
            links: { self: `${ctx.origin}${ctx.path}`, previous: null, next: null },
        },
    };
}

/** `GET /v3/regions` → 200 `{"regions": [...]}` (the server's regions, all `public`). */
export function listRegions(ctx: HandlerContext): Reply {
    return {
        status: 200,
        body: {
            regions: ctx.directory.regions.map((r) => ({
                id: r,
                type: "public",
                description: "",
                parent_region_id: null,
                locales: { "en-us": r },
            })),
            links: { self: `${ctx.origin}${ctx.path}`, previous: null, next: null },
        },
    };
}
