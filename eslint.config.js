// Lint: typescript-eslint's recommended rules on the TypeScript sources, plus eqeqeq and prefer-const, and the
// one-way dependencies of DEVELOPERS.md ("Layout and the one-way dependencies") as no-restricted-imports per folder.
"use strict";
const tseslint = require("typescript-eslint");

/** Nothing in the package imports the tests or the benchmarks. */
const NOT_TESTS = "^(\\.\\./)+(tests|bench|scripts)(/|$)";

/** What the API server may use of the provider's folder (as a negative look-ahead after the `../`s). */
const EMULATOR_MAY = "(?!core/|provider/signing/|provider/packageInfo$)";

/**
 * Each folder and what it must not import, as a regular expression on the import path (relative imports only;
 * packages are free). Keep in step with the table in DEVELOPERS.md.
 */
const LAYERS = [
    ["core/*.ts", "^\\.\\./", "core imports nothing else of ours"],
    ["core/*/**/*.ts", "^\\.\\./\\.\\./", "core imports nothing else of ours"],
    ["provider/signing/**/*.ts", "^\\.\\./", "provider/signing imports nothing else of ours"],
    [
        "provider/client/**/*.ts",
        "^\\.\\./(?!signing/|\\.\\./core/)",
        "provider/client imports only provider/signing and core",
    ],
    [
        "provider/resources/**/*.ts",
        "^\\.\\./(?!(client|signing)/|config$|\\.\\./core/)|^\\.\\./\\.\\./(?!core/)",
        "provider/resources import only core, provider/client, config and signing",
    ],
    ["provider/packageInfo.ts", "^\\.", "provider/packageInfo.ts is a leaf"],
    [
        "provider/config.ts",
        "^\\.(?!/client/|\\./core/(accountsFile|duration)$)",
        "provider/config.ts imports only provider/client and the accounts-file schema and durations of core",
    ],
    [
        "sdk/**/*.ts",
        "^\\.\\./(?!core/)",
        'sdk imports core; the provider only through require("pulumi-vpc-peering/provider") at call time',
    ],
    [
        "emulator/*.ts",
        `^\\.\\./${EMULATOR_MAY}`,
        "the emulator imports core, provider/signing and packageInfo — never the client or the resources",
    ],
    [
        "emulator/handlers/*.ts",
        `^\\.\\./\\.\\./${EMULATOR_MAY}`,
        "the emulator imports core, provider/signing and packageInfo — never the client or the resources",
    ],
    [
        "orchestrator/**/*.ts",
        "^\\.\\./(?!core/|provider/packageInfo$)",
        "the orchestrator imports core and provider/packageInfo, and its own files",
    ],
    [
        // `verify` reads the live API with each account's own client (read-only); nothing else does.
        "orchestrator/verifyLive.ts",
        "^\\.\\./(?!core/|provider/client/|provider/(config|packageInfo)$)",
        "orchestrator/verifyLive.ts imports provider/client and config besides what the orchestrator may",
    ],
];

/**
 * The orchestrator reaches the Automation API through its stack driver only (orchestrator/stackDriver.ts): values of
 * `@pulumi/pulumi/automation` are imported by the driver on it and the CLI process runner; the rest take its types.
 */
const AUTOMATION_API = {
    files: ["orchestrator/**/*.ts"],
    ignores: ["orchestrator/automationDriver.ts", "orchestrator/processes.ts"],
    rules: {
        "@typescript-eslint/no-restricted-imports": [
            "error",
            {
                paths: [
                    {
                        name: "@pulumi/pulumi/automation",
                        allowTypeImports: true,
                        message:
                            "only orchestrator/automationDriver.ts (and processes.ts) run the Automation API; the rest go through the StackDriver (DEVELOPERS.md, layout)",
                    },
                ],
            },
        ],
    },
};

const layerConfigs = LAYERS.map(([files, forbid, message]) => ({
    files: [files],
    rules: {
        "no-restricted-imports": [
            "error",
            {
                patterns: [
                    { regex: forbid, message: `${message} (DEVELOPERS.md, layout)` },
                    { regex: NOT_TESTS, message: "nothing in the package imports tests/, bench/ or scripts/" },
                ],
            },
        ],
    },
}));

module.exports = tseslint.config(
    { ignores: ["dist/**", "node_modules/**", ".cache/**", "**/.pulumi-state/**"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            eqeqeq: ["error", "smart"],
            "prefer-const": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // The serialized provider shims load the provider at call time on purpose (see sdk/*.ts), and the
        // plain-JS scripts are CommonJS.
        files: [
            "sdk/**/*.ts",
            "scripts/**/*.js",
            "eslint.config.js",
            "tests/**/*.ts",
            "bench/**/*.ts",
            "bench/**/*.js",
        ],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    ...layerConfigs,
    AUTOMATION_API,
    {
        // chai assertions are expressions (`expect(x).to.be.empty`); tests may poke at untyped internals.
        files: ["tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-expressions": "off",
            "@typescript-eslint/no-explicit-any": "off",
            // An assertion that throws in `finally` replaces the test's own failure; record there, assert after.
            "no-restricted-syntax": [
                "error",
                {
                    selector: "TryStatement > BlockStatement.finalizer CallExpression[callee.name=/^(expect|assert)/]",
                    message: "No assertions inside `finally`: clean up there, assert after the try statement.",
                },
                {
                    // assert.equal(…), assert.deepStrictEqual(…)
                    selector:
                        "TryStatement > BlockStatement.finalizer CallExpression[callee.object.name=/^(expect|assert)$/]",
                    message: "No assertions inside `finally`: clean up there, assert after the try statement.",
                },
            ],
        },
    },
    {
        files: ["scripts/**/*.js", "eslint.config.js", "bench/**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: {
                require: "readonly",
                module: "writable",
                process: "readonly",
                __dirname: "readonly",
                __filename: "readonly",
                console: "readonly",
            },
        },
    },
);
