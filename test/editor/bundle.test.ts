// The language server is loaded lazily: it is a bundle of its own (dist/lsp.js) that only
// `supervise lsp` imports, so the commands people run in scripts and CI (check, compile) do not
// parse the protocol library at every start.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("the lsp bundle");

test("dist/cli.js holds none of the language server; dist/lsp.js holds it", () => {
  const cli = readFileSync(join(REPO_ROOT, "dist", "cli.js"), "utf8");
  const lsp = readFileSync(join(REPO_ROOT, "dist", "lsp.js"), "utf8");
  for (const marker of ["textDocument/hover", "textDocument/publishDiagnostics", "Content-Length"]) {
    assert.not.ok(cli.includes(marker), `dist/cli.js contains ${marker}`);
    assert.ok(lsp.includes(marker), `dist/lsp.js lacks ${marker}`);
  }
  assert.match(cli, /new URL\("\.\/lsp\.js",\s*import\.meta\.url\)/, "the CLI loads the server from beside itself");
});

test.run();
