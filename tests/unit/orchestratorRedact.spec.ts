// The orchestrator's one redaction: known secrets (accounts file, backend URL, secret-looking environment) and
// credential-shaped text are replaced wherever they appear; ordinary text is left alone.
import { expect } from "chai";

import {
    forgetSecrets,
    redact,
    rememberAccountsSecrets,
    rememberEnvSecrets,
    rememberSecret,
    rememberUrlSecrets,
} from "../../orchestrator/redact";

describe("orchestrator: redact", () => {
    afterEach(() => forgetSecrets());

    it("masks the password of any URL, keeping the user, host and path", () => {
        expect(redact("backend postgres://postgres:pgpass@127.0.0.1:5432/state?sslmode=disable")).to.equal(
            "backend postgres://postgres:****@127.0.0.1:5432/state?sslmode=disable",
        );
        expect(redact("s3://AKIA:wJalr%2Fx@bucket/x and https://x-access-token:ghp_abc@github.com/o/r")).to.equal(
            "s3://AKIA:****@bucket/x and https://x-access-token:****@github.com/o/r",
        );
        expect(redact("file:///tmp/state and http://127.0.0.1:8080/v1")).to.equal(
            "file:///tmp/state and http://127.0.0.1:8080/v1",
        );
    });

    it("masks secret query parameters, JSON fields, assignments and auth headers", () => {
        expect(redact("postgres://h/db?sslmode=disable&password=hunter22&table=t")).to.equal(
            "postgres://h/db?sslmode=disable&password=****&table=t",
        );
        expect(redact('{"name":"alice","accessKey":"AK1","secretKey": "SK-secret","token":""}')).to.equal(
            '{"name":"alice","accessKey":"****","secretKey": "****","token":"****"}',
        );
        expect(redact("HW_SECRET_KEY=abc PULUMI_CONFIG_PASSPHRASE=p4ss PGPASSWORD=x REGION=ap")).to.equal(
            "HW_SECRET_KEY=**** PULUMI_CONFIG_PASSPHRASE=**** PGPASSWORD=**** REGION=ap",
        );
        expect(redact("X-Auth-Token: MIIabc.def")).to.equal("X-Auth-Token: ****");
        expect(redact("Authorization: SDK-HMAC-SHA256 Access=AKX, SignedHeaders=host, Signature=deadbeef")).to.equal(
            "Authorization: SDK-HMAC-SHA256 Access=****, SignedHeaders=host, Signature=****",
        );
    });

    it("replaces every registered secret wherever it appears, longest first", () => {
        rememberAccountsSecrets({
            regions: [{ name: "ap-southeast-1" }],
            accounts: [
                { name: "alice", accessKey: "ALICEAK0001", secretKey: "alice-secret-key", projects: { r: "p1" } },
                { name: "bob", token: "bob-iam-token-xyz" },
            ],
        });
        rememberUrlSecrets("postgres://u:p%40ss-word@h/db");
        rememberEnvSecrets({ GITHUB_TOKEN: "ghp_0123456789", HOME: "/home/runner" });
        rememberSecret("alice-secret-key-extended");
        const text =
            "signature of ALICEAK0001 failed (alice-secret-key / alice-secret-key-extended); bob-iam-token-xyz; " +
            "p@ss-word ghp_0123456789 in /home/runner for alice";
        expect(redact(text)).to.equal(
            "signature of **** failed (**** / ****); ****; **** **** in /home/runner for alice",
        );
    });

    it("ignores values too short to be credentials, and leaves ordinary text alone", () => {
        rememberSecret("abc");
        rememberSecret(undefined);
        const text = "[requester] up succeeded in 1.2s: 3 created (token refresh: abc)";
        expect(redact(text)).to.equal(text);
    });
});
