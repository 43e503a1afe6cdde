// Lint: typescript-eslint's recommended rules on the TypeScript sources, plus eqeqeq and prefer-const.
"use strict";
const tseslint = require("typescript-eslint");

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
        files: ["sdk/**/*.ts", "scripts/**/*.js", "eslint.config.js", "tests/**/*.ts", "bench/**/*.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
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
            ],
        },
    },
    {
        files: ["scripts/**/*.js", "eslint.config.js"],
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
