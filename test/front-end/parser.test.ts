import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Block, Setting } from "../../compiler/language/ast.ts";
import { MAX_NESTING, parseSpec } from "../../compiler/syntax/parse-spec.ts";
import { EXAMPLE } from "./example.ts";

const parser = suite("parser");

function parse(source: string) {
  return parseSpec(source, "test.sup");
}

function text(source: string, span: { start: number; end: number }): string {
  return source.slice(span.start, span.end);
}

/** A compact picture of a block: kind, name, setting kinds, children. */
function shape(block: Block): unknown {
  return {
    [`${block.kind} ${block.name.text}`]: [
      ...block.settings.map((s) => s.kind),
      ...block.shutdowns.map((s) => `shutdown ${s.phases.map((p) => p.map((r) => r.text).join(",")).join(" -> ")}`),
      ...block.children.map(shape),
    ],
  };
}

parser("the language example parses without diagnostics into the expected tree", () => {
  const result = parse(EXAMPLE);
  assert.equal(result.diagnostics, []);
  assert.is(result.hasSyntaxErrors, false);
  assert.equal(shape(result.spec.app!), {
    "app shop": [
      "grace",
      "signals",
      "strategy",
      "intensity",
      "shutdown api -> workers -> cache,db",
      { "service db": ["module", "start-timeout", "stop-timeout", "restart"] },
      { "service cache": ["module", "stop-timeout"] },
      {
        "supervisor workers": [
          "strategy",
          "intensity",
          "needs",
          { "service mailer": ["module"] },
          { "service indexer": ["module", "needs"] },
        ],
      },
      { "service api": ["module", "needs", "stop-timeout"] },
    ],
  });
});

parser("every node keeps its 0-based span", () => {
  const app = parse(EXAMPLE).spec.app!;
  assert.is(text(EXAMPLE, app.keywordSpan), "app");
  assert.is(text(EXAMPLE, app.name.span), "shop");
  assert.ok(text(EXAMPLE, app.span).startsWith("app shop {"));
  assert.ok(text(EXAMPLE, app.span).endsWith("}"));
  const db = app.children[0]!;
  assert.is(text(EXAMPLE, db.span).split("\n")[0], "service db {");
  const stop = db.settings.find((s) => s.kind === "stop-timeout")!;
  assert.is(text(EXAMPLE, stop.keywordSpan), "stop timeout");
  assert.is(text(EXAMPLE, stop.span), "stop timeout 10s");
  const api = app.children[3]!;
  const needs = api.settings.find((s) => s.kind === "needs")!;
  assert.is(text(EXAMPLE, needs.span), "needs db, cache, workers");
});

function onlySetting(body: string): Setting {
  const result = parse(`app a {\n  ${body}\n}`);
  assert.equal(result.diagnostics, [], body);
  return result.spec.app!.settings[0]!;
}

parser("each setting form", () => {
  assert.equal(onlySetting("grace 1m30s"), {
    kind: "grace",
    span: { start: 10, end: 21 },
    keywordSpan: { start: 10, end: 15 },
    value: { ms: 90_000, text: "1m30s", span: { start: 16, end: 21 } },
  });
  const signals = onlySetting("signals SIGTERM, SIGHUP");
  assert.equal(signals.kind === "signals" && signals.signals.map((s) => s.text), ["SIGTERM", "SIGHUP"]);
  const strategy = onlySetting("strategy rest_for_one");
  assert.is(strategy.kind === "strategy" && strategy.value.text, "rest_for_one");
  const intensity = onlySetting("intensity 10 per 1h");
  assert.equal(intensity.kind === "intensity" && [intensity.max.value, intensity.period.ms], [10, 3_600_000]);
  const module = onlySetting('module "./a\\"b\\\\c\\n\\t\\u0041.ts"');
  assert.is(module.kind === "module" && module.path.value, './a"b\\c\n\tA.ts');
  const start = onlySetting("start timeout 250ms");
  assert.is(start.kind === "start-timeout" && start.value.ms, 250);
  const stop = onlySetting("stop timeout infinity");
  assert.is(stop.kind === "stop-timeout" && stop.value.ms, Infinity);
  const restart = onlySetting("restart transient");
  assert.is(restart.kind === "restart" && restart.value.text, "transient");
  const needs = onlySetting("needs db, workers.mailer, shop.cache");
  assert.equal(needs.kind === "needs" && needs.refs.map((r) => [r.text, r.parts.length]), [
    ["db", 1],
    ["workers.mailer", 2],
    ["shop.cache", 2],
  ]);
});

parser("a shutdown line groups names in phases", () => {
  const result = parse("app a { shutdown x->y, z -> w }");
  assert.equal(result.diagnostics, []);
  const line = result.spec.app!.shutdowns[0]!;
  assert.equal(line.phases.map((p) => p.map((r) => r.text)), [["x"], ["y", "z"], ["w"]]);
});

parser("settings need only whitespace between them, on one line or many", () => {
  const result = parse('app a { service c { module "./c.ts"  stop timeout 2s  needs x restart temporary } }');
  assert.equal(result.diagnostics, []);
  assert.equal(result.spec.app!.children[0]!.settings.map((s) => s.kind), ["module", "stop-timeout", "needs", "restart"]);
});

parser("comments are allowed everywhere", () => {
  const source = `/* head */ app /* a */ a // x
  { // y
    service /* b */ db { module /* c */ "./db.ts" /* d */ stop /* e */ timeout /* f */ 1s }
    needs /* g */ a /* h */ , /* i */ b
  } // tail`;
  const result = parse(source);
  assert.equal(result.diagnostics, []);
  assert.is(result.spec.app!.children[0]!.settings.length, 2);
});

