// From the tarball to a stopped production app, as a user does it in a project of their own: npm
// pack, a production install (nothing but supervise), `supervise init`, `npm install`, `npm test`,
// `npm run build`, the devDependencies pruned, the Dockerfile's command under plain node, as PID 1
// and under tini as PID 1, stopped by SIGTERM with exit 0; and `npm start` warning that npm does
// not pass it on.
//
// Slow (npm installs, tsc, real processes: about a minute), so it is `npm run test:package`, run by
// .ci/run after `npm test`, and not part of `npm test`. npm works from its cache where it can
// (--prefer-offline): the scaffold asks for the versions this repository is built with.
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";
import pkg from "../../package.json" with { type: "json" };

const test = suite("package: from the tarball to a stopped production app");
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
/** Each npm or tsc step; generous, for a loaded machine with a cold cache. */
const STEP_MS = 300_000;
/** From spawn to every service started, and from SIGTERM to the exit. */
const PROCESS_MS = 60_000;

let work = "";
let tarball = "";
let project = "";

/**
 * The environment without what an outer `npm test` or `npm run` exports: npm_config_local_prefix
 * and its kind would point the inner npm at this repository, npm_lifecycle_* would trigger the
 * launcher warning in every app started below.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== "INIT_CWD") env[key] = value;
  return { ...env, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(env), encoding: "utf8", timeout: STEP_MS, stdio: ["ignore", "pipe", "pipe"] });
  const shown = `${command} ${args.join(" ")} in ${cwd}: exit ${result.status} ${result.signal ?? ""}\n${result.stdout}\n${result.stderr}`;
  assert.is(result.status, 0, shown);
  return result;
}

interface Started {
  readonly child: ReturnType<typeof spawn>;
  log(): string;
  /** Resolves with the exit code once the process has ended and its output is read. */
  readonly exited: Promise<number | null>;
}

/** Spawns and resolves once a line of its output matches `ready`. */
function start(command: string, args: readonly string[], cwd: string, ready: RegExp, options: { env?: Record<string, string>; detached?: boolean } = {}): Promise<Started> {
  const child = spawn(command, args, { cwd, env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"], detached: options.detached ?? false });
  let log = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const watchdog = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} not ready within ${PROCESS_MS}ms:\n${log}`));
    }, PROCESS_MS);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (ready.test(log)) {
        clearTimeout(watchdog);
        ready = /(?!)/; // once
        resolve({ child, log: () => log, exited });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(watchdog);
      reject(new Error(`${command} ${args.join(" ")} exited (${code}) before it was ready:\n${log}`));
    });
  });
}

async function exitWithin(started: Started): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no exit within ${PROCESS_MS}ms of the signal:\n${started.log()}`)), PROCESS_MS);
  });
  try {
    return await Promise.race([started.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const STARTED = /all \d+ services started/;

/** The web service's address, from its log line. */
function webUrl(log: string): string {
  const match = /web: listening on http:\/\/[^:]+:(\d+)/.exec(log);
  assert.ok(match, log);
  return `http://127.0.0.1:${match[1]}/`;
}

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST" }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test.before(() => {
  work = mkdtempSync(join(tmpdir(), "supervise-package-"));
});
test.after(() => { if (process.env["KEEP_PACKAGE_TEST"] === undefined) rmSync(work, { recursive: true, force: true }); else console.log(`kept ${work}`); });

test("every build leaves the bin executable, however it was before", () => {
  chmodSync(join(REPO_ROOT, "dist", "cli.js"), 0o644);
  run(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], REPO_ROOT);
  assert.is(statSync(join(REPO_ROOT, "dist", "cli.js")).mode & 0o111, 0o111);
});

test("npm pack ships dist/, docs/ and the README, never the sources, tests or benchmarks", () => {
  const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
  tarball = join(work, info!.filename);
  const paths = info!.files.map((f) => f.path);
  const outside = paths.filter((p) => !/^(dist\/|docs\/[^/]+\.md$|README\.md$|package\.json$)/.test(p));
  assert.equal(outside, [], `files outside the whitelist: ${outside.join(", ")}`);
  for (const needed of ["dist/cli.js", "dist/runtime/index.js", "dist/runtime/index.d.ts", "dist/runtime/testing/index.js", "dist/templates/main.ts.hbs", "dist/scaffold/service.sup.tmpl", "dist/scaffold/gitignore.tmpl"]) {
    assert.ok(paths.includes(needed), `${needed} missing from the tarball`);
  }
  assert.not.ok(paths.some((p) => p.endsWith(".test.js") || p.endsWith(".ts.map")), "no test files in dist/");
  assert.is(info!.files.find((f) => f.path === "dist/cli.js")!.mode & 0o111, 0o111);
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies?: object };
  assert.is(manifest.dependencies, undefined, "supervise has no production dependency");
});

test("a production install adds supervise and nothing else, and its bin runs", () => {
  const dir = join(work, "production");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "production", private: true }) + "\n");
  run("npm", ["install", "--omit=dev", ...NPM_FLAGS, tarball], dir);
  assert.equal(readdirSync(join(dir, "node_modules")).filter((n) => !n.startsWith(".")), ["supervise"]);
  const version = run(join(dir, "node_modules", ".bin", "supervise"), ["--version"], dir);
  assert.is(version.stdout.trim(), pkg.version);
});

