// A real, throwaway PostgreSQL server for the shared-backend tests: `initdb` into a temporary data directory and
// `pg_ctl start` on 127.0.0.1 with a free port and a password (so the backend URL carries one, as in production).
// The server binaries come from the Debian package `postgresql` (`.ci/run` installs it when missing). PostgreSQL
// refuses to run as root; as root, every server command runs as the package's `postgres` user via `runuser`.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface Postgres {
    /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres?sslmode=disable` */
    readonly url: string;
    readonly password: string;
    /** Runs one SQL statement with psql; resolves to its rows (tab-separated columns). */
    query(sql: string): Promise<string[][]>;
    stop(): Promise<void>;
}

/** The folder holding initdb, pg_ctl and psql: the newest /usr/lib/postgresql/<version>/bin, else one on PATH. */
export function postgresBinDir(): string | undefined {
    const complete = (dir: string) => ["initdb", "pg_ctl", "psql"].every((b) => fs.existsSync(path.join(dir, b)));
    const root = "/usr/lib/postgresql";
    const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
    const candidates = [
        ...versions.map((v) => path.join(root, v, "bin")),
        ...(process.env.PATH ?? "").split(path.delimiter).filter((d) => d),
    ];
    return candidates.find(complete);
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

/** Starts a PostgreSQL server; throws with the fix when the package is missing. */
export async function startPostgres(): Promise<Postgres> {
    const bin = postgresBinDir();
    if (!bin) {
        throw new Error(
            "PostgreSQL is not installed (no initdb, pg_ctl and psql under /usr/lib/postgresql/*/bin or on PATH): " +
                "apt-get install -y postgresql (.ci/run does this on a fresh machine)",
        );
    }
    const asRoot = process.getuid?.() === 0;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-backend-"));
    const data = path.join(dir, "data");
    const password = `pg-${Math.random().toString(36).slice(2, 12)}`;
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, password, { mode: 0o600 });
    if (asRoot) {
        const { stdout } = await execFileAsync("id", ["-u", "postgres"]).catch(() => {
            throw new Error("running as root, PostgreSQL needs the `postgres` user of the Debian package");
        });
        const uid = Number(stdout.trim());
        const { stdout: g } = await execFileAsync("id", ["-g", "postgres"]);
        fs.chownSync(dir, uid, Number(g.trim()));
        fs.chownSync(pwfile, uid, Number(g.trim()));
    }
    const server = (cmd: string, args: string[]) =>
        asRoot
            ? execFileAsync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { cwd: dir })
            : execFileAsync(path.join(bin, cmd), args, { cwd: dir });
    await server("initdb", [
        "-D",
        data,
        "-U",
        "postgres",
        `--pwfile=${pwfile}`,
        "--auth-host=scram-sha-256",
        "--auth-local=trust",
        "-E",
        "UTF8",
        "--no-sync",
    ]);
    const port = await freePort();
    await server("pg_ctl", [
        "-D",
        data,
        "-l",
        path.join(dir, "server.log"),
        "-w",
        "-o",
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
        "start",
    ]);
    const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=disable`;
    return {
        url,
        password,
        async query(sql) {
            const { stdout } = await execFileAsync(
                path.join(bin, "psql"),
                [
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String(port),
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-At",
                    "-F",
                    "\t",
                    "-c",
                    sql,
                ],
                { env: { ...process.env, PGPASSWORD: password }, maxBuffer: 64 * 1024 * 1024 },
            );
            return stdout
                .split("\n")
                .filter((l) => l)
                .map((l) => l.split("\t"));
        },
        async stop() {
            await server("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
