// The accounts file's one reader and schema (core/accountsFile.ts), used by the API server, the
// provider's profiles and the orchestrator. They used to read it four ways: a nameless entry became the profile
// "undefined", a non-object entry was skipped, a file without "accounts" was an empty list for the plan check.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";

import { validateAccountsFile } from "../../emulator/accounts";
import { parsePlan, PlanError } from "../../orchestrator/plan";
import {
    AccountsFileError,
    readAccountsFile,
    readAccountsJson,
    validateAccountsDocument,
} from "../../core/accountsFile";
import { ConfigError, listAccountProfiles } from "../../provider/config";

const P1 = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const serverAccount = {
    name: "alice",
    domainId: "d",
    accessKey: "AK1",
    secretKey: "SK1",
    projects: { "ap-southeast-1": P1 },
};

function problems(value: unknown, use: "server" | "profiles"): string[] {
    try {
        validateAccountsDocument(value, "f.json", use);
        return [];
    } catch (e) {
        expect(e).to.be.instanceOf(AccountsFileError);
        return [...(e as AccountsFileError).problems];
    }
}

describe("the accounts file: one reader, one schema", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "accounts-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, doc: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
        return file;
    };

    it("takes a client's profiles without the server's fields, and keeps fields it does not know", () => {
        const doc = { accounts: [{ name: "ci", token: "t", projectId: "p", endpoint: "https://x/{region}", note: 1 }] };
        expect(problems(doc, "profiles")).to.deep.equal([]);
        expect(validateAccountsDocument(doc, "f.json", "profiles").accounts[0]).to.deep.include({ note: 1 });
        expect(problems(doc, "server")).to.include.members([
            `"regions" must be a non-empty array of region names`,
            "accounts[0].domainId must be a non-empty string",
            "accounts[0].accessKey must be a non-empty string",
        ]);
        expect(problems({ regions: ["ap-southeast-1"], accounts: [serverAccount] }, "server")).to.deep.equal([]);
    });

    it("refuses, for every use, what no reader can use: no accounts array, entries without a name or not objects, names twice, non-string fields", () => {
        for (const use of ["server", "profiles"] as const) {
            expect(problems([], use)).to.deep.equal(["the file must hold a JSON object"]);
            expect(problems({}, use).join()).to.match(/"accounts" must be a/);
            const bad = {
                regions: ["ap-southeast-1"],
                accounts: [
                    { ...serverAccount, name: undefined },
                    7,
                    serverAccount,
                    { ...serverAccount, accessKey: 5, name: "alice" },
                ],
            };
            const found = problems(bad, use);
            expect(found, use).to.include.members([
                "accounts[0].name must be a non-empty string",
                "accounts[1] must be an object",
                'accounts[3]: account name "alice" is used twice',
            ]);
            expect(found.join(), use).to.match(/accounts\[3\]\.accessKey must be a (non-empty )?string/);
        }
    });

    it("reads the file once for everyone: a missing file and bad JSON are one error", () => {
        expect(() => readAccountsJson(path.join(dir, "none.json"))).to.throw(AccountsFileError, /cannot read the file/);
        const broken = write("broken.json", "{");
        expect(() => readAccountsFile(broken, "profiles")).to.throw(AccountsFileError, /not valid JSON/);
        expect(() => validateAccountsFile(readAccountsJson(broken))).to.throw(AccountsFileError);
    });

    it("the provider's profiles and the plan check refuse the same file the same way (they used to differ)", () => {
        const nameless = write("nameless.json", { accounts: [{ accessKey: "AK", secretKey: "SK" }, "x"] });
        expect(() => listAccountProfiles(nameless)).to.throw(
            ConfigError,
            /accounts\[0\]\.name must be a non-empty string/,
        );
        const noAccounts = write("noaccounts.json", { profiles: [] });
        expect(() => listAccountProfiles(noAccounts)).to.throw(ConfigError, /"accounts" must be an array/);
        for (const file of [nameless, noAccounts]) {
            const plan = () =>
                parsePlan("stacks:\n  a: { program: a, accounts: [alice] }\n", {
                    baseDir: dir,
                    accountsFile: file,
                    env: {},
                    readProject: () => ({ name: "proj-a" }),
                });
            expect(plan, file).to.throw(PlanError, /--accounts-file .* cannot be read/);
        }
        const good = write("good.json", { accounts: [{ name: "alice", accessKey: "AK", secretKey: "SK" }] });
        expect(listAccountProfiles(good).map((p) => p.name)).to.deep.equal(["alice"]);
    });
});
