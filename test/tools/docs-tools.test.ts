// docs/tools.md shows real outputs: every `$ supervise ...` block is what the command prints
// for that spec (computed in-process through compiler/driver/api.ts, like the CLI does).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatSpecFile, graphSpecFile, planSpecFile } from "../../compiler/driver/api.ts";
import type { GraphFormat } from "../../compiler/tools/render-graph.ts";
import type { PlanFormat } from "../../compiler/tools/render-plan.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const docs = suite("docs/tools.md");

/** What `supervise <args>` prints on stdout, for the commands the document shows. */
function run(args: readonly string[]): string {
  const [command, spec, flag, value] = args;
  const path = join(REPO_ROOT, spec!);
  if (command === "graph") return graphSpecFile(path, (flag === "--format" ? value : "mermaid") as GraphFormat).text!;
  if (command === "plan") return planSpecFile(path, (flag === "--format" ? value : "text") as PlanFormat).text!;
  if (command === "fmt") return formatSpecFile(path).formatted!;
  throw new Error(`docs/tools.md shows an unknown command: ${args.join(" ")}`);
}

docs("every command shown prints exactly the output shown", () => {
  const text = readFileSync(join(REPO_ROOT, "docs", "tools.md"), "utf8");
  const blocks = [...text.matchAll(/```text\n\$ supervise ([^\n]+)\n([\s\S]*?)```/g)];
  assert.ok(blocks.length >= 2);
  for (const [, args, shown] of blocks) assert.is(run(args!.split(" ")), shown, `supervise ${args}`);
});

docs.run();
