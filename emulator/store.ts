// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// Persistence: one SQLite database (Node 22's built-in `node:sqlite`), a file under the data directory or
// `:memory:`. Every request runs inside one transaction (`Store.transaction`), so a request that fails at any
// point leaves the database exactly as it was.
//
// Derived states are computed at read time from stored instants, so no timer has to survive a restart:
// a VPC is `CREATING` until `ready_at`, then `OK`; a `PENDING_ACCEPTANCE` peering is `EXPIRED` from
// `expires_at` on.
//
// One file for the Store class: each method is one statement on one table, the transaction wraps them all. The
// tables, rows and derived-state columns are storeSchema.ts.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { loadSqlite } from "./sqlite";
import {
    DATABASE_FILE_NAME,
    ListQuery,
    Page,
    PEERING_COLUMNS,
    PEERING_STATUS,
    PeeringRow,
    RouteRow,
    SCHEMA,
    SCHEMA_VERSION,
    TokenRow,
    VPC_COLUMNS,
    VpcRow,
} from "./storeSchema";

export { DATABASE_FILE_NAME } from "./storeSchema";
export type { ListQuery, Page, PeeringRow, PeeringStatus, RouteRow, TokenRow, VpcRow } from "./storeSchema";

type Params = Record<string, string | number | null>;

/** Binds exactly the named columns (node:sqlite refuses unknown named parameters). */
function pick<T extends object>(row: T, keys: ReadonlyArray<keyof T & string>): Params {
    const out: Params = {};
    for (const k of keys) out[k] = row[k] as unknown as string | number | null;
    return out;
}

/** {@link StoreOptions} says where the database lives. */
export interface StoreOptions {
    /** A directory for the database file (created when missing), or `undefined` for an in-memory database. */
    readonly dataDir?: string;
}

/**
 * {@link Store} is the server's only access to the database. Methods are synchronous; call them inside
 * {@link Store.transaction} so that a failing request rolls back everything it did.
 */
export class Store {
    /** The database location: a file path or `:memory:`. */
    readonly location: string;
    private readonly db: DatabaseSync;
    private readonly statements = new Map<string, StatementSync>();
    private depth = 0;

    constructor(options: StoreOptions = {}) {
        const { DatabaseSync } = loadSqlite();
        if (options.dataDir !== undefined) {
            mkdirSync(options.dataDir, { recursive: true });
            this.location = join(options.dataDir, DATABASE_FILE_NAME);
        } else {
            this.location = ":memory:";
        }
        this.db = new DatabaseSync(this.location);
        if (this.location !== ":memory:") {
            this.db.exec("PRAGMA journal_mode = WAL");
            this.db.exec("PRAGMA busy_timeout = 5000");
        }
        this.db.exec("PRAGMA foreign_keys = ON");
        this.db.exec(SCHEMA);
        const version = this.get<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'", {});
        if (!version) {
            this.run("INSERT INTO meta (key, value) VALUES ('schema_version', :v)", { v: SCHEMA_VERSION });
        } else if (version.value !== SCHEMA_VERSION) {
            throw new Error(
                `database ${this.location} has schema version ${version.value}, this server needs ${SCHEMA_VERSION}; ` +
                    "use another data directory",
            );
        }
    }

