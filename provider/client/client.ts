// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Longer than ~400 lines: the ApiClient interface and its one implementation (the request/retry core and one short
// method per API call the resources make) read best side by side.
//
// The HTTP client for the calls the resources need: VPC v1, peering v2.0 (incl. accept/reject) and routes v2.0.
// One client per provider call (`createApiClient`), all sharing the process's one axios instance: nothing here is
// ever captured by a serialized provider (the provider module is loaded with require() at call time).
//
// Every call is signed (AK/SK `SDK-HMAC-SHA256`, the same module the API server verifies with) or carries a
// token, is retried on 429/5xx/connection errors until the client's deadline, and fails with a typed ApiError.

import axios, { AxiosInstance, AxiosResponse } from "axios";

import { signRequest } from "../signing/akskSigner";
import { ApiError, NotFoundError, errorFromResponse, toApiError } from "./errors";
import { RetryPolicy, createWithoutDuplicates, withRetry } from "./retry";
import {
    CreatePeeringBody,
    CreateRouteBody,
    CreateVpcBody,
    ListQuery,
    PageLink,
    PeeringDto,
    RouteDto,
    UpdatePeeringBody,
    UpdateVpcBody,
    VpcDto,
    VpcTag,
} from "./types";
import { TERMINAL_PEERING_STATUSES } from "../../core/rules";

/** {@link ApiAuth} is how requests authenticate: AK/SK signing or an IAM token. */
export type ApiAuth =
    | {
          readonly type: "aksk";
          readonly accessKey: string;
          readonly secretKey: string;
          /** For temporary AK/SK; sent as `X-Security-Token`. */
          readonly securityToken?: string;
      }
    | { readonly type: "token"; readonly token: string };

/** {@link ApiClientOptions} configures {@link createApiClient}. */
export interface ApiClientOptions {
    /**
     * Base URL for one region, e.g. `http://127.0.0.1:8080/ap-southeast-1` or `https://vpc.ap-southeast-1.myhuaweicloud.com`.
     */
    readonly endpoint: string;
    /** The project id used in `/v1/{project_id}/...` paths and the `X-Project-Id` header. */
    readonly projectId: string;
    /** Credentials. */
    readonly auth: ApiAuth;
    /** Absolute deadline (ms since epoch) for retries of every call made with this client. */
    readonly deadline: number;
    /** The account profile name, used only in error messages. */
    readonly account?: string;
    /**
     * First retry delay in ms.
     * @default 500
     */
    readonly retryBaseDelayMs?: number;
    /**
     * Largest retry delay in ms.
     * @default 20000
     */
    readonly retryMaxDelayMs?: number;
    /**
     * Timeout of one HTTP request in ms (capped by the deadline).
     * @default 30000
     */
    readonly requestTimeoutMs?: number;
    /** Called before each retry sleep. */
    readonly onRetry?: RetryPolicy["onRetry"];
}

/** {@link RawResponse} is what {@link ApiClient.request} returns. */
export interface RawResponse<T> {
    readonly status: number;
    readonly data: T;
    readonly headers: Record<string, unknown>;
}

/** {@link ApiClient} is the typed client returned by {@link createApiClient}. */
export interface ApiClient {
    /** The options it was created with (credentials included: never log or return it). */
    readonly endpoint: string;
    readonly projectId: string;
    readonly deadline: number;
    /** The retry policy used by every call. */
    readonly retryPolicy: RetryPolicy;

    /** Sends one request (no retries) and maps failures to {@link ApiError}. */
    request<T>(method: string, path: string, options?: { query?: ListQuery; body?: unknown }): Promise<RawResponse<T>>;

    createVpc(body: CreateVpcBody): Promise<VpcDto>;
    getVpc(id: string): Promise<VpcDto>;
    listVpcs(query?: ListQuery): Promise<VpcDto[]>;
    updateVpc(id: string, body: UpdateVpcBody): Promise<VpcDto>;
    /** Deletes a VPC: 404 counts as done, 409 (busy) is retried until the deadline. */
    deleteVpc(id: string): Promise<void>;
    /** Finds a VPC of this project by exact name (and CIDR, if given). */
    findVpcByName(name: string, cidr?: string): Promise<VpcDto | undefined>;
    /** The VPC's tags (v2.0 `GET …/vpcs/{id}/tags`). */
    listVpcTags(id: string): Promise<VpcTag[]>;
    /** Adds or removes tags (v2.0 `POST …/vpcs/{id}/tags/action`; idempotent, so retried like a read). */
    vpcTagsAction(id: string, action: "create" | "delete", tags: readonly VpcTag[]): Promise<void>;

