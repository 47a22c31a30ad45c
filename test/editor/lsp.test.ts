// The language server driven by a real client over stdio: diagnostics as you type, hover,
// definition, references, rename, completion, symbols, formatting and quick fixes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CodeAction, CompletionItem, DocumentSymbol, Hover, Location, TextEdit, WorkspaceEdit } from "vscode-languageserver-protocol";
import { LspClient } from "./lsp-client.ts";

const SPEC = `app shop {
  grace 30s
  service db { module "./services/db.ts" stop timeout 3s }
  service api { module "./services/api.ts" needs db }
  supervisor workers {
    service mailer { module "./services/api.ts" needs db }
  }
  shutdown api -> workers -> db
}
`;

const test = suite("lsp over stdio");
let dir = "";
let client: LspClient;
let uri = "";
let version = 1;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "supervise-lsp-"));
  mkdirSync(join(dir, "services"));
  for (const name of ["db", "api", "cache"]) writeFileSync(join(dir, "services", `${name}.ts`), "export function start() {}\n");
  writeFileSync(join(dir, "shop.sup"), SPEC);
  uri = pathToFileURL(join(dir, "shop.sup")).href;
  client = new LspClient();
  const capabilities = await client.initialize(dir);
  assert.ok(capabilities["hoverProvider"]);
  await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "supervise", version, text: SPEC } });
});

test.after(async () => {
  try {
    await client.shutdown();
  } finally {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

function at(text: string, needle: string, occurrence = 0, delta = 1): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, offset + delta);
  const line = before.split("\n").length - 1;
  return { line, character: offset + delta - (before.lastIndexOf("\n") + 1) };
}

async function edit(text: string): Promise<void> {
  version++;
  await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
}

test("a clean spec publishes no errors or warnings (the CLI's notes only)", async () => {
  const published = await client.diagnosticsFor(uri, version);
  assert.equal(published.diagnostics.filter((d) => d.severity !== 3), []);
});

test("hover on a service: its resolved timeouts, its worst-case stop, who needs it", async () => {
  const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: at(SPEC, "db {") })) as Hover;
  const text = (hover.contents as { value: string }).value;
  assert.match(text, /service db/);
  assert.match(text, /stop timeout: 3s/);
  assert.match(text, /start timeout: /);
  assert.match(text, /worst-case stop: begins at .*, done by /);
  assert.match(text, /needed by: api, workers\.mailer/);
});

test("hover on a setting: its meaning and its default", async () => {
  const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: at(SPEC, "grace") })) as Hover;
  const text = (hover.contents as { value: string }).value;
  assert.match(text, /\*\*grace\*\*/);
  assert.match(text, /Default in the app: `30s`/);
});

test("definition of a needs reference is the service's name; of a module path, the module file", async () => {
  const def = (await client.connection.sendRequest("textDocument/definition", { textDocument: { uri }, position: at(SPEC, "needs db", 0, 7) })) as Location;
  assert.is(def.uri, uri);
  assert.equal(def.range.start, at(SPEC, "db {", 0, 0));
  const inShutdown = (await client.connection.sendRequest("textDocument/definition", { textDocument: { uri }, position: at(SPEC, "-> workers", 0, 4) })) as Location;
  assert.equal(inShutdown.range.start, at(SPEC, "workers {", 0, 0));
  const mod = (await client.connection.sendRequest("textDocument/definition", { textDocument: { uri }, position: at(SPEC, "./services/api.ts") })) as Location;
  assert.is(mod.uri, pathToFileURL(join(dir, "services", "api.ts")).href);
});

test("references and rename cover the declaration and every needs", async () => {
  const refs = (await client.connection.sendRequest("textDocument/references", {
    textDocument: { uri },
    position: at(SPEC, "db {"),
    context: { includeDeclaration: true },
  })) as Location[];
  assert.is(refs.length, 4);
  // A module path's references: every service that runs that file (api and workers.mailer).
  const shared = (await client.connection.sendRequest("textDocument/references", {
    textDocument: { uri },
    position: at(SPEC, "./services/api.ts"),
    context: { includeDeclaration: true },
  })) as Location[];
  assert.equal(shared.map((l) => l.range.start.line), [3, 5]);
  const rename = (await client.connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: at(SPEC, "needs db", 0, 7), newName: "store" })) as WorkspaceEdit;
  const edits = rename.changes![uri]!;
  assert.is(edits.length, 4);
  assert.ok(edits.every((e) => e.newText === "store"));
  // A name a sibling already has, or one that is not a name, is refused with a message.
  for (const newName of ["api", "gitlab.target"]) {
    try {
      await client.connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: at(SPEC, "db {"), newName });
      assert.unreachable(`renaming to ${newName} was accepted`);
    } catch (error) {
      assert.match((error as Error).message, newName === "api" ? /already declared in app 'shop'/ : /not a valid name/);
    }
  }
});

