// A real LSP client over stdio for the tests: spawns `node dist/cli.js lsp --stdio` (the built
// CLI, as an editor would) and talks JSON-RPC to it through vscode-languageserver-protocol.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { REPO_ROOT } from "../golden/specs.ts";

/** Generous: the machine running the tests may be loaded. */
const DEADLINE_MS = 30_000;

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly published: PublishDiagnosticsParams[] = [];
  /** What the server asked the client to register (client/registerCapability). */
  readonly registrations: unknown[] = [];
  private readonly waiters: (() => void)[] = [];
  stderr = "";

  constructor() {
    this.child = spawn(process.execPath, [join(REPO_ROOT, "dist", "cli.js"), "lsp", "--stdio"], { stdio: "pipe" });
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest("client/registerCapability", (params: unknown) => {
      this.registrations.push(params);
      return null;
    });
    this.connection.listen();
  }

  async initialize(rootDir: string): Promise<Record<string, unknown>> {
    const result = await this.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      // As VS Code does: the server may ask to be told of file changes.
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      workspaceFolders: null,
    });
    await this.connection.sendNotification("initialized", {});
    return (result as { capabilities: Record<string, unknown> }).capabilities;
  }

  /** How many times diagnostics were published so far (for `diagnosticsFor`'s `after`). */
  get publishCount(): number {
    return this.published.length;
  }

  /** The diagnostics published for `uri` at `version`, after the first `after` publications (waits for them). */
  async diagnosticsFor(uri: string, version: number, after = 0): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const found = this.published.slice(after).find((p) => p.uri === uri && p.version === version);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${version}; stderr: ${this.stderr}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 1000).unref();
      });
    }
  }

  /** Shuts the server down as an editor does, and waits for the process to exit; returns its code. */
  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((done) => this.child.once("exit", (code) => done(code)));
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}