    createPeering(body: CreatePeeringBody): Promise<PeeringDto>;
    getPeering(id: string): Promise<PeeringDto>;
    listPeerings(query?: ListQuery): Promise<PeeringDto[]>;
    updatePeering(id: string, body: UpdatePeeringBody): Promise<PeeringDto>;
    acceptPeering(id: string): Promise<PeeringDto>;
    rejectPeering(id: string): Promise<PeeringDto>;
    /** Deletes a peering: 404 counts as done, 409 is retried until the deadline. */
    deletePeering(id: string): Promise<void>;
    /**
     * Finds a live (not REJECTED/EXPIRED/DELETED) peering between two VPCs, in either direction unless
     * `exactDirection` is set.
     */
    findPeeringByVpcPair(
        requesterVpcId: string,
        accepterVpcId: string,
        exactDirection?: boolean,
    ): Promise<PeeringDto | undefined>;

    createRoute(body: CreateRouteBody): Promise<RouteDto>;
    getRoute(id: string): Promise<RouteDto>;
    listRoutes(query?: ListQuery): Promise<RouteDto[]>;
    /** Deletes a route: 404 counts as done, 409 is retried until the deadline. */
    deleteRoute(id: string): Promise<void>;
    /** Finds the route of a VPC for a destination (any next hop). */
    findRoute(vpcId: string, destination: string): Promise<RouteDto | undefined>;
}

/** {@link TERMINAL_PEERING_STATUSES} are the peering states from which it can never become usable again. */
export { TERMINAL_PEERING_STATUSES };

/**
 * {@link findLivePeeringOfPair} picks, from a listing of peerings, the live (not terminal) one between two VPCs —
 * requester → accepter, or either direction unless `exactDirection`.
 */
export function findLivePeeringOfPair(
    peerings: readonly PeeringDto[],
    requesterVpcId: string,
    accepterVpcId: string,
    exactDirection = false,
): PeeringDto | undefined {
    return peerings.find((p) => {
        if (TERMINAL_PEERING_STATUSES.includes(p.status)) return false;
        const r = p.request_vpc_info?.vpc_id;
        const a = p.accept_vpc_info?.vpc_id;
        if (r === requesterVpcId && a === accepterVpcId) return true;
        return !exactDirection && r === accepterVpcId && a === requesterVpcId;
    });
}

let sharedHttp: AxiosInstance | undefined;

/**
 * The one axios instance of the process. Its settings are the same for every client (credentials, endpoint and
 * timeouts go with each request), so the provider host's thousands of calls share it and its connection pool.
 */
function http(): AxiosInstance {
    sharedHttp ??= axios.create({
        // We send exact bytes (they are signed) and read text; no transformation either way.
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        responseType: "text",
        validateStatus: () => true,
        maxRedirects: 0,
        proxy: false,
    });
    return sharedHttp;
}

