// `compile --watch` as a real process: it compiles, compiles again when the spec or a module
// changes, keeps running through errors, and ends cleanly on SIGTERM and SIGINT. Every step waits
// for a line of output, never for a fixed time.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";

const DEADLINE_MS = 30_000;
const CLEAN = 'app shop {\n  service db { module "./services/db.ts" }\n}\n';
const BROKEN = 'app shop {\n  service db { module "./services/db.ts" }\n  service api { module "./services/apii.ts" }\n}\n';
const FIXED = 'app shop {\n  service db { module "./services/db.ts" }\n  service api { module "./services/api.ts" }\n}\n';

class Watcher {
  readonly child: ChildProcess;
  output = "";
  private seen = 0;
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(dir: string) {
    this.child = spawn(process.execPath, [join(REPO_ROOT, "dist", "cli.js"), "compile", "shop.sup", "--watch"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const take = (chunk: Buffer): void => {
      this.output += chunk.toString();
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.child.stdout!.on("data", take);
    this.child.stderr!.on("data", take);
    this.exited = new Promise((done) => this.child.once("exit", (code, signal) => done({ code, signal })));
  }

  /** Waits for `pattern` in the output after what earlier waits consumed. */
  async waitFor(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const rest = this.output.slice(this.seen);
      const match = pattern.exec(rest);
      if (match !== null) {
        this.seen += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${this.output}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 500).unref();
      });
    }
  }
}

const test = suite("compile --watch");

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "supervise-watch-"));
  mkdirSync(join(dir, "services"));
  for (const name of ["db", "api"]) writeFileSync(join(dir, "services", `${name}.ts`), "export function start() {}\n");
  writeFileSync(join(dir, "shop.sup"), CLEAN);
  return dir;
}

test("recompiles on a change of the spec or a module, keeps running through errors, stops on SIGTERM", async () => {
  const dir = project();
  const watcher = new Watcher(dir);
  try {
    await watcher.waitFor(/gen: 4 written, 0 unchanged\n/);
    await watcher.waitFor(/watching shop\.sup and 1 module file for changes/);
    writeFileSync(join(dir, "shop.sup"), BROKEN);
    const broken = await watcher.waitFor(/watching shop\.sup and 2 module files for changes/);
    assert.match(broken, /shop\.sup changed: compiling again/);
    assert.match(broken, /error SUP4001: module file '\.\/services\/apii\.ts' does not exist/);
    writeFileSync(join(dir, "shop.sup"), FIXED);
    const fixed = await watcher.waitFor(/watching shop\.sup and 2 module files/);
    assert.match(fixed, /gen: 4 written, 0 unchanged/);
    appendFileSync(join(dir, "services", "api.ts"), "// edited\n");
    const edited = await watcher.waitFor(/watching shop\.sup/);
    assert.match(edited, /services\/api\.ts changed: compiling again/);
    assert.match(edited, /gen: 0 written, 4 unchanged/);
    watcher.child.kill("SIGTERM");
    const exit = await watcher.exited;
    assert.equal(exit, { code: 0, signal: null });
    assert.match(watcher.output, /stopped watching\n$/);
  } finally {
    watcher.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SIGINT ends it with status 0 too", async () => {
  const dir = project();
  const watcher = new Watcher(dir);
  try {
    await watcher.waitFor(/watching shop\.sup/);
    watcher.child.kill("SIGINT");
    assert.equal(await watcher.exited, { code: 0, signal: null });
  } finally {
    watcher.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