parser("durations: compounds are accepted, malformed ones are SUP1010", () => {
  const durations = ["1h2m3s500ms", "2m", "0s", "90s"].map((d) => onlySetting(`grace ${d}`));
  assert.equal(durations.map((s) => s.kind === "grace" && s.value.ms), [3_723_500, 120_000, 0, 90_000]);
  for (const bad of ["5x", "1s1m", "1.5s", "5", "1m1m", "3d"]) {
    const result = parse(`app a { grace ${bad} }`);
    assert.equal(result.diagnostics.map((d) => d.code), ["SUP1010"], bad);
    assert.is(text(`app a { grace ${bad} }`, result.diagnostics[0]!.span), bad);
    assert.is(result.hasSyntaxErrors, false, "a bad literal does not make the tree a guess");
  }
});

parser("intensity needs a whole number", () => {
  assert.equal(parse("app a { intensity 1.5 per 5s }").diagnostics.map((d) => d.code), ["SUP1011"]);
  assert.equal(parse("app a { intensity 99999999999999999999 per 5s }").diagnostics.map((d) => d.code), ["SUP1011"]);
});

parser("invalid escapes and unterminated strings", () => {
  const source = 'app a { service s { module "./\\q\\u12.ts" } service t { module "./x.ts\n } }';
  const result = parse(source);
  assert.equal(
    result.diagnostics.map((d) => `${d.code}:${text(source, d.span)}`),
    ["SUP1004:\\q", "SUP1004:\\u12", 'SUP1002:"./x.ts'],
  );
});

parser("several syntax errors are reported in one run", () => {
  const source = `app a {
  service db {
    stop timeout
    restart permanent
  }
  service x { foo 5 module "./x.ts" }
  service y { needs a, }
  service z { module ./z.ts }
  grace 5s @
}
}`;
  const result = parse(source);
  assert.equal(
    result.diagnostics.map((d) => `${d.code}:${text(source, d.span)}`),
    ["SUP1005:", "SUP1007:foo", "SUP1005:}", "SUP1005:.", "SUP1001:@", "SUP1008:}"],
  );
  assert.ok(result.hasSyntaxErrors);
  // Recovery keeps the rest of the tree: all four services are there.
  assert.equal(result.spec.app!.children.map((c) => c.name.text), ["db", "x", "y", "z"]);
});

parser("a missing '}' names the block that is still open", () => {
  const source = "app a {\n  service db {\n    module \"./db.ts\"\n";
  const result = parse(source);
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP1006"]);
  assert.match(result.diagnostics[0]!.message, /service 'db' opened at 2:3/);
});

parser("indentation points at the block that probably lost its '}'", () => {
  const source = 'app a {\n  service db {\n    module "./db.ts"\n}\n';
  const [d] = parse(source).diagnostics;
  assert.is(d!.code, "SUP1006");
  assert.match(d!.message, /app 'a'/);
  assert.match(d!.hint!, /service 'db' \(opened at 2:3\)/);
});

parser("a missing value points just after the setting keyword", () => {
  const source = "app a {\n  service db {\n    stop timeout\n  }\n}";
  const [d] = parse(source).diagnostics;
  assert.is(d!.code, "SUP1005");
  assert.is(d!.span.start, source.indexOf("timeout") + "timeout".length);
  assert.match(d!.message, /after 'stop timeout'/);
});

parser("keywords can be names (they are contextual); list items need commas", () => {
  assert.equal(parse('app a { service start { module "./s.ts" } }').diagnostics.map((d) => d.code), []);
  const source = "app a { signals SIGTERM SIGINT }";
  const [d] = parse(source).diagnostics;
  assert.is(`${d!.code}:${text(source, d!.span)}`, "SUP1005:SIGINT");
  assert.ok(d!.hint?.includes("','"));
});

parser("an unknown setting gets a did-you-mean over setting words", () => {
  const [d] = parse("app a { service s { modul \"./s.ts\" } }").diagnostics;
  assert.is(d!.code, "SUP1007");
  assert.is(d!.hint, "did you mean 'module'?");
});

parser("only one app; nothing outside it", () => {
  assert.equal(parse("").diagnostics.map((d) => d.code), ["SUP1012"]);
  assert.equal(parse("// only a comment\n").diagnostics.map((d) => d.code), ["SUP1012"]);
  assert.equal(parse("app a {} app b {}").diagnostics.map((d) => d.code), ["SUP2013"]);
  assert.equal(parse('service s { module "./s.ts" } app a {}').diagnostics.map((d) => d.code), ["SUP2014"]);
  assert.equal(parse("grace 5s app a {}").diagnostics.map((d) => d.code), ["SUP1008"]);
  assert.equal(parse("app a {} }").diagnostics.map((d) => d.code), ["SUP1008"]);
  assert.is(parse("grace 5s app a {}").spec.app?.name.text, "a", "recovery still finds the app");
});

parser("unexpected characters and unterminated comments", () => {
  const source = "app a { # }\n/* open";
  assert.equal(
    parse(source).diagnostics.map((d) => `${d.code}:${text(source, d.span)}`),
    ["SUP1001:#", "SUP1003:/*"],
  );
  const [nbsp] = parse("app a {\u00a0}").diagnostics;
  assert.ok(nbsp!.message.includes("U+00A0"));
});

parser("nesting deeper than the limit is one error, not a stack overflow", () => {
  const source = "app a {" + " supervisor s {".repeat(MAX_NESTING) + "}".repeat(MAX_NESTING + 1);
  const result = parse(source);
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP1013"]);
  const fine = "app a {" + " supervisor s {".repeat(MAX_NESTING - 1) + "}".repeat(MAX_NESTING);
  assert.equal(parse(fine).diagnostics.map((d) => d.code), []);
});

parser.run();
