// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Wire DTOs of the Huawei-style VPC APIs the resources use: VPC v1, peering v2.0 and routes v2.0
// (reference: huawei-vpc-api.md §1–3). Field names are the wire names. Clients must tolerate missing
// optional fields and ignore unknown ones.

/** {@link VpcStatus} lists the VPC v1 status values (`CREATING` → `OK`; the others are failures or transient). */
export type VpcStatus = "CREATING" | "OK" | "DOWN" | "PENDING_UPDATE" | "PENDING_DELETE" | "ERROR";

/** {@link VpcTag} is one tag of a VPC, as the v2.0 tag calls carry it. */
export interface VpcTag {
    key: string;
    value: string;
}

/** {@link VpcDto} is the VPC v1 `vpc` object. */
export interface VpcDto {
    id: string;
    name: string;
    description?: string;
    cidr: string;
    status: VpcStatus | string;
    routes?: { destination: string; nexthop: string }[];
    enterprise_project_id?: string;
    tenant_id?: string;
    created_at?: string;
    updated_at?: string;
}

/** {@link CreateVpcBody} is the body of `POST /v1/{project_id}/vpcs` (inside `{"vpc": ...}`). */
export interface CreateVpcBody {
    name?: string;
    description?: string;
    cidr?: string;
    enterprise_project_id?: string;
}

/** {@link UpdateVpcBody} is the body of `PUT /v1/{project_id}/vpcs/{id}` (inside `{"vpc": ...}`). */
export interface UpdateVpcBody {
    name?: string;
    description?: string;
    cidr?: string;
}

/** {@link PeeringStatus} lists the peering status values. */
export type PeeringStatus = "PENDING_ACCEPTANCE" | "REJECTED" | "EXPIRED" | "DELETED" | "ACTIVE";

/** {@link VpcInfoDto} is one side of a peering: a VPC and the project that owns it. */
export interface VpcInfoDto {
    vpc_id: string;
    /** The project ID (not the account/domain ID) owning the VPC. */
    tenant_id?: string;
}

/** {@link PeeringDto} is the v2.0 `peering` object. */
export interface PeeringDto {
    id: string;
    name: string;
    description?: string;
    status: PeeringStatus | string;
    request_vpc_info: VpcInfoDto;
    accept_vpc_info: VpcInfoDto;
    /** UTC, `yyyy-MM-ddTHH:mm:ss` without a zone suffix. */
    created_at?: string;
    updated_at?: string;
    /** Not part of Huawei's documented object; honoured if a server sends it (see `expiresAt`). */
    expires_at?: string;
}

/** {@link CreatePeeringBody} is the body of `POST /v2.0/vpc/peerings` (inside `{"peering": ...}`). */
export interface CreatePeeringBody {
    name: string;
    description?: string;
    request_vpc_info: VpcInfoDto;
    accept_vpc_info: VpcInfoDto;
}

/** {@link UpdatePeeringBody} is the body of `PUT /v2.0/vpc/peerings/{id}` (inside `{"peering": ...}`). */
export interface UpdatePeeringBody {
    name?: string;
    description?: string;
}

/** {@link RouteDto} is the v2.0 `route` object (type `peering` only). */
export interface RouteDto {
    id: string;
    destination: string;
    nexthop: string;
    type: "peering" | string;
    vpc_id: string;
    tenant_id?: string;
}

/** {@link CreateRouteBody} is the body of `POST /v2.0/vpc/routes` (inside `{"route": ...}`). */
export interface CreateRouteBody {
    type: "peering";
    nexthop: string;
    destination: string;
    vpc_id: string;
}

/** {@link PageLink} is one entry of a `<resource>_links` array: a `href` or (page_reverse form) a `marker`. */
export interface PageLink {
    href?: string;
    marker?: string;
    rel: string;
}

/** {@link ListQuery} holds list filters; `undefined` values are left out. */
export type ListQuery = Record<string, string | number | undefined>;
