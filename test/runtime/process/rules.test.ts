// The rules of process services that need no process: when SIGKILL follows the stop signal,
// which exits count as a clean stop, and how output is cut into lines.
import { PassThrough } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MAX_LINE, readLines } from "../../../runtime/process/output-lines.ts";
import { computeKillDelay, isCleanStop, KILL_RESERVE_MAX_MS } from "../../../runtime/process/process-run.ts";

const test = suite("runtime/process services: rules");

test("SIGKILL comes a tenth of the stop timeout before it runs out, 100ms to 500ms before, at most half of it", () => {
  assert.is(computeKillDelay(300), 200);
  assert.is(computeKillDelay(2_000), 1_800);
  assert.is(computeKillDelay(5_000), 4_500);
  assert.is(computeKillDelay(20_000), 20_000 - KILL_RESERVE_MAX_MS);
  assert.is(computeKillDelay(120), 60);
  assert.is(computeKillDelay(0), 0);
  assert.is(computeKillDelay(Infinity), undefined);
  for (const budget of [1, 10, 999, 60_000]) assert.ok(computeKillDelay(budget)! < budget, `before the ${budget}ms budget runs out`);
});

test("a clean stop: exit 0, death by the stop signal, or 128 + its number", () => {
  assert.ok(isCleanStop(0, null, "SIGTERM"));
  assert.ok(isCleanStop(null, "SIGTERM", "SIGTERM"));
  assert.ok(isCleanStop(143, null, "SIGTERM"));
  assert.ok(isCleanStop(131, null, "SIGQUIT"));
  assert.not.ok(isCleanStop(1, null, "SIGTERM"));
  assert.not.ok(isCleanStop(null, "SIGSEGV", "SIGTERM"));
  assert.not.ok(isCleanStop(143, null, "SIGINT"));
});

test("output becomes lines: pieces joined, CRLF trimmed, the last line without a break kept, long lines cut", async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  readLines(stream, (line) => lines.push(line));
  stream.write("hal");
  stream.write("f a line\r\nsecond\n\ncaf");
  stream.write(Buffer.from([0xc3])); // the first byte of "é": decoded only with the next one
  stream.write(Buffer.from([0xa9]));
  stream.write("\n" + "x".repeat(MAX_LINE + 5));
  stream.end("tail");
  await new Promise((resolve) => stream.on("close", resolve));
  assert.equal(lines, ["half a line", "second", "", "café", "x".repeat(MAX_LINE), "xxxxxtail"]);
});

test.run();
