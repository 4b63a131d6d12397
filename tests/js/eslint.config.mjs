// Lint of the companion's front-end (graph/web): plain browser scripts sharing the NLMG and vis globals.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, NLMG: "readonly", vis: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used" }],
      "no-unused-expressions": ["error", { allowTernary: true }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  { files: ["**/core.js"], languageOptions: { globals: { NLMG: "off" } } },
];
