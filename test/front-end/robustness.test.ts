// User input never throws: truncations and mutations of the example always come back as
// diagnostics (never an exception, never the internal-error code).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { renderDiagnostics, renderDiagnosticsJson } from "../../compiler/diagnostics/render.ts";
import { EXAMPLE } from "./example.ts";

const robust = suite("robustness");

const options = { specDir: "/spec", fileExists: (): boolean => true };

function check(source: string, label: string): number {
  let result;
  try {
    result = analyzeSpec(source, "fuzz.sup", options);
    renderDiagnostics(result.diagnostics, new Map([["fuzz.sup", source]]), { color: true });
    renderDiagnosticsJson(result.diagnostics, new Map([["fuzz.sup", source]]));
  } catch (error) {
    assert.unreachable(`${label} threw: ${String(error)}\n${JSON.stringify(source.slice(0, 300))}`);
    return 0;
  }
  const internal = result.diagnostics.find((d) => d.code === "SUP9001");
  assert.is(internal?.message, undefined, `${label}\n${JSON.stringify(source.slice(0, 300))}`);
  for (const d of result.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.end >= d.span.start && d.span.end <= source.length, `${label}: span out of range`);
  }
  return result.diagnostics.length;
}

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

robust("every prefix of the example yields diagnostics and never throws", () => {
  // Every prefix that cuts inside the app block leaves something unclosed or unfinished.
  const lastBrace = EXAMPLE.lastIndexOf("}");
  for (let end = 0; end < lastBrace; end++) {
    assert.ok(check(EXAMPLE.slice(0, end), `prefix ${end}`) > 0, `prefix ${end} gave no diagnostics`);
  }
});

robust("every suffix of the example is handled", () => {
  for (let start = 1; start < EXAMPLE.length; start += 3) check(EXAMPLE.slice(start), `suffix ${start}`);
});

robust("random deletions, insertions and swaps are handled", () => {
  const next = random(20260101);
  const alphabet = ['{', '}', ',', '->', '.', '"', '\\', '/*', '//', '@', 'service', 'needs', 'x', '5s', 'infinity', '\n', '\t', '\u00e9', '1.5', '-'];
  for (let i = 0; i < 300; i++) {
    let source = EXAMPLE;
    for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
      const at = Math.floor(next() * source.length);
      const op = next();
      if (op < 0.4) source = source.slice(0, at) + source.slice(at + 1 + Math.floor(next() * 8));
      else if (op < 0.8) source = source.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + source.slice(at);
      else {
        const other = Math.floor(next() * source.length);
        const [a, b] = at < other ? [at, other] : [other, at];
        source = source.slice(0, a) + source.slice(b) + source.slice(a, b);
      }
    }
    check(source, `mutation ${i}`);
  }
});

robust("pathological inputs", () => {
  check("app a {" + " service s {".repeat(2000), "deep nesting");
  check("app a { needs " + Array.from({ length: 3000 }, (_, i) => `s${i}`).join(", ") + " }", "long list");
  check("\u0000\uFEFF\u2028app a {}", "odd characters");
  check('app a { service s { module "' + "\\u".repeat(1000) + '" } }', "many bad escapes");
  check("}".repeat(5000), "many closing braces");
  // Blocks without their '{': recovery inserting one would nest each block in the one before.
  check("app a {" + " service q".repeat(6000) + " }", "blocks without braces");
});

robust("a block without its '{' is one mistake, with no block opened where nothing was written", () => {
  const source = "app a {\n  service q service q service q {}\n}\n";
  const result = analyzeSpec(source, "x.sup", options);
  assert.equal(
    result.diagnostics.map((d) => `${d.code} ${d.message}`),
    ["SUP1005 expected '{' after service 'q', found 'service'"],
  );
});

robust("a long chain of needs neither overflows the stack nor takes long", () => {
  const n = 5000;
  const services = Array.from({ length: n }, (_, i) => `service s${i} { module "./s.ts" ${i > 0 ? `needs s${i - 1}` : ""} }`);
  const started = Date.now();
  // 5000 stops of 5s one after another: a grace that fits them, so that the budget holds.
  const result = analyzeSpec(`app a {\n grace 10h\n${services.join("\n")}\n}`, "chain.sup", options);
  assert.equal(result.diagnostics, []);
  assert.is(result.app!.root.shutdownPhases.length, n);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

robust("a budget error over a long chain names its ends, not every step", () => {
  const n = 200;
  const services = Array.from({ length: n }, (_, i) => `service s${i} { module "./s.ts" ${i > 0 ? `needs s${i - 1}` : ""} }`);
  const result = analyzeSpec(`app a {\n${services.join("\n")}\n}`, "chain.sup", options);
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP3013"]);
  const [d] = result.diagnostics;
  assert.is(d!.message, "the shutdown may take 16m40s, longer than the grace: s199 5s -> s198 5s -> s197 5s -> (194 more) -> s2 5s -> s1 5s -> s0 5s = 16m40s > grace 30s");
  assert.is(d!.related!.length, 6);
});

robust.run();
