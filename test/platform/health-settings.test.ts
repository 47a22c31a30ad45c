// `health` and `drain` in the spec: the forms each accepts, the codes of what it refuses, and
// what reaches the plan. Codes, not wording.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";

function analyze(lines: string): { codes: string[]; health: unknown; drainMs: number | undefined } {
  const source = `app shop {\n${lines}\n  service db { exec "true" }\n}\n`;
  const result = analyzeSpec(source, "shop.sup", { specDir: "/", fileExists: () => true, directoryExists: () => true });
  return { codes: result.diagnostics.map((d) => d.code), health: result.app?.health, drainMs: result.app?.drainMs };
}

const test = suite("health and drain settings");

test("every way to write the host: an IPv4 address, a name, a dotted name, a quoted IPv6 address", () => {
  for (const [written, host] of [["127.0.0.1", "127.0.0.1"], ["localhost", "localhost"], ["api.internal", "api.internal"], ['"::1"', "::1"], ['"0.0.0.0"', "0.0.0.0"]] as const) {
    const result = analyze(`  health port 9464\n  health host ${written}`);
    assert.equal(result.codes, [], written);
    assert.equal(result.health, { port: 9464, host }, written);
  }
  assert.equal(analyze("  health port 9464").health, { port: 9464, host: undefined });
  assert.is(analyze("").health, undefined);
});

test("what is refused, by code", () => {
  assert.equal(analyze("  health prot 9464").codes, ["SUP6001"]);
  assert.equal(analyze("  health port 0").codes, ["SUP6002"]);
  assert.equal(analyze("  health port 65536").codes, ["SUP6002"]);
  assert.equal(analyze('  health port "9464"').codes, ["SUP6002"]);
  assert.equal(analyze("  health port 9464\n  health host 256.0.0.1").codes, ["SUP6003"]);
  assert.equal(analyze('  health port 9464\n  health host "::g"').codes, ["SUP6003"]);
  assert.equal(analyze("  health host localhost").codes, ["SUP6004"]);
  assert.equal(analyze("  grace 5s\n  drain 5s").codes, ["SUP6005"]);
  assert.equal(analyze("  grace 5s\n  drain 1s").codes, ["SUP6006"], "drain 1s + db's 5s stop > 5s");
  assert.equal(analyze("  drain 0s").codes, ["SUP3009"], "a drain of nothing is left out, not written as 0s");
});

test("the drain reaches the model; misplaced in a service, it is refused like any app setting", () => {
  assert.is(analyze("  grace 20s\n  drain 5s").drainMs, 5_000);
  assert.is(analyze("").drainMs, 0);
  const inService = analyzeSpec('app shop {\n  service db {\n    exec "true"\n    drain 5s\n    health port 1\n  }\n}\n', "shop.sup", { specDir: "/", fileExists: () => true });
  assert.equal([...new Set(inService.diagnostics.map((d) => d.code))], ["SUP2005"]);
});

test.run();
