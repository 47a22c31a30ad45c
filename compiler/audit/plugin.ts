// `supervise/eslint-plugin`: the audit's rules for a user's own eslint.config.js. Built into
// dist/eslint-plugin.js with no dependency of its own (the rules import only types), so it runs
// on the user's ESLint and typescript-eslint; the front end of the compiler is not part of it.
import type { TSESLint } from "supervise-audit-toolchain";
import { AUDIT_RULES, PLUGIN_NAME } from "./rules.ts";
import type { AuditRuleModule } from "./rule.ts";

export interface SupervisePlugin {
  readonly meta: { readonly name: string };
  readonly rules: Readonly<Record<string, AuditRuleModule>>;
  readonly configs: { readonly recommended: TSESLint.FlatConfig.Config };
}

/** Each rule at the severity of its catalogue entry: errors fail the lint, warnings warn. */
function recommendedRules(): TSESLint.FlatConfig.Rules {
  return Object.fromEntries(AUDIT_RULES.map((r) => [`${PLUGIN_NAME}/${r.name}`, r.def.severity === "error" ? "error" : "warn"]));
}

const rules = Object.fromEntries(AUDIT_RULES.map((r) => [r.name, r.module]));
const recommended: TSESLint.FlatConfig.Config = { name: "supervise/recommended", plugins: {}, rules: recommendedRules() };

export const plugin: SupervisePlugin = { meta: { name: "supervise/eslint-plugin" }, rules, configs: { recommended } };
// The config names the plugin it enables, which is this object itself.
(recommended.plugins as Record<string, unknown>)[PLUGIN_NAME] = plugin;

export default plugin;
