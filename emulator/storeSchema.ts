// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The API server's tables: the SQL schema (and its version), the rows the store hands to the handlers, and the
// column lists that compute the derived states at read time (a VPC `CREATING` until `ready_at`, a pending peering
// `EXPIRED` from `expires_at` on). Only store.ts runs SQL.

/** {@link DATABASE_FILE_NAME} is the database file inside the data directory. */
export const DATABASE_FILE_NAME = "peering-api.db";

/** {@link SCHEMA_VERSION} is stored in the database; a server refuses a database of another version. */
export const SCHEMA_VERSION = "1";

/** {@link SCHEMA} creates the tables (idempotent). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vpcs (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    cidr TEXT NOT NULL,
    enterprise_project_id TEXT NOT NULL,
    ready_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS vpcs_by_project ON vpcs (project_id, id);
CREATE INDEX IF NOT EXISTS vpcs_by_name ON vpcs (project_id, name);
CREATE TABLE IF NOT EXISTS vpc_tags (
    vpc_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (vpc_id, key)
);
CREATE TABLE IF NOT EXISTS peerings (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    request_vpc_id TEXT NOT NULL,
    request_project_id TEXT NOT NULL,
    accept_vpc_id TEXT NOT NULL,
    accept_project_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS peerings_by_requester ON peerings (request_project_id, id);
CREATE INDEX IF NOT EXISTS peerings_by_accepter ON peerings (accept_project_id, id);
CREATE INDEX IF NOT EXISTS peerings_by_request_vpc ON peerings (request_vpc_id);
CREATE INDEX IF NOT EXISTS peerings_by_accept_vpc ON peerings (accept_vpc_id);
CREATE TABLE IF NOT EXISTS routes (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    project_id TEXT NOT NULL,
    vpc_id TEXT NOT NULL,
    type TEXT NOT NULL,
    destination TEXT NOT NULL,
    nexthop TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (vpc_id, destination)
);
CREATE INDEX IF NOT EXISTS routes_by_project ON routes (project_id, id);
CREATE INDEX IF NOT EXISTS routes_by_nexthop ON routes (nexthop);
CREATE INDEX IF NOT EXISTS routes_by_vpc ON routes (vpc_id, destination);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    project_id TEXT NOT NULL,
    region TEXT NOT NULL,
    methods TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
`;

/** {@link VpcRow} is a stored VPC with its derived status. */
export interface VpcRow {
    id: string;
    region: string;
    project_id: string;
    name: string;
    description: string;
    cidr: string;
    enterprise_project_id: string;
    ready_at: number;
    created_at: number;
    updated_at: number;
    /** Derived: `CREATING` before `ready_at`, `OK` after. */
    status: "CREATING" | "OK";
}

/** {@link PeeringStatus} is a peering's status as the API reports it. */
export type PeeringStatus = "PENDING_ACCEPTANCE" | "ACTIVE" | "REJECTED" | "EXPIRED";

/** {@link PeeringRow} is a stored peering with its derived status. */
export interface PeeringRow {
    id: string;
    region: string;
    name: string;
    description: string;
    /** Derived: a stored `PENDING_ACCEPTANCE` past `expires_at` reads as `EXPIRED`. */
    status: PeeringStatus;
    request_vpc_id: string;
    request_project_id: string;
    accept_vpc_id: string;
    accept_project_id: string;
    expires_at: number;
    created_at: number;
    /** Derived for expired peerings: the expiry instant. */
    updated_at: number;
}

/** {@link RouteRow} is a stored route. */
export interface RouteRow {
    id: string;
    region: string;
    project_id: string;
    vpc_id: string;
    type: string;
    destination: string;
    nexthop: string;
    created_at: number;
}

/** {@link TokenRow} is an issued IAM token. */
export interface TokenRow {
    token: string;
    account: string;
    project_id: string;
    region: string;
    methods: string;
    issued_at: number;
    expires_at: number;
}

/** {@link Page} is one page of a list: the rows and whether more follow. */
export interface Page<T> {
    readonly rows: T[];
    readonly truncated: boolean;
}

/** {@link ListQuery} is the common shape of list filters: column → required value, plus paging. */
export interface ListQuery {
    /** Only rows with `id > marker`. */
    readonly marker?: string;
    readonly limit: number;
}

/** {@link VPC_COLUMNS} selects a {@link VpcRow}, its status derived from `:now`. */
export const VPC_COLUMNS = `id, region, project_id, name, description, cidr, enterprise_project_id, ready_at, created_at,
    updated_at, CASE WHEN ready_at <= :now THEN 'OK' ELSE 'CREATING' END AS status`;

/** {@link PEERING_STATUS} is a peering's status at `:now` (a pending request past its expiry is EXPIRED). */
export const PEERING_STATUS = `CASE WHEN status = 'PENDING_ACCEPTANCE' AND expires_at <= :now THEN 'EXPIRED' ELSE status END`;

/** {@link PEERING_COLUMNS} selects a {@link PeeringRow}, its status and `updated_at` derived from `:now`. */
export const PEERING_COLUMNS = `id, region, name, description, ${PEERING_STATUS} AS status, request_vpc_id,
    request_project_id, accept_vpc_id, accept_project_id, expires_at, created_at,
    CASE WHEN status = 'PENDING_ACCEPTANCE' AND expires_at <= :now THEN MAX(updated_at, expires_at)
         ELSE updated_at END AS updated_at`;
