// Resolved from this folder, so typescript-eslint and the audit share the typescript@5.9 installed
// beside them (audit-toolchain/node_modules) and never meet the repository's native typescript@7.
export { default as ts } from "typescript";
export { Linter } from "eslint";
export { parser } from "typescript-eslint";