test("completion: service names after needs, signal names after signals, the block's settings at an item", async () => {
  const text = SPEC.replace("needs db }\n  supervisor", "needs  }\n  supervisor");
  await edit(text);
  const names = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: at(text, "needs  }", 0, 6) })) as CompletionItem[];
  assert.ok(names.some((c) => c.label === "db"), JSON.stringify(names));
  assert.not.ok(names.some((c) => c.label === "api"), "a service does not need itself");
  const withSignals = text.replace("grace 30s", "signals ");
  await edit(withSignals);
  const signals = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: at(withSignals, "signals ", 0, 8) })) as CompletionItem[];
  assert.ok(signals.some((c) => c.label === "SIGTERM"));
  const blank = withSignals.replace("signals ", "");
  await edit(blank);
  const keywords = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: at(blank, "\n  service db", 0, 1) })) as CompletionItem[];
  assert.ok(keywords.some((c) => c.label === "grace") && keywords.some((c) => c.label === "service"));
  // Inside a service: its own settings, not the app's, and no nested blocks.
  const inService = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: at(blank, "db { ", 0, 5) })) as CompletionItem[];
  const labels = inService.map((c) => c.label);
  assert.ok(labels.includes("stop timeout") && labels.includes("needs"), labels.join(", "));
  assert.not.ok(labels.includes("grace") || labels.includes("service"), labels.join(", "));
});

test("diagnostics as you type: the catalogue's code on the right line", async () => {
  const broken = SPEC.replace("needs db }", "needs dbx }");
  await edit(broken);
  const published = await client.diagnosticsFor(uri, version);
  assert.is(published.diagnostics.length, 1);
  const [d] = published.diagnostics;
  assert.is(d!.code, "SUP2002");
  assert.is(d!.range.start.line, 3);
  assert.match(String(d!.message), /did you mean 'db'/);
});

test("a module file created after the spec named it clears its error, without an edit", async () => {
  assert.ok(JSON.stringify(client.registrations).includes("workspace/didChangeWatchedFiles"), JSON.stringify(client.registrations));
  const text = SPEC.replace("./services/api.ts\" needs db }", "./services/auth.ts\" needs db }");
  await edit(text);
  const missing = await client.diagnosticsFor(uri, version);
  assert.equal(missing.diagnostics.map((d) => d.code), ["SUP4001"]);
  const before = client.publishCount;
  writeFileSync(join(dir, "services", "auth.ts"), "export function start() {}\n");
  await client.connection.sendNotification("workspace/didChangeWatchedFiles", {
    changes: [{ uri: pathToFileURL(join(dir, "services", "auth.ts")).href, type: 1 }],
  });
  const refreshed = await client.diagnosticsFor(uri, version, before);
  assert.equal(refreshed.diagnostics.filter((d) => d.severity !== 3), []);
  await edit(SPEC);
});

test("a quick fix applies the did-you-mean", async () => {
  const broken = SPEC.replace("needs db }", "needs dbx }");
  await edit(broken);
  const actions = (await client.connection.sendRequest("textDocument/codeAction", {
    textDocument: { uri },
    range: { start: at(broken, "dbx"), end: at(broken, "dbx") },
    context: { diagnostics: [] },
  })) as CodeAction[];
  assert.is(actions.length, 1);
  assert.is(actions[0]!.edit!.changes![uri]![0]!.newText, "db");
});

test("document symbols are the tree; formatting is fmt", async () => {
  const messy = "app shop {\n      service db { module \"./services/db.ts\" }\n}\n";
  await edit(messy);
  const symbols = (await client.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri } })) as DocumentSymbol[];
  assert.is(symbols[0]!.name, "shop");
  assert.equal(symbols[0]!.children!.map((s) => s.name), ["db"]);
  const edits = (await client.connection.sendRequest("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
  assert.is(edits.length, 1);
  assert.ok(edits[0]!.newText.startsWith("app shop {\n  service db"), edits[0]!.newText);
});

test.run();
