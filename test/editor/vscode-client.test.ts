// The VS Code client (editors/vscode/extension.js) outside VS Code: `vscode` and
// `vscode-languageclient/node` are replaced by recorders, so the test sees which command the
// extension starts, and with what, for each way of configuring it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";

interface Started {
  readonly id: string;
  readonly server: { run: { command: string; args: string[] } };
  readonly client: { documentSelector: unknown[] };
}

const EXTENSION = join(REPO_ROOT, "editors", "vscode", "extension.js");
const require = createRequire(import.meta.url);
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

/** Activates the extension with `settings` and `folders`; returns the client it built. */
async function activate(settings: Record<string, string>, folders: string[]): Promise<Started> {
  const started: Started[] = [];
  const fakes: Record<string, unknown> = {
    vscode: {
      workspace: {
        getConfiguration: () => ({ get: (key: string) => settings[key] }),
        workspaceFolders: folders.map((fsPath) => ({ uri: { fsPath } })),
      },
    },
    "vscode-languageclient/node": {
      TransportKind: { stdio: 0 },
      LanguageClient: class {
        constructor(id: string, _name: string, server: Started["server"], client: Started["client"]) {
          started.push({ id, server, client });
        }
        start(): Promise<void> {
          return Promise.resolve();
        }
        stop(): Promise<void> {
          return Promise.resolve();
        }
      },
    },
  };
  const original = loader._load;
  loader._load = (request, parent, isMain) => (request in fakes ? fakes[request] : original(request, parent, isMain));
  try {
    delete require.cache[EXTENSION];
    const extension = require(EXTENSION) as { activate: (context: { subscriptions: unknown[] }) => Promise<void>; deactivate: () => Promise<void> };
    const context = { subscriptions: [] as unknown[] };
    await extension.activate(context);
    assert.is(context.subscriptions.length, 1, "the client is disposed with the extension");
    await extension.deactivate();
  } finally {
    loader._load = original;
  }
  assert.is(started.length, 1);
  return started[0]!;
}

const test = suite("editors/vscode client");

test("starts 'supervise lsp --stdio' from the PATH for .sup documents", async () => {
  const started = await activate({}, []);
  assert.is(started.id, "supervise");
  assert.equal(started.server.run, { command: "supervise", args: ["lsp", "--stdio"], transport: 0 });
  assert.equal(started.client.documentSelector, [{ scheme: "file", language: "supervise" }]);
});

test("prefers the workspace's own supervise, and the supervise.path setting over both", async () => {
  const dir = mkdtempSync(join(tmpdir(), "supervise-vscode-"));
  try {
    mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
    const local = join(dir, "node_modules", ".bin", process.platform === "win32" ? "supervise.cmd" : "supervise");
    writeFileSync(local, "");
    assert.is((await activate({}, [dir])).server.run.command, local);
    assert.is((await activate({ path: "/opt/supervise/bin/supervise" }, [dir])).server.run.command, "/opt/supervise/bin/supervise");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
