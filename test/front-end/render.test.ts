import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { renderDiagnostics, renderDiagnosticsJson, summarizeDiagnostics } from "../../compiler/diagnostics/render.ts";
import { LineMap } from "../../compiler/diagnostics/source-text.ts";
import { analyze } from "./helpers.ts";

const lines = suite("source-text");

lines("offsets become 1-based line:column for \\n, \\r\\n and \\r", () => {
  const map = new LineMap("ab\ncd\r\nef\rgh");
  assert.equal([0, 2, 3, 5, 7, 10, 11].map((o) => map.position(o)), [
    { line: 1, column: 1 },
    { line: 1, column: 3 },
    { line: 2, column: 1 },
    { line: 2, column: 3 },
    { line: 3, column: 1 },
    { line: 4, column: 1 },
    { line: 4, column: 2 },
  ]);
  assert.equal([1, 2, 3, 4].map((l) => map.lineText(l)), ["ab", "cd", "ef", "gh"]);
  assert.equal(map.position(999), { line: 4, column: 3 }, "clamped to the end");
});

lines.run();

const render = suite("render-diagnostics");

const SOURCE = `app shop {
  service cache { module "./cache.ts" }
  service api {
    module "./api.ts"
    needs cach
  }
}
`;

render("the tsc/rustc layout: location, code, source line, marker, hint, notes, summary", () => {
  const result = analyze(SOURCE);
  const text = renderDiagnostics(result.diagnostics, new Map([["test.sup", SOURCE]]), { color: false });
  assert.is(
    text,
    [
      "test.sup:5:11: error SUP2002: unknown service or supervisor 'cach' in 'needs'",
      "    5 |     needs cach",
      "      |           ^^^^",
      "  hint: did you mean 'cache'?",
      "  test.sup:2:11: note: 'cache' is declared here",
      "",
      "1 error",
      "",
    ].join("\n"),
  );
});

render("nothing to report renders as an empty string", () => {
  assert.is(renderDiagnostics([], new Map(), { color: false }), "");
});

function diag(span: { start: number; end: number }, severity: Diagnostic["severity"] = "error"): Diagnostic {
  return { code: "SUP0000", severity, message: "m", fileName: "f.sup", span };
}

render("tabs expand so the marker stays under the span", () => {
  const source = "\tneeds\tx\n";
  const text = renderDiagnostics([diag({ start: 7, end: 8 })], new Map([["f.sup", source]]), { color: false });
  assert.ok(text.includes("    1 |     needs   x\n      |             ^\n"), text);
  assert.ok(text.startsWith("f.sup:1:8:"), "the column counts the tab as one character");
});

render("a span over several lines marks the first line to its end; an empty span gets one caret", () => {
  const source = "app a {\n  x\n}\n";
  const multi = renderDiagnostics([diag({ start: 4, end: 13 })], new Map([["f.sup", source]]), { color: false });
  assert.ok(multi.includes("    1 | app a {\n      |     ^^^\n"), multi);
  const empty = renderDiagnostics([diag({ start: 7, end: 7 })], new Map([["f.sup", source]]), { color: false });
  assert.ok(empty.includes("      |        ^\n"), empty);
});

render("colour only when asked", () => {
  const source = "x\n";
  const plain = renderDiagnostics([diag({ start: 0, end: 1 })], new Map([["f.sup", source]]), { color: false });
  const color = renderDiagnostics([diag({ start: 0, end: 1 })], new Map([["f.sup", source]]), { color: true });
  assert.not.ok(plain.includes("\x1b["));
  assert.ok(color.includes("\x1b[31m"));
  assert.is(color.replace(/\x1b\[[0-9;]*m/g, ""), plain);
});

render("the summary counts errors and warnings", () => {
  assert.is(summarizeDiagnostics([diag({ start: 0, end: 0 }), diag({ start: 0, end: 0 }), diag({ start: 0, end: 0 }, "warning")]), "2 errors, 1 warning");
  assert.is(summarizeDiagnostics([diag({ start: 0, end: 0 }, "warning"), diag({ start: 0, end: 0 }, "warning")]), "2 warnings");
});

render("a file without source text still gets its location line", () => {
  const text = renderDiagnostics([diag({ start: 3, end: 4 })], new Map(), { color: false });
  assert.is(text, "f.sup: error SUP0000: m\n\n1 error\n");
});

render("JSON: stable shape with 1-based line/column and offsets", () => {
  const result = analyze(SOURCE);
  const json = JSON.parse(renderDiagnosticsJson(result.diagnostics, new Map([["test.sup", SOURCE]])));
  assert.equal(json, {
    diagnostics: [
      {
        file: "test.sup",
        code: "SUP2002",
        severity: "error",
        message: "unknown service or supervisor 'cach' in 'needs'",
        start: { line: 5, column: 11, offset: SOURCE.indexOf("cach\n") },
        end: { line: 5, column: 15, offset: SOURCE.indexOf("cach\n") + 4 },
        hint: "did you mean 'cache'?",
        related: [
          {
            file: "test.sup",
            message: "'cache' is declared here",
            start: { line: 2, column: 11, offset: SOURCE.indexOf("cache") },
            end: { line: 2, column: 16, offset: SOURCE.indexOf("cache") + 5 },
          },
        ],
      },
    ],
    summary: { errors: 1, warnings: 0, infos: 0 },
  });
});

render.run();
