// The VS Code client: starts `supervise lsp --stdio` for .sup files. The server does all the
// work; this file only finds the command. Install: see docs/editor.md.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

/** supervise.path, else the workspace's node_modules/.bin/supervise, else `supervise` on the PATH. */
function findCommand() {
  const configured = vscode.workspace.getConfiguration("supervise").get("path");
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "supervise.cmd" : "supervise");
    if (existsSync(local)) return local;
  }
  return "supervise";
}

function activate(context) {
  const command = findCommand();
  const run = { command, args: ["lsp", "--stdio"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "supervise",
    "supervise",
    { run, debug: run },
    { documentSelector: [{ scheme: "file", language: "supervise" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
