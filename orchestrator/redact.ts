// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The one redaction every line, report and saved file of `peering-stacks` goes through. Two layers:
// - known secrets: the values this process was given (every credential in the accounts file, the backend URL's
//   password, the secrets passphrase, secret-looking environment values of the plan) are replaced wherever they
//   appear, whatever printed them (a CLI error, a provider diagnostic, an engine event);
// - shapes that are credentials whatever their value: the password of a URL (`postgres://user:****@host`), secret
//   query parameters, `"secretKey": "…"`-style JSON fields, `SECRET_KEY=…` assignments and auth headers.

/** What a redacted credential becomes. */
export const REDACTED = "****";

/** Values shorter than this are not registered: replacing them everywhere would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** JSON fields of the accounts file (and of Huawei credentials generally) that hold secrets. */
const SECRET_FIELDS = [
    "accessKey",
    "secretKey",
    "securityToken",
    "token",
    "password",
    "passphrase",
    "access_key",
    "secret_key",
    "security_token",
];

const SHAPES: ReadonlyArray<[RegExp, string]> = [
    // scheme://user:password@host → scheme://user:****@host
    [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]*@/gi, `$1:${REDACTED}@`],
    // ?password=…&sslpassword=…&token=…
    [/([?&](?:password|sslpassword|passwd|pwd|secret|token|access_token|api_key)=)[^&\s#"']*/gi, `$1${REDACTED}`],
    // "secretKey": "…"
    [new RegExp(`("(?:${SECRET_FIELDS.join("|")})"\\s*:\\s*)"[^"]*"`, "gi"), `$1"${REDACTED}"`],
    // HW_SECRET_KEY=… VPCPEERING_PROFILE_X_TOKEN=… PGPASSWORD=… PULUMI_CONFIG_PASSPHRASE=…
    [/\b([A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSPHRASE|ACCESS_KEY)[A-Z0-9_]*=)[^\s"']+/g, `$1${REDACTED}`],
    // X-Auth-Token: … / X-Security-Token: …
    [/\b(X-(?:Auth|Subject|Security)-Token["']?\s*[:=]\s*["']?)[^\s"',]+/gi, `$1${REDACTED}`],
    // Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=…, Signature=hex
    [/\b(Access|Signature)=[^\s,"']+/g, `$1=${REDACTED}`],
];

const known = new Set<string>();
let knownPattern: RegExp | undefined;

function escape(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** {@link rememberSecret} registers a value that must never be printed (too-short values are ignored). */
export function rememberSecret(value: string | undefined): void {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || known.has(value)) return;
    known.add(value);
    // Longest first, so a secret that contains another is replaced whole.
    const all = [...known].sort((a, b) => b.length - a.length).map(escape);
    knownPattern = new RegExp(all.join("|"), "g");
}

/** {@link rememberUrlSecrets} registers the password of a URL (and its URL-decoded form). */
export function rememberUrlSecrets(url: string | undefined): void {
    if (!url) return;
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]*)@/i.exec(url);
    if (!m) return;
    rememberSecret(m[1]);
    try {
        rememberSecret(decodeURIComponent(m[1]));
    } catch {
        // not percent-encoded
    }
    for (const q of url.matchAll(/[?&](?:password|sslpassword|token|secret)=([^&#]*)/gi)) rememberSecret(q[1]);
}

/** {@link rememberAccountsSecrets} registers every credential of an accounts file's JSON (any nesting). */
export function rememberAccountsSecrets(doc: unknown): void {
    const walk = (v: unknown, key?: string): void => {
        if (Array.isArray(v)) v.forEach((x) => walk(x));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
        else if (typeof v === "string" && key && SECRET_FIELDS.some((f) => f.toLowerCase() === key.toLowerCase())) {
            rememberSecret(v);
        }
    };
    walk(doc);
}

/** {@link rememberEnvSecrets} registers the values of secret-looking variables (`*SECRET*`, `*TOKEN*`, …). */
export function rememberEnvSecrets(env: Readonly<Record<string, string | undefined>>): void {
    for (const [k, v] of Object.entries(env)) {
        if (/SECRET|TOKEN|PASSWORD|PASSPHRASE|ACCESS_KEY/i.test(k)) rememberSecret(v);
        if (/BACKEND_URL|DATABASE_URL/i.test(k)) rememberUrlSecrets(v);
    }
}

/** {@link redact} returns `text` with every known secret and every credential-shaped value replaced by `****`. */
export function redact(text: string): string {
    let out = knownPattern ? text.replace(knownPattern, REDACTED) : text;
    for (const [re, to] of SHAPES) out = out.replace(re, to);
    return out;
}

/** {@link forgetSecrets} clears the registered values (tests). */
export function forgetSecrets(): void {
    known.clear();
    knownPattern = undefined;
}
