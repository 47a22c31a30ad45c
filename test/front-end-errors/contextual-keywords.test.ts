// Keywords are contextual: every keyword of the language, including any added later (the list is
// read from the lexer), names an app, a service or a supervisor, and is referred to by that name
// in `needs` and `shutdown`, on one line or over several.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { KEYWORDS } from "../../compiler/syntax/tokens.ts";
import { analyze, codesWithText } from "../front-end/helpers.ts";

const test = suite("contextual keywords");
const WORDS = KEYWORDS.map((k) => k.name.toLowerCase());

test("the keywords are read from the lexer", () => {
  assert.ok(WORDS.includes("signal") && WORDS.includes("needs") && WORDS.includes("infinity"), WORDS.join(" "));
});

function errorsOf(source: string): string[] {
  return analyze(source).diagnostics.filter((d) => d.severity !== "info").map((d) => `${d.code} ${d.message}`);
}

for (const word of WORDS) {
  test(`'${word}' names an app, a service and a supervisor, and is referred to in needs and shutdown`, () => {
    assert.equal(errorsOf(`app ${word} {\n  service a { module "./s.ts" }\n}\n`), []);
    const service = `app t {
  service ${word} { module "./s.ts" }
  supervisor other {
    service b { module "./s.ts" needs ${word} }
  }
  service c {
    module "./s.ts"
    needs ${word},
      other.b
  }
  shutdown c -> other, ${word}
}
`;
    assert.equal(errorsOf(service), []);
    const c = analyze(service).app!.root.children.find((n) => n.name === "c")!;
    assert.equal(c.needs.map((n) => n.target), [word, "other.b"]);
    const supervisor = `app t {
  supervisor ${word} { service a { module "./s.ts" } }
  service c { module "./s.ts" needs ${word}.a }
  shutdown c -> ${word}
}
`;
    assert.equal(errorsOf(supervisor), []);
    assert.equal(analyze(supervisor).app!.root.children.find((n) => n.name === "c")!.needs.map((n) => n.target), [`${word}.a`]);
  });
}

test("a keyword starting a line where a name is missing is the next setting, not a name", () => {
  const trailingComma = 'app t {\n  service db { module "./s.ts" }\n  service api {\n    module "./s.ts"\n    needs db,\n    stop timeout 5s\n  }\n}\n';
  assert.equal(codesWithText(trailingComma), ["SUP1005:"]);
  assert.is(analyze(trailingComma).diagnostics[0]!.span.start, trailingComma.indexOf("db,") + 3);
  const nothing = 'app t {\n  service api {\n    module "./s.ts"\n    needs\n    restart permanent\n  }\n}\n';
  assert.equal(codesWithText(nothing), ["SUP1005:"]);
});

test("a keyword alone on its line, or before ',' '->' '{' '}', is a name", () => {
  const source = `app t {
  service start { module "./s.ts" }
  service signal { module "./s.ts" }
  service api {
    module "./s.ts"
    needs
      start,
      signal
  }
  shutdown
    api ->
    start, signal
}
`;
  assert.equal(codesWithText(source).filter((c) => !c.startsWith("SUP2") && !c.startsWith("SUP3")), []);
  assert.equal(analyze(source).app?.root.children.find((n) => n.name === "api")?.needs.map((n) => n.target), ["start", "signal"]);
});

test.run();
