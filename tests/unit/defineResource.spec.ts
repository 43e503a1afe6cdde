// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// defineResource (provider/resources/define.ts) as pure logic: a made-up resource kind's key lists decide diff
// (replace, update in place, check-only, delete-before-replace), check (trimming, auto-naming, validator order,
// required inputs, rules), the outputs and the error context. No server and no client: create, update and delete
// below never ask for one, which is itself part of what is tested (the client is made on first use).

import { expect } from "chai";
import type * as pulumi from "@pulumi/pulumi";

import { checkVpc } from "../../core/rules";
import { CheckFailure, ResourceInitError, UNKNOWN, setWarningSink } from "../../provider/resources/common";
import {
    CommonInputs,
    INTERNAL_KEYS,
    ResourceSpec,
    defineResource,
    inputKeysOf,
    outputsOf,
    resourceLabel,
    specProblems,
} from "../../provider/resources/define";

interface ThingInputs extends CommonInputs {
    name: string;
    cidr?: string;
    description?: string;
    /** Feeds the preview checks only. */
    hint?: string;
    __autoNamed?: boolean;
}

interface ThingOutputs extends ThingInputs {
    status: string;
}

const nonEmpty = (v: unknown, p: string): CheckFailure[] =>
    v === "" ? [{ property: p, reason: `${p} must not be empty` }] : [];

/** A Vpc-like kind: region, account and cidr replace; name and description change in place; hint is check-only. */
function thingSpec(over: Partial<ResourceSpec<ThingInputs, ThingOutputs, "vpc">> = {}) {
    const spec: ResourceSpec<ThingInputs, ThingOutputs, "vpc"> = {
        kind: "Vpc",
        label: resourceLabel("Vpc", "name"),
        noun: "thing",
        inputs: ["name", "cidr", "region", "account", "description", "hint"],
        replaceOnChange: ["region", "account", "cidr"],
        updateInPlace: ["name", "description"],
        checkOnly: ["hint"],
        deleteBeforeReplaceWhenSame: ["name"],
        trim: ["name", "cidr", "region"],
        autoName: true,
        validate: { name: nonEmpty, account: nonEmpty },
        required: { name: "a name is required" },
        rules: {
            facts: "vpc",
            check: (vpc) => checkVpc(vpc),
            subjectName: (i) => (typeof i.__resourceName === "string" ? i.__resourceName : "thing"),
            complete: (i, { name }) => ({ facts: { name, cidr: i.cidr } }),
        },
        create: async (inputs) => ({ id: "t-1", outs: outputsOf<ThingOutputs>(inputs, { status: "OK" }) }),
        read: async () => undefined,
        update: async (_id, _olds, news) => outputsOf<ThingOutputs>(news, { status: "OK" }),
        delete: async () => undefined,
        ...over,
    };
    return spec;
}

const base = { name: "web", cidr: "10.0.0.0/16", region: "r1", account: "a1", __resourceName: "web" };

async function diffOf(olds: object, news: object, spec = thingSpec()): Promise<pulumi.dynamic.DiffResult> {
    return defineResource(spec).diff!("t-1", olds as ThingOutputs, news as ThingInputs);
}

async function checkOf(
    news: object,
    olds: object = {},
    spec = thingSpec(),
): Promise<{ inputs: ThingInputs; failures: CheckFailure[] }> {
    const r = await defineResource(spec).check!(olds as ThingInputs, news as ThingInputs);
    expect(r.inputs, "check returns the inputs").to.be.an("object");
    return { inputs: r.inputs!, failures: r.failures ?? [] };
}

