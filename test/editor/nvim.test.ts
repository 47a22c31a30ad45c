// Neovim, headless, as an outside client of `supervise lsp --stdio` (nvim-client.lua does what a
// user's config does). Skipped, with the reason printed, only where nvim is not installed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";

const SPEC = `app shop {
  service db { module "./services/db.ts" }
  service cache { module "./services/cache.ts" }
  service api { module "./services/api.ts" needs db, cahce }
}
`;

const test = suite("neovim as an lsp client");
const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });

test("diagnostics on the right line, a hover and the definition of a needs reference", () => {
  if (nvim.error !== undefined || nvim.status !== 0) {
    console.log(`  skipped: nvim is not installed (${nvim.error?.message ?? nvim.stderr}); apt-get install neovim to run it`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "supervise-nvim-"));
  try {
    mkdirSync(join(dir, "services"));
    for (const name of ["db", "api", "cache"]) writeFileSync(join(dir, "services", `${name}.ts`), "export function start() {}\n");
    const spec = join(dir, "shop.sup");
    writeFileSync(spec, SPEC);
    const out = join(dir, "out.txt");
    const run = spawnSync("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${join(REPO_ROOT, "test", "editor", "nvim-client.lua")}`], {
      encoding: "utf8",
      timeout: 120_000,
      env: {
        ...process.env,
        SUP_SPEC: spec,
        SUP_OUT: out,
        SUP_NODE: process.execPath,
        SUP_CLI: join(REPO_ROOT, "dist", "cli.js"),
        SUP_HOVER_AT: "1:11", // `db` where it is declared
        SUP_DEFINITION_AT: "3:50", // `db` in `needs db, cahce`
      },
    });
    assert.is(run.status, 0, `nvim: ${run.stderr}`);
    const lines = readFileSync(out, "utf8").split("\n");
    assert.ok(lines.includes("diagnostics true"), lines.join("\n"));
    const errors = lines.filter((l) => l.startsWith("diagnostic line"));
    assert.is(errors.length, 1, lines.join("\n"));
    assert.match(errors[0]!, /^diagnostic line 4 SUP2002 .*'cahce'.*did you mean 'cache'/);
    assert.match(lines.find((l) => l.startsWith("hover ")) ?? "", /service db.*needed by: api/);
    assert.is(lines.find((l) => l.startsWith("definition ")), `definition ${pathToFileURL(spec).href} 1:10`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
