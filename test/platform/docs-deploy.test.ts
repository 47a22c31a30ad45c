// docs/deploy.md shows real outputs: every `$ supervise deploy ...` block is what the command
// prints for that spec (computed in-process through compiler/driver/platform-api.ts, as the CLI does).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { deploySpecFile } from "../../compiler/driver/platform-api.ts";
import { DEFAULT_MAIN, DEFAULT_NODE } from "../../compiler/platform/deploy-options.ts";
import { PLATFORMS, type Platform } from "../../compiler/language/vocabulary.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const docs = suite("docs/deploy.md");

docs("every deploy command shown prints exactly the file shown", () => {
  const text = readFileSync(join(REPO_ROOT, "docs", "deploy.md"), "utf8");
  const blocks = [...text.matchAll(/```text\n\$ supervise deploy (\S+) (\S+)\n([\s\S]*?)```/g)];
  assert.equal(blocks.map((b) => b[1]), [...PLATFORMS], "one block per platform");
  for (const [, platform, spec, shown] of blocks) {
    const result = deploySpecFile(join(REPO_ROOT, spec!), platform as Platform, { main: DEFAULT_MAIN, node: DEFAULT_NODE });
    assert.is(result.deployment?.text, shown, `supervise deploy ${platform} ${spec}`);
  }
});

docs.run();