describe("defineResource: one skeleton for the resource providers", () => {
    let restoreWarn: ReturnType<typeof setWarningSink> | undefined;
    const warnings: string[] = [];
    beforeEach(() => {
        warnings.length = 0;
        restoreWarn = setWarningSink((m) => warnings.push(m));
    });
    afterEach(() => {
        if (restoreWarn) setWarningSink(restoreWarn);
    });

    describe("diff from the key lists", () => {
        it("replaces when a replaceOnChange input changed, listing them in the spec's order", async () => {
            const d = await diffOf(base, { ...base, cidr: "10.1.0.0/16", region: "r2" });
            expect(d).to.deep.equal({ changes: true, replaces: ["region", "cidr"], deleteBeforeReplace: true });
        });

        it("updates in place when only updateInPlace inputs or shared settings changed", async () => {
            expect(await diffOf(base, { ...base, description: "new" })).to.deep.equal({
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            for (const setting of [{ timeouts: { create: "5m" } }, { suppressRules: [{ rule: "x", reason: "y" }] }]) {
                const d = await diffOf(base, { ...base, ...setting });
                expect(d, JSON.stringify(setting)).to.include({ changes: true, deleteBeforeReplace: false });
                expect(d.replaces).to.deep.equal([]);
            }
        });

        it("never counts check-only or internal inputs as a change", async () => {
            const olds = { ...base, hint: "old", __provider: "code-1", __checks: "p1", __autoNamed: true };
            const news = { ...base, hint: "new", __provider: "code-2", __checks: "p2", __resourceName: "other" };
            expect(await diffOf(olds, news)).to.deep.equal({
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("treats an unknown value (preview) as a change: a replace for replace keys, an update for the others", async () => {
            expect(await diffOf(base, { ...base, cidr: UNKNOWN })).to.include({ changes: true });
            expect((await diffOf(base, { ...base, cidr: UNKNOWN })).replaces).to.deep.equal(["cidr"]);
            const inPlace = await diffOf(base, { ...base, description: UNKNOWN });
            expect(inPlace).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
            // An unknown check-only input is still no change.
            expect((await diffOf(base, { ...base, hint: UNKNOWN })).changes).to.equal(false);
        });

        it("treats a missing and an undefined value alike", async () => {
            expect((await diffOf({ ...base, description: undefined }, base)).changes).to.equal(false);
        });

        it("deletes before replacing only when the unique inputs are known and the same", async () => {
            expect((await diffOf(base, { ...base, cidr: "10.9.0.0/16" })).deleteBeforeReplace).to.equal(true);
            // A new name: the replacement can exist beside the old object.
            const renamed = await diffOf(base, { ...base, cidr: "10.9.0.0/16", name: "web2" });
            expect(renamed).to.deep.equal({ changes: true, replaces: ["cidr"], deleteBeforeReplace: false });
            // An unknown name may or may not be the same: the helper deletes first only when it knows.
            const unknownName = await diffOf(base, { ...base, cidr: "10.9.0.0/16", name: UNKNOWN });
            expect(unknownName.deleteBeforeReplace).to.equal(false);
            // Every listed input must be the same, not just one of them.
            const both = thingSpec({ deleteBeforeReplaceWhenSame: ["name", "description"] });
            const olds = { ...base, description: "d" };
            expect((await diffOf(olds, { ...olds, cidr: "10.9.0.0/16" }, both)).deleteBeforeReplace).to.equal(true);
            const halfSame = { ...olds, cidr: "10.9.0.0/16", description: "other" };
            expect((await diffOf(olds, halfSame, both)).deleteBeforeReplace).to.equal(false);
            // Without the list, a replacement is always created first.
            const noList = thingSpec({ deleteBeforeReplaceWhenSame: undefined });
            expect((await diffOf(base, { ...base, cidr: "10.9.0.0/16" }, noList)).deleteBeforeReplace).to.equal(false);
        });

        it("compares a group of unique inputs in any order (a peering's VPC pair)", async () => {
            const pair = thingSpec({ deleteBeforeReplaceWhenSame: [["name", "description"]] });
            const olds = { ...base, description: "vpc-b", name: "vpc-a" };
            const swapped = { ...base, region: "r2", name: "vpc-b", description: "vpc-a" };
            expect((await diffOf(olds, swapped, pair)).deleteBeforeReplace).to.equal(true);
            const other = { ...swapped, description: "vpc-c" };
            expect((await diffOf(olds, other, pair)).deleteBeforeReplace).to.equal(false);
            const unknown = { ...swapped, description: UNKNOWN };
            expect((await diffOf(olds, unknown, pair)).deleteBeforeReplace).to.equal(false);
        });
    });

    describe("check", () => {
        it("trims the known strings of the trim list and nothing else", async () => {
            const { inputs, failures } = await checkOf({
                ...base,
                name: "  web  ",
                cidr: " 10.0.0.0/16\n",
                region: UNKNOWN,
                description: "  kept as given  ",
            });
            expect(failures).to.deep.equal([]);
            expect(inputs).to.include({ name: "web", cidr: "10.0.0.0/16", region: UNKNOWN });
            expect(inputs.description).to.equal("  kept as given  ");
        });

        it("auto-names once and keeps the old name; a given name clears the mark", async () => {
            const first = await checkOf({ ...base, name: undefined });
            expect(first.inputs.name).to.match(/^web-[0-9a-f]{7}$/);
            expect(first.inputs.__autoNamed).to.equal(true);
            const again = await checkOf({ ...base, name: undefined }, first.inputs);
            expect(again.inputs.name).to.equal(first.inputs.name);
            const given = await checkOf({ ...base, name: "mine", __autoNamed: true }, first.inputs);
            expect(given.inputs).to.include({ name: "mine" }).and.not.have.property("__autoNamed");
            const none = await checkOf({ ...base, name: undefined }, {}, thingSpec({ autoName: false }));
            expect(none.failures).to.deep.equal([{ property: "name", reason: "a name is required" }]);
        });

        it("reports input failures in order: own validators, shared settings, required inputs, then the rules", async () => {
            const { failures } = await checkOf(
                { ...base, name: "", account: "", cidr: "8.8.8.0/24", timeouts: { soon: "1m" } },
                {},
                thingSpec({ autoName: false, required: { description: "a description is required" } }),
            );
            expect(failures.map((f) => f.property)).to.deep.equal([
                "name",
                "account",
                "timeouts",
                "description",
                "cidr",
            ]);
            expect(failures[4].reason).to.contain("[vpc-cidr-range]");
        });

        it("drops undefined inputs (the Struct encoding cannot carry them)", async () => {
            const { inputs } = await checkOf({ ...base, description: undefined });
            expect(Object.keys(inputs)).to.not.include("description");
        });

        it("stops before the rules when rulesNeed fails, and gives the rules the failures so far", async () => {
            const seen: (readonly CheckFailure[])[] = [];
            const rules = thingSpec().rules;
            const spying = thingSpec({
                rules: { ...rules, complete: (i, ctx) => (seen.push(ctx.failures), rules.complete(i, ctx)) },
                rulesNeed: (i) => (i.cidr === undefined ? [{ property: "cidr", reason: "cidr is required" }] : []),
            });
            const stopped = await checkOf({ ...base, cidr: undefined, account: "" }, {}, spying);
            expect(stopped.failures.map((f) => f.property)).to.deep.equal(["account", "cidr"]);
            expect(seen).to.deep.equal([]);
            await checkOf({ ...base, account: "" }, {}, spying);
            expect(seen).to.deep.equal([[{ property: "account", reason: "account must not be empty" }]]);
        });

        it("maps a rule's property to the resource's input name", async () => {
            const rules = thingSpec().rules;
            const mapped = thingSpec({ rules: { ...rules, propertyMap: { cidr: "description" } } });
            const { failures } = await checkOf({ ...base, cidr: "8.8.8.0/24", description: "d" }, {}, mapped);
            expect(failures.map((f) => f.property)).to.deep.equal(["description"]);
        });
    });

    describe("the spec's consistency", () => {
        it("refuses an input in none or two of replaceOnChange, updateInPlace and checkOnly", () => {
            const missing = thingSpec({ updateInPlace: ["name"] });
            expect(specProblems(missing as never)).to.deep.equal([
                "input description is in 0 of replaceOnChange, updateInPlace and checkOnly (not 1)",
            ]);
            expect(() => defineResource(missing)).to.throw(/^Vpc: input description is in 0 of/);
            const twice = thingSpec({ checkOnly: ["hint", "cidr"] });
            expect(specProblems(twice as never)).to.deep.equal([
                "input cidr is in 2 of replaceOnChange, updateInPlace and checkOnly (not 1)",
            ]);
        });

        it("refuses a list that names a key which is not an input", () => {
            const stray = thingSpec({
                trim: ["name", "tags" as never],
                deleteBeforeReplaceWhenSame: [["name", "peer" as never]],
                validate: { name: nonEmpty, size: nonEmpty } as never,
            });
            expect(specProblems(stray as never)).to.deep.equal([
                "trim names tags, which is not an input",
                "deleteBeforeReplaceWhenSame names peer, which is not an input",
                "validate names size, which is not an input",
            ]);
            expect(specProblems(thingSpec() as never)).to.deep.equal([]);
        });

        it("lists the inputs read gives back: own, shared settings, internal (but never the provider code)", () => {
            expect(inputKeysOf(thingSpec() as never)).to.deep.equal([
                ...["name", "cidr", "region", "account", "description", "hint"],
                ...["timeouts", "suppressRules", "__resourceName", "__autoNamed", "__checks"],
            ]);
            expect(inputKeysOf(thingSpec({ autoName: false }) as never)).to.not.include("__autoNamed");
            expect(inputKeysOf(thingSpec() as never)).to.not.include("__provider");
            expect(INTERNAL_KEYS).to.include("__provider");
        });
    });

    describe("outputs and operations", () => {
        it("keeps the provider code and the check payload out of the outputs, and nothing else", () => {
            const outs = outputsOf<Record<string, unknown>>(
                { ...base, __provider: "code", __checks: "p", __autoNamed: true, description: undefined },
                { status: "OK", createdAt: undefined },
            );
            expect(outs).to.deep.equal({ ...base, __autoNamed: true, status: "OK" });
        });

        it("creates, updates and deletes without a client unless the operation asks for one", async () => {
            const p = defineResource(thingSpec());
            const created = await p.create!({ ...base, __provider: "code" } as ThingInputs);
            expect(created).to.deep.equal({ id: "t-1", outs: { ...base, status: "OK" } });
            const outs = created.outs!;
            const updated = await p.update!("t-1", outs, { ...base, description: "d" } as ThingInputs);
            expect(updated.outs).to.include({ description: "d", status: "OK" });
            await p.delete!("t-1", outs);
        });

        it("keeps the provider code with a half-made object's properties, and names the resource", async () => {
            const failing = thingSpec({
                create: async () => {
                    throw new ResourceInitError("never became ready", "t-9", { status: "ERROR" });
                },
            });
            const err = await defineResource(failing).create!({ ...base, __provider: "code" } as ThingInputs).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(err).to.be.instanceOf(ResourceInitError);
            const init = err as ResourceInitError;
            expect(init.message).to.equal("creating Vpc 'web': never became ready");
            expect(init.properties).to.deep.equal({ status: "ERROR", __provider: "code" });
        });

        it("says which operation on which resource failed", async () => {
            const failing = thingSpec({
                delete: async () => {
                    throw new Error("409 in use");
                },
            });
            const p = defineResource(failing);
            // Without a resource name the label falls back to the API name.
            const props = { ...base, __resourceName: undefined, name: "api-name", status: "OK" } as ThingOutputs;
            await p.delete!("t-1", props).then(
                () => expect.fail("delete should fail"),
                (e: Error) => expect(e.message).to.equal("deleting Vpc 'api-name': 409 in use"),
            );
        });

        it("refuses a read without region or account, and says how to give them", async () => {
            const p = defineResource(thingSpec());
            await p.read!("t-1", { name: "web" } as ThingOutputs).then(
                () => expect.fail("read should fail"),
                (e: Error) =>
                    expect(e.message).to.equal(
                        "reading Vpc 'web': region and account are needed to read thing t-1: use Vpc.get(name, id, { region, account })",
                    ),
            );
        });
    });
});