    /** {@link Store.transaction} runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
    transaction<T>(fn: () => T): T {
        if (this.depth > 0) return fn();
        this.db.exec("BEGIN IMMEDIATE");
        this.depth++;
        try {
            const result = fn();
            this.db.exec("COMMIT");
            return result;
        } catch (e) {
            this.db.exec("ROLLBACK");
            throw e;
        } finally {
            this.depth--;
        }
    }

    close(): void {
        this.db.close();
    }

    // ---- statements -----------------------------------------------------------------------------

    private stmt(sql: string): StatementSync {
        let s = this.statements.get(sql);
        if (!s) {
            s = this.db.prepare(sql);
            this.statements.set(sql, s);
        }
        return s;
    }

    private get<T>(sql: string, params: Params): T | undefined {
        return this.stmt(sql).get(params) as T | undefined;
    }

    private all<T>(sql: string, params: Params): T[] {
        return this.stmt(sql).all(params) as T[];
    }

    private run(sql: string, params: Params): number {
        return Number(this.stmt(sql).run(params).changes);
    }

    /** Builds `WHERE` clauses for equality filters plus the marker, and pages by id. */
    private page<T>(select: string, base: string[], filters: Params, query: ListQuery, params: Params): Page<T> {
        const clauses = [...base];
        const all: Params = { ...params };
        let i = 0;
        for (const [expr, value] of Object.entries(filters)) {
            if (value === undefined || value === null) continue;
            const name = `f${i++}`;
            clauses.push(`(${expr}) = :${name}`);
            all[name] = value;
        }
        if (query.marker !== undefined) {
            clauses.push("id > :marker");
            all.marker = query.marker;
        }
        all.limit = query.limit + 1;
        const rows = this.all<T>(`${select} WHERE ${clauses.join(" AND ")} ORDER BY id LIMIT :limit`, all);
        const truncated = rows.length > query.limit;
        if (truncated) rows.length = query.limit;
        return { rows, truncated };
    }

    // ---- VPCs -----------------------------------------------------------------------------------

    insertVpc(v: Omit<VpcRow, "status">): void {
        this.run(
            `INSERT INTO vpcs (id, region, project_id, name, description, cidr, enterprise_project_id, ready_at,
                created_at, updated_at)
             VALUES (:id, :region, :project_id, :name, :description, :cidr, :enterprise_project_id, :ready_at,
                :created_at, :updated_at)`,
            pick(v, [
                "id",
                "region",
                "project_id",
                "name",
                "description",
                "cidr",
                "enterprise_project_id",
                "ready_at",
                "created_at",
                "updated_at",
            ]),
        );
    }

    updateVpc(id: string, fields: { name: string; description: string; cidr: string; updated_at: number }): void {
        this.run(
            "UPDATE vpcs SET name = :name, description = :description, cidr = :cidr, updated_at = :updated_at WHERE id = :id",
            { id, ...fields },
        );
    }

    deleteVpc(id: string): void {
        this.run("DELETE FROM vpc_tags WHERE vpc_id = :id", { id });
        this.run("DELETE FROM vpcs WHERE id = :id", { id });
    }

    /** The tags of a VPC, by key. */
    vpcTags(vpcId: string): Array<{ key: string; value: string }> {
        return this.all<{ key: string; value: string }>(
            "SELECT key, value FROM vpc_tags WHERE vpc_id = :v ORDER BY key",
            { v: vpcId },
        ).map((t) => ({ key: t.key, value: t.value }));
    }

    /** Sets tags on a VPC (a key that exists gets the new value). */
    putVpcTags(vpcId: string, tags: ReadonlyArray<{ key: string; value: string }>): void {
        for (const t of tags) {
            this.run(
                "INSERT INTO vpc_tags (vpc_id, key, value) VALUES (:v, :k, :val) ON CONFLICT (vpc_id, key) DO UPDATE SET value = :val",
                { v: vpcId, k: t.key, val: t.value },
            );
        }
    }

    /** Removes tags from a VPC by key (keys it does not have are ignored). */
    deleteVpcTags(vpcId: string, keys: readonly string[]): void {
        for (const k of keys) this.run("DELETE FROM vpc_tags WHERE vpc_id = :v AND key = :k", { v: vpcId, k });
    }

    /** A VPC by id, whatever its project or region (callers check visibility). */
    vpc(id: string, now: number): VpcRow | undefined {
        return this.get<VpcRow>(`SELECT ${VPC_COLUMNS} FROM vpcs WHERE id = :id`, { id, now });
    }

    vpcByName(projectId: string, name: string, now: number): VpcRow | undefined {
        return this.get<VpcRow>(
            `SELECT ${VPC_COLUMNS} FROM vpcs WHERE project_id = :project_id AND name = :name LIMIT 1`,
            { project_id: projectId, name, now },
        );
    }

    countVpcs(projectId: string): number {
        return this.get<{ n: number }>("SELECT COUNT(*) AS n FROM vpcs WHERE project_id = :p", { p: projectId })!.n;
    }

