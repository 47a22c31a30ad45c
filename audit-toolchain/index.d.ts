export { default as ts } from "typescript";
export { Linter } from "eslint";
export { parser } from "typescript-eslint";
export type { TSESTree, TSESLint, ParserServices } from "@typescript-eslint/utils";
