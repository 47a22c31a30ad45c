// The rule wrapper: a rule that throws reports the failure as a message of its own instead of
// stopping the lint, so the other rules still report (the CLI shows it as SUP9002); and a module
// without an exported `start` is not a service module, so no rule looks at it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Linter, parser } from "supervise-audit-toolchain";
import { defineAuditRule } from "../../compiler/audit/rule.ts";
import { M } from "../../compiler/diagnostics/catalogue.ts";
import { unstoppableLoop } from "../../compiler/audit/rules-loops.ts";

const test = suite("audit/rule");

const failing = defineAuditRule("failing", M.unstoppableLoop, "", () => {
  throw new Error("boom");
});

function lint(text: string): Linter.LintMessage[] {
  const config = [
    {
      files: ["**/*.ts"],
      languageOptions: { parser },
      plugins: { t: { rules: { failing: failing.module, loop: unstoppableLoop.module } } },
      rules: { "t/failing": "error", "t/loop": "error" },
    },
  ];
  return new Linter({ configType: "flat", cwd: "/" }).verify(text, config as never, { filename: "/project/worker.ts" });
}

const LOOPING = `export async function start(scope: any) {
  scope.go("t", async () => {
    while (true) await scope.sleep(1);
  });
}
`;

test("a rule that throws reports its failure, and the other rules still report", () => {
  const messages = lint(LOOPING);
  const failed = messages.find((m) => m.ruleId === "t/failing");
  assert.equal({ id: failed?.messageId, message: failed?.message }, { id: "failed", message: "boom" });
  assert.ok(messages.some((m) => m.ruleId === "t/loop" && m.messageId === "finding" && m.line === 3));
});

test("a module that exports no start is not looked at", () => {
  assert.equal(lint(LOOPING.replace("export async function start", "export async function begin")), []);
});

test.run();