    listVpcs(projectId: string, filters: { id?: string; enterprise_project_id?: string }, q: ListQuery, now: number) {
        return this.page<VpcRow>(
            `SELECT ${VPC_COLUMNS} FROM vpcs`,
            ["project_id = :project_id"],
            { id: filters.id ?? null, enterprise_project_id: filters.enterprise_project_id ?? null },
            q,
            { project_id: projectId, now },
        );
    }

    // ---- peerings -------------------------------------------------------------------------------

    insertPeering(p: Omit<PeeringRow, "status"> & { status: "PENDING_ACCEPTANCE" | "ACTIVE" }): void {
        this.run(
            `INSERT INTO peerings (id, region, name, description, status, request_vpc_id, request_project_id,
                accept_vpc_id, accept_project_id, expires_at, created_at, updated_at)
             VALUES (:id, :region, :name, :description, :status, :request_vpc_id, :request_project_id,
                :accept_vpc_id, :accept_project_id, :expires_at, :created_at, :updated_at)`,
            pick(p, [
                "id",
                "region",
                "name",
                "description",
                "status",
                "request_vpc_id",
                "request_project_id",
                "accept_vpc_id",
                "accept_project_id",
                "expires_at",
                "created_at",
                "updated_at",
            ]),
        );
    }

    updatePeering(id: string, fields: { name: string; description: string; updated_at: number }): void {
        this.run(
            "UPDATE peerings SET name = :name, description = :description, updated_at = :updated_at WHERE id = :id",
            {
                id,
                ...fields,
            },
        );
    }

    setPeeringStatus(id: string, status: "ACTIVE" | "REJECTED", updatedAt: number): void {
        this.run("UPDATE peerings SET status = :status, updated_at = :updated_at WHERE id = :id", {
            id,
            status,
            updated_at: updatedAt,
        });
    }

    deletePeering(id: string): void {
        this.run("DELETE FROM peerings WHERE id = :id", { id });
    }

    peering(id: string, now: number): PeeringRow | undefined {
        return this.get<PeeringRow>(`SELECT ${PEERING_COLUMNS} FROM peerings WHERE id = :id`, { id, now });
    }

    /** Peerings that join the two VPCs, in either direction. */
    peeringsBetween(vpcA: string, vpcB: string, now: number): PeeringRow[] {
        return this.all<PeeringRow>(
            `SELECT ${PEERING_COLUMNS} FROM peerings
             WHERE (request_vpc_id = :a AND accept_vpc_id = :b) OR (request_vpc_id = :b AND accept_vpc_id = :a)`,
            { a: vpcA, b: vpcB, now },
        );
    }

    /** Ids of the peerings with the VPC on either side, in any state. */
    peeringIdsOfVpc(vpcId: string): string[] {
        return this.all<{ id: string }>(
            `SELECT id FROM peerings WHERE request_vpc_id = :v UNION SELECT id FROM peerings WHERE accept_vpc_id = :v
             ORDER BY id`,
            { v: vpcId },
        ).map((r) => r.id);
    }

