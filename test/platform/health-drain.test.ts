// End to end, as the issue asks: a spec with `health` and `drain` compiled and run as a real
// process. Right after SIGTERM, /readyz answers 503 while every service still runs; the stop
// begins after the drain; the exit code is 0; the health port is closed once the process is gone.
// Everything waits for log lines and exits, never for fixed sleeps.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSpecFile } from "../../compiler/driver/api.ts";
import { REPO_ROOT } from "../golden/specs.ts";

// Inside the repository, so that generated code resolves `supervise/runtime` through the package's self-reference.
const WORK = join(REPO_ROOT, ".gen-tmp", `platform-health-${process.pid}`);
const DRAIN_MS = 5_000;

/** A port nothing listens on right now (the kernel picks it). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** GET on the health port: the status, or the error code when nothing answers. */
function probe(port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

/** Compiles a two-service app with health on `port` and returns its main.ts. */
function compileApp(port: number, name: string): string {
  const dir = join(WORK, name);
  mkdirSync(join(dir, "services"), { recursive: true });
  copyFileSync(join(REPO_ROOT, "test", "fixtures", "golden", "services", "store.ts"), join(dir, "services", "store.ts"));
  const spec = join(dir, "app.sup");
  writeFileSync(
    spec,
    `app storefront {\n  grace 10s\n  drain ${DRAIN_MS / 1000}s\n  health port ${port}\n  health host 127.0.0.1\n` +
      `  service orders {\n    module "./services/store.ts"\n    stop timeout 1s\n  }\n` +
      `  service web {\n    module "./services/store.ts"\n    needs orders\n    stop timeout 2s\n  }\n}\n`,
  );
  const result = compileSpecFile(spec, join(dir, "gen"));
  assert.equal(result.diagnostics, []);
  return join(dir, "gen", "main.ts");
}

/** A running app: its log so far, a way to wait for a line, and its exit. */
interface Running {
  readonly child: ChildProcess;
  log(): string;
  waitFor(pattern: RegExp): Promise<void>;
  readonly exited: Promise<number | null>;
}

function startApp(mainTs: string): Running {
  const child = spawn(process.execPath, ["--import", "tsx", mainTs], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
  let log = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    log += chunk.toString();
    for (const w of waiters.splice(0)) if (w.pattern.test(log)) w.resolve();
    else waiters.push(w);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(watchdog);
      resolve(code);
    }),
  );
  return {
    child,
    log: () => log,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(log)) return resolve();
        waiters.push({ pattern, resolve });
        void exited.then(() => (pattern.test(log) ? resolve() : reject(new Error(`exited before ${pattern}; log:\n${log}`))));
      }),
  };
}

const e2e = suite("health and drain on a real process");

e2e.after(() => rmSync(WORK, { recursive: true, force: true }));

e2e("/readyz answers 503 right after SIGTERM while every service runs, the stop begins after the drain, exit 0", async () => {
  const port = await findFreePort();
  const app = startApp(compileApp(port, "drain"));
  await app.waitFor(/ready: \/readyz answers 200/);
  assert.equal([await probe(port, "/livez"), await probe(port, "/startupz"), await probe(port, "/readyz")], [200, 200, 200]);

  const signalledAt = Date.now();
  app.child.kill("SIGTERM");
  await app.waitFor(/draining for 5s/);
  assert.is(await probe(port, "/readyz"), 503);
  // Nothing has begun to stop: both services still run while the platform stops sending traffic.
  assert.not.match(app.log(), /stopped|: stopping|store closed/, app.log());
  assert.is(await probe(port, "/livez"), 200, "alive through the drain");

  await app.waitFor(/drained for .*: stopping/);
  const stopBeganAfter = Date.now() - signalledAt;
  assert.ok(stopBeganAfter >= DRAIN_MS - 50, `the stop began ${stopBeganAfter}ms after SIGTERM, before the ${DRAIN_MS}ms drain ended`);
  assert.is(await app.exited, 0, app.log());
  const log = app.log();
  assert.ok(log.indexOf("web stopped") < log.indexOf("orders stopped"), log);
  assert.match(log, /readiness: ready at .*, not ready from .*, drained 5s before the stop/);
  assert.type(await probe(port, "/readyz"), "string", "the health port is closed once the process has exited");
});

e2e("a second signal during the drain exits at once with 128+n", async () => {
  const port = await findFreePort();
  const app = startApp(compileApp(port, "second"));
  await app.waitFor(/ready: \/readyz answers 200/);
  app.child.kill("SIGTERM");
  await app.waitFor(/draining for 5s/);
  app.child.kill("SIGINT");
  assert.is(await app.exited, 130, app.log());
  assert.not.match(app.log(), /drained for/);
});

e2e("a health port already in use: the app does not start, and says why", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const address = blocker.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  try {
    const app = startApp(compileApp(port, "busy"));
    assert.is(await app.exited, 1, app.log());
    assert.match(app.log(), new RegExp(`cannot run: the health endpoints cannot listen on 127\\.0\\.0\\.1 port ${port}: EADDRINUSE`));
    assert.not.match(app.log(), /started/);
  } finally {
    blocker.close();
  }
});

e2e.run();