test("in a new project: npm install the tarball, supervise init, npm install, npm test", () => {
  project = join(work, "notes");
  mkdirSync(project);
  run("npm", ["install", ...NPM_FLAGS, tarball], project);
  const init = run(join(project, "node_modules", ".bin", "supervise"), ["init"], project);
  assert.match(init.stderr, /^Created 11 files and compiled service\.sup into gen\/:/);
  assert.match(init.stderr, /^package\.json: added type, engines\.node, scripts\.generate, scripts\.dev, scripts\.test, scripts\.build, scripts\.start, devDependencies\./m);
  run("npm", ["install", ...NPM_FLAGS], project);
  const tested = run("npm", ["test"], project);
  assert.match(tested.stderr, /service\.sup: ok/);
  assert.match(tested.stdout, /Passed:\s+\d+/);
  assert.not.match(tested.stdout, /Failed/);
});

test("npm run build; without devDependencies, the Dockerfile's command runs under plain node and stops with 0", async () => {
  const built = run("npm", ["run", "build"], project);
  assert.match(built.stderr, /gen: 0 written, 4 unchanged/);
  run("npm", ["prune", "--omit=dev", ...NPM_FLAGS], project);
  for (const tool of ["tsx", "typescript", "uvu"]) assert.not.ok(readdirSync(join(project, "node_modules")).includes(tool), `${tool} pruned`);
  const dockerfile = readFileSync(join(project, "Dockerfile"), "utf8");
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  assert.is(cmd[0], "node");
  const app = await start(process.execPath, cmd.slice(1), project, STARTED, { env: { PORT: "0", HOST: "127.0.0.1" } });
  // The program of the exec service ran from the project, not from dist/.
  assert.match(app.log(), /ticker: ticking every/);
  const created = await post(webUrl(app.log()), "buy milk");
  assert.is(created.status, 201, created.body);
  app.child.kill("SIGTERM");
  assert.is(await exitWithin(app), 0, app.log());
  assert.match(app.log(), /received SIGTERM: stopping/);
  assert.match(app.log(), /ticker: stopped after \d+ tick/);
  assert.match(app.log(), /exit 0: 5 stopped/);
  assert.not.match(app.log(), /warning: started through/, app.log());
});

test("as PID 1 of its own PID namespace (what a container's init hands it), SIGTERM stops it with 0", async () => {
  const probe = spawnSync("unshare", ["-pf", "--mount-proc", "true"], { encoding: "utf8" });
  if (probe.status !== 0) {
    // Needs root or user namespaces; CI and the development machine have them.
    console.log(`  (not run: unshare -pf is not permitted here: ${probe.stderr.trim() || probe.error?.message})`);
    return;
  }
  const app = await start("unshare", ["-pf", "--mount-proc", process.execPath, "dist/gen/main.js"], project, STARTED, { env: { PORT: "0", HOST: "127.0.0.1" } });
  const pid = Number(readFileSync(`/proc/${app.child.pid}/task/${app.child.pid}/children`, "utf8").trim().split(/\s+/)[0]);
  const nsPid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]!.trim().split(/\s+/);
  assert.is(nsPid.at(-1), "1", `node is PID 1 in its namespace (NSpid ${nsPid.join(" ")})`);
  process.kill(pid, "SIGTERM");
  assert.is(await exitWithin(app), 0, app.log());
  assert.match(app.log(), /exit 0: 5 stopped/);
});

test("the image's whole command line, tini as PID 1 and node below it: docker stop's SIGTERM to PID 1 ends it with 0", async () => {
  const dockerfile = readFileSync(join(project, "Dockerfile"), "utf8");
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  const unshare = spawnSync("unshare", ["-pf", "--mount-proc", "true"], { encoding: "utf8" });
  if (!existsSync(entrypoint[0]!) || unshare.status !== 0) {
    // The image installs tini; a machine may not have it (Debian: apt-get install tini).
    console.log(`  (not run: ${existsSync(entrypoint[0]!) ? "unshare -pf is not permitted here" : `no ${entrypoint[0]} on this machine`})`);
    return;
  }
  const app = await start("unshare", ["-pf", "--mount-proc", ...entrypoint, ...cmd], project, STARTED, { env: { PORT: "0", HOST: "127.0.0.1" } });
  const init = Number(readFileSync(`/proc/${app.child.pid}/task/${app.child.pid}/children`, "utf8").trim().split(/\s+/)[0]);
  assert.match(readFileSync(`/proc/${init}/cmdline`, "utf8"), /^\/usr\/bin\/tini\0/);
  process.kill(init, "SIGTERM");
  assert.is(await exitWithin(app), 0, app.log());
  assert.match(app.log(), /received SIGTERM: stopping/);
  assert.match(app.log(), /exit 0: 5 stopped/);
});

test("npm start warns once that npm does not pass a stop signal on, with the command to use", async () => {
  const app = await start("npm", ["start"], project, STARTED, { env: { PORT: "0", HOST: "127.0.0.1" }, detached: true });
  const warnings = app.log().match(/warning: started through npm start/g) ?? [];
  assert.is(warnings.length, 1, app.log());
  assert.match(app.log(), /Start it directly: node dist\/gen\/main\.js/);
  // Stop the whole group, as a terminal's Ctrl-C would, so nothing outlives the test.
  process.kill(-app.child.pid!, "SIGTERM");
  await exitWithin(app);
  assert.match(app.log(), /exit 0: 5 stopped/);
});

test.run();
