// End to end: the generated main.ts of the shop example and of a fixture spec run as real
// processes and receive real SIGTERM and SIGINT. Few and fast: everything else runs on virtual
// time. Each process is started through node's tsx loader, so the signal reaches it directly.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runAndSignal } from "./run-main.ts";

/** Index of the first log line matching, or -1. */
function lineOf(log: string, pattern: RegExp): number {
  return log.split("\n").findIndex((line) => pattern.test(line));
}

function assertBefore(log: string, first: RegExp, second: RegExp): void {
  const a = lineOf(log, first);
  const b = lineOf(log, second);
  assert.ok(a >= 0, `missing ${first} in:\n${log}`);
  assert.ok(b >= 0, `missing ${second} in:\n${log}`);
  assert.ok(a < b, `${first} must come before ${second} in:\n${log}`);
}

const e2e = suite("generated main.ts with real signals");
const SHOP = join("examples", "shop", "gen", "main.ts");
const ALL_STARTED = /all \d+ services started/;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  e2e(`shop: ${signal} stops in the spec's order and exits 0`, async () => {
    const { code, log } = await runAndSignal(SHOP, signal, ALL_STARTED);
    assert.is(code, 0, log);
    assert.match(log, new RegExp(`received ${signal}`));
    // start: dependencies first
    assertBefore(log, /db started/, /workers\.mailer started/);
    assertBefore(log, /cache started/, /workers\.indexer started/);
    assertBefore(log, /workers\.indexer started/, /api started/);
    // shutdown api -> workers -> cache, db
    assertBefore(log, /api stopped/, /workers\.mailer stopped/);
    assertBefore(log, /api stopped/, /workers\.indexer stopped/);
    assertBefore(log, /workers\.mailer stopped/, /db stopped/);
    assertBefore(log, /workers\.indexer stopped/, /cache stopped/);
  });
}

e2e("a fixture spec with a derived order: SIGHUP stops dependents before dependencies", async () => {
  const main = join("test", "fixtures", "golden", "pipeline.out", "main.ts");
  const { code, log } = await runAndSignal(main, "SIGHUP", ALL_STARTED);
  assert.is(code, 0, log);
  assertBefore(log, /http-in stopped/, /stages\.parse stopped/);
  assertBefore(log, /stages\.sinks\.write-a stopped/, /stages\.enrich stopped/);
  assertBefore(log, /stages\.enrich stopped/, /stages\.parse stopped/);
  assertBefore(log, /stages\.enrich stopped/, /redis_cache stopped/);
  assertBefore(log, /stages\.parse stopped/, /object-store stopped/);
  assertBefore(log, /http-in stopped/, /object-store stopped/);
});

e2e("names special to JavaScript objects: every service starts with its own deps and env, then stops", async () => {
  const main = join("test", "fixtures", "golden", "special-names.out", "main.ts");
  const { code, log } = await runAndSignal(main, "SIGTERM", ALL_STARTED);
  assert.is(code, 0, log);
  assert.match(log, /all 6 services started/);
  assert.match(log, /constructor: constructor has deps \[__proto__\]/);
  assert.match(log, /prototype\.toString: prototype\.toString has deps \[__proto__, constructor\]/);
  assert.match(log, /env __proto__=p constructor=c toString=t valueOf=v __defineGetter__=g/);
  assert.match(log, /isPrototypeOf sees __proto__, __defineGetter__ and prototype\.toString, true/);
  assertBefore(log, /constructor stopped/, /__proto__ stopped/);
  assert.match(log, /exit 0: 6 stopped/);
});

e2e.run();
