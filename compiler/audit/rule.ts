// How an audit rule is written: an ESLint rule (typescript-eslint's rule API) that reads the
// module once (service-code.ts) and reports with a message from the one catalogue. The same
// object is a rule of the ESLint plugin and a rule `supervise audit` runs through ESLint's
// Linter, so the two can never disagree.
import type { TSESLint, TSESTree } from "supervise-audit-toolchain";
import type { MessageDef } from "../diagnostics/message.ts";
import { serviceModuleOf, type Node, type ServiceModule } from "./service-code.ts";

/** A finding, or the rule itself failing (reported, not thrown: the other rules still run). */
export type FindingMessage = "finding" | "failed";
export type AuditRuleModule = TSESLint.RuleModule<FindingMessage, [], { description: string }>;
export type RuleContext = Readonly<TSESLint.RuleContext<FindingMessage, []>>;

/** Where a finding points: a node, or an explicit location (a keyword). */
export type Report = (at: Node | TSESTree.SourceLocation, message: string) => void;

export interface AuditRule {
  /** The rule's name in the plugin, after the failure it prevents: `supervise/<name>`. */
  readonly name: string;
  readonly def: MessageDef<readonly any[]>;
  /** The fix, shown under the finding by `supervise audit`. */
  readonly hint: string;
  readonly module: AuditRuleModule;
}

export function defineAuditRule(
  name: string,
  def: MessageDef<readonly any[]>,
  hint: string,
  check: (service: ServiceModule & { readonly start: NonNullable<ServiceModule["start"]> }, report: Report, context: RuleContext) => void,
): AuditRule {
  const module: AuditRuleModule = {
    defaultOptions: [],
    meta: {
      type: "problem",
      docs: { description: `${def.code}: ${def.title}` },
      messages: { finding: "{{message}}", failed: "{{detail}}" },
      schema: [],
    },
    create(context) {
      return {
        Program(program) {
          const service = serviceModuleOf(program);
          if (service.start === undefined) return;
          const report: Report = (at, message) => {
            if ("type" in at) context.report({ node: at, messageId: "finding", data: { message } });
            else context.report({ loc: at, messageId: "finding", data: { message } });
          };
          try {
            check({ ...service, start: service.start }, report, context);
          } catch (error) {
            const detail = error instanceof Error ? error.message : String(error);
            context.report({ node: program, messageId: "failed", data: { detail } });
          }
        },
      };
    },
  };
  return { name, def, hint, module };
}

/** The keyword that opens a statement (`while`, `for`, `do`, `catch`), as a location. */
export function keywordAt(node: Node, keyword: string): TSESTree.SourceLocation {
  const start = node.loc.start;
  return { start, end: { line: start.line, column: start.column + keyword.length } };
}