    /**
     * The peerings counted against a project's quota: those it requested (unless rejected or expired) and the
     * ACTIVE ones it accepted (reference §1.6: a pending request uses only the requester's quota).
     */
    countPeeringsForQuota(projectId: string, now: number): number {
        return this.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM peerings
             WHERE (request_project_id = :p AND ${PEERING_STATUS} IN ('PENDING_ACCEPTANCE', 'ACTIVE'))
                OR (accept_project_id = :p AND request_project_id <> :p AND ${PEERING_STATUS} = 'ACTIVE')`,
            { p: projectId, now },
        )!.n;
    }

    /** Peerings visible to a project (either side) in a region, filtered and paged by id. */
    listPeerings(
        projectId: string,
        region: string,
        filters: { id?: string; name?: string; status?: string; tenant_id?: string; vpc_id?: string },
        q: ListQuery,
        now: number,
    ): Page<PeeringRow> {
        const base = ["region = :region", "(request_project_id = :project_id OR accept_project_id = :project_id)"];
        const params: Params = { region, project_id: projectId, now };
        // tenant_id and vpc_id match either side (emulator-defined; reference §1.4 leaves it open).
        if (filters.tenant_id !== undefined) {
            base.push("(request_project_id = :tenant OR accept_project_id = :tenant)");
            params.tenant = filters.tenant_id;
        }
        if (filters.vpc_id !== undefined) {
            base.push("(request_vpc_id = :vpc OR accept_vpc_id = :vpc)");
            params.vpc = filters.vpc_id;
        }
        return this.page<PeeringRow>(
            `SELECT ${PEERING_COLUMNS} FROM peerings`,
            base,
            { id: filters.id ?? null, name: filters.name ?? null, [PEERING_STATUS]: filters.status ?? null },
            q,
            params,
        );
    }

    // ---- routes ---------------------------------------------------------------------------------

    insertRoute(r: RouteRow): void {
        this.run(
            `INSERT INTO routes (id, region, project_id, vpc_id, type, destination, nexthop, created_at)
             VALUES (:id, :region, :project_id, :vpc_id, :type, :destination, :nexthop, :created_at)`,
            pick(r, ["id", "region", "project_id", "vpc_id", "type", "destination", "nexthop", "created_at"]),
        );
    }

    route(id: string): RouteRow | undefined {
        return this.get<RouteRow>("SELECT * FROM routes WHERE id = :id", { id });
    }

    routesOfVpc(vpcId: string): RouteRow[] {
        return this.all<RouteRow>("SELECT * FROM routes WHERE vpc_id = :v ORDER BY id", { v: vpcId });
    }

    countRoutesOfVpc(vpcId: string): number {
        return this.get<{ n: number }>("SELECT COUNT(*) AS n FROM routes WHERE vpc_id = :v", { v: vpcId })!.n;
    }

    deleteRoute(id: string): void {
        this.run("DELETE FROM routes WHERE id = :id", { id });
    }

    /** Deletes every route whose next hop is the peering (in both VPCs); returns how many. */
    deleteRoutesThrough(peeringId: string): number {
        return this.run("DELETE FROM routes WHERE nexthop = :p", { p: peeringId });
    }

    listRoutes(
        projectId: string,
        region: string,
        filters: { id?: string; vpc_id?: string; destination?: string; type?: string; tenant_id?: string },
        q: ListQuery,
    ): Page<RouteRow> {
        return this.page<RouteRow>(
            "SELECT * FROM routes",
            ["region = :region", "project_id = :project_id"],
            {
                id: filters.id ?? null,
                vpc_id: filters.vpc_id ?? null,
                destination: filters.destination ?? null,
                type: filters.type ?? null,
                project_id: filters.tenant_id ?? null,
            },
            q,
            { region, project_id: projectId },
        );
    }

    // ---- tokens ---------------------------------------------------------------------------------

    insertToken(t: TokenRow): void {
        this.run(
            `INSERT INTO tokens (token, account, project_id, region, methods, issued_at, expires_at)
             VALUES (:token, :account, :project_id, :region, :methods, :issued_at, :expires_at)`,
            pick(t, ["token", "account", "project_id", "region", "methods", "issued_at", "expires_at"]),
        );
    }

    token(token: string): TokenRow | undefined {
        return this.get<TokenRow>("SELECT * FROM tokens WHERE token = :t", { t: token });
    }

    deleteExpiredTokens(now: number): void {
        this.run("DELETE FROM tokens WHERE expires_at <= :now", { now });
    }

    // ---- introspection (tests) ------------------------------------------------------------------

    /** {@link Store.snapshot} dumps every table, sorted, to compare "before" and "after" in tests. */
    snapshot(): Record<string, unknown[]> {
        const out: Record<string, unknown[]> = {};
        for (const table of ["vpcs", "vpc_tags", "peerings", "routes", "tokens"]) {
            out[table] = this.all<unknown>(`SELECT * FROM ${table} ORDER BY 1`, {}).map((r) => ({ ...(r as object) }));
        }
        return out;
    }
}
