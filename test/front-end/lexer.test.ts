import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decodeString, mapStringOffsets } from "../../compiler/language/literals.ts";
import { tokenize } from "../../compiler/syntax/tokens.ts";

const lexer = suite("lexer");

function kinds(source: string): string[] {
  return tokenize(source).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

lexer("names may contain hyphens, but '->' ends a name", () => {
  assert.equal(kinds("redis-cache a->b x- -> y"), [
    "Identifier:redis-cache",
    "Identifier:a",
    "Arrow:->",
    "Identifier:b",
    "Identifier:x-",
    "Arrow:->",
    "Identifier:y",
  ]);
});

lexer("keywords are whole words; longer words are names", () => {
  assert.equal(kinds("service services dbx app apps infinity infinityx needs"), [
    "Service:service",
    "Identifier:services",
    "Identifier:dbx",
    "App:app",
    "Identifier:apps",
    "Infinity:infinity",
    "Identifier:infinityx",
    "Needs:needs",
  ]);
});

lexer("contextual words such as strategies and signals stay identifiers", () => {
  assert.equal(kinds("one_for_all permanent SIGTERM"), ["Identifier:one_for_all", "Identifier:permanent", "Identifier:SIGTERM"]);
});

lexer("durations and numbers lex whole, including malformed ones the builder rejects", () => {
  assert.equal(kinds("250ms 1m30s 1h2m3s500ms 5 5x 1s1m 1.5s"), [
    "DurationLiteral:250ms",
    "DurationLiteral:1m30s",
    "DurationLiteral:1h2m3s500ms",
    "Integer:5",
    "DurationLiteral:5x",
    "DurationLiteral:1s1m",
    "DurationLiteral:1.5s",
  ]);
});

lexer("two dots end a duration: '100ms..10s' is a range, while '1.5s' stays one malformed literal", () => {
  assert.equal(kinds("100ms..10s 1s .. 2m 5..10s 1.5s"), [
    "DurationLiteral:100ms",
    "DotDot:..",
    "DurationLiteral:10s",
    "DurationLiteral:1s",
    "DotDot:..",
    "DurationLiteral:2m",
    "Integer:5",
    "DotDot:..",
    "DurationLiteral:10s",
    "DurationLiteral:1.5s",
  ]);
});

lexer("'signals' is matched whole before its prefix 'signal'", () => {
  assert.equal(kinds("signals signal signalx"), ["Signals:signals", "Signal:signal", "Identifier:signalx"]);
});

lexer("comments and whitespace (including CRLF and a BOM) are skipped", () => {
  assert.equal(kinds('\uFEFFapp // x { }\r\n/* multi\nline */ a\t{ }'), ["App:app", "Identifier:a", "LCurly:{", "RCurly:}"]);
});

lexer("strings keep their escapes; an unterminated string stops at the end of its line", () => {
  assert.equal(kinds('"a\\"b" "open\nx'), ['CompleteString:"a\\"b"', 'UnterminatedString:"open', "Identifier:x"]);
});

lexer("an unterminated block comment is its own group; stray characters are lexer errors", () => {
  const result = tokenize("a @ b /* never closed");
  assert.equal(result.tokens.map((t) => t.image), ["a", "b"]);
  assert.is(result.errors.length, 1);
  assert.is(result.errors[0]!.offset, 2);
  assert.is(result.groups["unterminated"]!.length, 1);
});

lexer("a string without escapes decodes to its text between the quotes, terminated or not", () => {
  assert.equal(decodeString('"./services/db.ts"'), { value: "./services/db.ts", terminated: true, invalidEscapes: [] });
  assert.equal(decodeString('"open'), { value: "open", terminated: false, invalidEscapes: [] });
  assert.equal(decodeString('"'), { value: "", terminated: false, invalidEscapes: [] });
  assert.equal(decodeString('""'), { value: "", terminated: true, invalidEscapes: [] });
  // With an escape, the value and the offsets come from the same decoding.
  assert.equal(decodeString('"a\\"b\\n"'), { value: 'a"b\n', terminated: true, invalidEscapes: [] });
  assert.equal(mapStringOffsets('"a\\"b"'), [1, 2, 4, 5]);
});

lexer.run();