/** {@link createApiClient} creates a client for one endpoint, project and deadline. Cheap; make one per provider call. */
export function createApiClient(options: ApiClientOptions): ApiClient {
    const endpoint = options.endpoint.replace(/\/+$/, "");
    const base = new URL(endpoint);
    const prefix = base.pathname.replace(/\/+$/, "");
    const retryPolicy: RetryPolicy = {
        deadline: options.deadline,
        baseDelayMs: options.retryBaseDelayMs,
        maxDelayMs: options.retryMaxDelayMs,
        onRetry: options.onRetry,
    };
    const pid = encodeURIComponent(options.projectId);

    async function request<T>(
        method: string,
        path: string,
        opts: { query?: ListQuery; body?: unknown } = {},
    ): Promise<RawResponse<T>> {
        const fullPath = `${prefix}${path}`;
        const qs = buildQuery(opts.query);
        const url = `${base.origin}${fullPath}${qs ? `?${qs}` : ""}`;
        const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
        const headers: Record<string, string> = {
            Host: base.host,
            Accept: "application/json",
            "X-Project-Id": options.projectId,
        };
        if (body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
        if (options.auth.type === "aksk") {
            if (options.auth.securityToken !== undefined) headers["X-Security-Token"] = options.auth.securityToken;
            Object.assign(
                headers,
                signRequest({
                    method,
                    url,
                    headers,
                    body,
                    accessKey: options.auth.accessKey,
                    secretKey: options.auth.secretKey,
                }),
            );
        } else {
            headers["X-Auth-Token"] = options.auth.token;
        }
        const ctx = { method: method.toUpperCase(), path: fullPath, account: options.account, endpoint };
        const remaining = options.deadline - Date.now();
        const timeout = Math.max(1000, Math.min(options.requestTimeoutMs ?? 30_000, remaining > 0 ? remaining : 1000));
        let res: AxiosResponse<string>;
        try {
            res = await http().request<string>({ method, url, headers, data: body, timeout });
        } catch (e) {
            throw toApiError(e, ctx);
        }
        const resHeaders = (res.headers ?? {}) as Record<string, unknown>;
        if (res.status < 200 || res.status >= 300) {
            throw errorFromResponse(res.status, resHeaders, res.data, ctx);
        }
        let data: unknown = undefined;
        if (typeof res.data === "string" && res.data.trim() !== "") {
            try {
                data = JSON.parse(res.data);
            } catch {
                throw errorFromResponse(502, resHeaders, `unparseable JSON response: ${res.data.slice(0, 200)}`, ctx);
            }
        }
        return { status: res.status, data: data as T, headers: resHeaders };
    }

    const retry = <T>(fn: () => Promise<T>, o?: { retryConflict?: boolean }) => withRetry(fn, retryPolicy, o);

    async function listAll<T>(path: string, key: string, query?: ListQuery): Promise<T[]> {
        const out: T[] = [];
        let q: ListQuery = { ...(query ?? {}) };
        const seenMarkers = new Set<string>();
        for (let page = 0; page < 10_000; page++) {
            const res = await retry(() => request<Record<string, unknown>>("GET", path, { query: q }));
            const items = (res.data?.[key] as T[] | undefined) ?? [];
            out.push(...items);
            const marker = nextMarker(res.data?.[`${key}_links`] as PageLink[] | undefined);
            if (marker === undefined || seenMarkers.has(marker) || items.length === 0) break;
            seenMarkers.add(marker);
            q = { ...q, marker };
        }
        return out;
    }

    async function deleteIdempotent(path: string): Promise<void> {
        try {
            await retry(() => request("DELETE", path), { retryConflict: true });
        } catch (e) {
            if (e instanceof NotFoundError) return;
            throw e;
        }
    }

    const vpcPath = `/v1/${pid}/vpcs`;

    const client: ApiClient = {
        endpoint,
        projectId: options.projectId,
        deadline: options.deadline,
        retryPolicy,
        request,

        async createVpc(body) {
            return createWithoutDuplicates(
                async () => (await request<{ vpc: VpcDto }>("POST", vpcPath, { body: { vpc: body } })).data.vpc,
                async () => (body.name ? client.findVpcByName(body.name, body.cidr) : undefined),
                retryPolicy,
            );
        },
        async getVpc(id) {
            return (await retry(() => request<{ vpc: VpcDto }>("GET", `${vpcPath}/${enc(id)}`))).data.vpc;
        },
        listVpcs(query) {
            return listAll<VpcDto>(vpcPath, "vpcs", query);
        },
        async updateVpc(id, body) {
            return (
                await retry(() => request<{ vpc: VpcDto }>("PUT", `${vpcPath}/${enc(id)}`, { body: { vpc: body } }))
            ).data.vpc;
        },
        deleteVpc(id) {
            return deleteIdempotent(`${vpcPath}/${enc(id)}`);
        },
        async listVpcTags(id) {
            const path = `/v2.0/${pid}/vpcs/${enc(id)}/tags`;
            return (await retry(() => request<{ tags?: VpcTag[] }>("GET", path))).data.tags ?? [];
        },
        async vpcTagsAction(id, action, tags) {
            if (tags.length === 0) return;
            const path = `/v2.0/${pid}/vpcs/${enc(id)}/tags/action`;
            await retry(() => request("POST", path, { body: { action, tags } }));
        },
        async findVpcByName(name, cidr) {
            const all = await client.listVpcs({ name });
            return all.find((v) => v.name === name && (cidr === undefined || v.cidr === cidr));
        },

        async createPeering(body) {
            return createWithoutDuplicates(
                async () =>
                    (await request<{ peering: PeeringDto }>("POST", "/v2.0/vpc/peerings", { body: { peering: body } }))
                        .data.peering,
                () => client.findPeeringByVpcPair(body.request_vpc_info.vpc_id, body.accept_vpc_info.vpc_id, true),
                retryPolicy,
            );
        },
        async getPeering(id) {
            return (await retry(() => request<{ peering: PeeringDto }>("GET", `/v2.0/vpc/peerings/${enc(id)}`))).data
                .peering;
        },
        listPeerings(query) {
            return listAll<PeeringDto>("/v2.0/vpc/peerings", "peerings", query);
        },
        async updatePeering(id, body) {
            return (
                await retry(() =>
                    request<{ peering: PeeringDto }>("PUT", `/v2.0/vpc/peerings/${enc(id)}`, {
                        body: { peering: body },
                    }),
                )
            ).data.peering;
        },
        async acceptPeering(id) {
            return unwrapPeering((await request<unknown>("PUT", `/v2.0/vpc/peerings/${enc(id)}/accept`)).data);
        },
        async rejectPeering(id) {
            return unwrapPeering((await request<unknown>("PUT", `/v2.0/vpc/peerings/${enc(id)}/reject`)).data);
        },
        deletePeering(id) {
            return deleteIdempotent(`/v2.0/vpc/peerings/${enc(id)}`);
        },
        async findPeeringByVpcPair(requesterVpcId, accepterVpcId, exactDirection = false) {
            const all = await client.listPeerings({ vpc_id: requesterVpcId });
            return findLivePeeringOfPair(all, requesterVpcId, accepterVpcId, exactDirection);
        },

        async createRoute(body) {
            return createWithoutDuplicates(
                async () =>
                    (await request<{ route: RouteDto }>("POST", "/v2.0/vpc/routes", { body: { route: body } })).data
                        .route,
                async () => {
                    const r = await client.findRoute(body.vpc_id, body.destination);
                    return r !== undefined && r.nexthop === body.nexthop ? r : undefined;
                },
                retryPolicy,
            );
        },
        async getRoute(id) {
            return (await retry(() => request<{ route: RouteDto }>("GET", `/v2.0/vpc/routes/${enc(id)}`))).data.route;
        },
        listRoutes(query) {
            return listAll<RouteDto>("/v2.0/vpc/routes", "routes", query);
        },
        deleteRoute(id) {
            return deleteIdempotent(`/v2.0/vpc/routes/${enc(id)}`);
        },
        async findRoute(vpcId, destination) {
            const all = await client.listRoutes({ vpc_id: vpcId, destination });
            return all.find((r) => r.vpc_id === vpcId && r.destination === destination);
        },
    };
    return client;
}

/** {@link isApiClientError} is true for errors thrown by the client. */
export function isApiClientError(e: unknown): e is ApiError {
    return e instanceof ApiError;
}

function enc(s: string): string {
    return encodeURIComponent(s);
}

/** Builds a query string with sorted keys (deterministic; the signer canonicalises anyway). */
function buildQuery(query: ListQuery | undefined): string {
    if (!query) return "";
    return Object.keys(query)
        .filter((k) => query[k] !== undefined && query[k] !== "")
        .sort()
        .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
        .join("&");
}

/** {@link nextMarker} reads the next page's marker from `<resource>_links`: a `marker`, or `marker=` in `href`. */
export function nextMarker(links: PageLink[] | undefined): string | undefined {
    const next = links?.find((l) => l.rel === "next");
    if (!next) return undefined;
    if (typeof next.marker === "string" && next.marker !== "") return next.marker;
    if (typeof next.href === "string") {
        try {
            const m = new URL(next.href, "http://placeholder").searchParams.get("marker");
            return m ?? undefined;
        } catch {
            return undefined;
        }
    }
    return undefined;
}

/** Accept/reject answer with the peering at the top level; tolerate a `{peering: ...}` wrapper too. */
function unwrapPeering(data: unknown): PeeringDto {
    const o = (data ?? {}) as Record<string, unknown>;
    if (o["peering"] && typeof o["peering"] === "object") return o["peering"] as PeeringDto;
    return o as unknown as PeeringDto;
}
