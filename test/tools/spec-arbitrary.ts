// fast-check arbitraries for syntactically valid specs in arbitrary layouts: random names (with
// hyphens and underscores), durations (compound ones too), nested supervisors, every setting,
// and whitespace, line breaks and comments between any two tokens. The specs need not make
// sense (references may name nothing): the formatter only requires a clean parse.
import fc from "fast-check";
import { KEYWORDS } from "../../compiler/syntax/tokens.ts";

const RESERVED = new Set(KEYWORDS.map((k) => k.name.toLowerCase()));

const name: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("a", "b", "db", "api", "cache", "x", "worker", "redis", "q", "_s", "Svc", "deployer", "stopper"),
    fc.array(fc.constantFrom("-cache", "_2", "-x", "1", "-v2", "s"), { maxLength: 2 }),
  )
  .map(([head, rest]) => head + rest.join(""))
  .filter((n) => !RESERVED.has(n));

const finiteDuration: fc.Arbitrary<string> = fc
  .record({
    h: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    m: fc.option(fc.integer({ min: 1, max: 59 }), { nil: undefined }),
    s: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
    ms: fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
  })
  .map(({ h, m, s, ms }) => {
    const text = (h !== undefined ? `${h}h` : "") + (m !== undefined ? `${m}m` : "") + (s !== undefined ? `${s}s` : "") + (ms !== undefined ? `${ms}ms` : "");
    return text === "" ? "5s" : text;
  });

const ref: fc.Arbitrary<string[]> = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.flatMap((p, i) => (i === 0 ? [p] : [".", p])));

function list(item: fc.Arbitrary<string[]>, separator: string, max = 3): fc.Arbitrary<string[]> {
  return fc.array(item, { minLength: 1, maxLength: max }).map((items) => items.flatMap((tokens, i) => (i === 0 ? tokens : [separator, ...tokens])));
}

/** Each setting as its list of tokens. */
const setting: fc.Arbitrary<string[]> = fc.oneof(
  finiteDuration.map((d) => ["grace", d]),
  list(fc.constantFrom(["SIGTERM"], ["SIGINT"], ["SIGHUP"]), ","),
  fc.constantFrom("one_for_one", "one_for_all", "rest_for_one").map((s) => ["strategy", s]),
  fc.tuple(fc.nat(20), finiteDuration).map(([n, d]) => ["intensity", String(n), "per", d]),
  fc.constantFrom('"./services/db.ts"', '"../x/y.ts"', '"./a \\"quoted\\" b.ts"', '"./caf\\u00e9.ts"').map((p) => ["module", p]),
  finiteDuration.map((d) => ["start", "timeout", d]),
  fc.oneof(finiteDuration, fc.constant("infinity")).map((d) => ["stop", "timeout", d]),
  fc.constantFrom("permanent", "transient", "temporary").map((r) => ["restart", r]),
  list(ref, ",").map((refs) => ["needs", ...refs]),
  list(list(ref, ","), "->").map((phases) => ["shutdown", ...phases]),
  fc.tuple(fc.constantFrom("kubernetes", "compose", "systemd"), fc.option(finiteDuration, { nil: undefined })).map(([p, t]) => ["deploy", p, ...(t !== undefined ? ["timeout", t] : [])]),
  fc.constantFrom('"node worker.mjs"', `"python3 -c 'print(1)' --q \\"a b\\""`, '"./bin/w"').map((c) => ["exec", c]),
  fc.constantFrom("SIGTERM", "SIGQUIT", "SIGWINCH").map((sig) => ["stop", "signal", sig]),
  fc.constantFrom('"listening"', '""', '"ready: \\u00e9"').map((text) => ["ready", "when", "stdout", text]),
  list(fc.tuple(fc.constantFrom("A", "LOG_LEVEL", "_x2"), fc.constantFrom('"1"', '""', '"a b"')).map(([n, v]) => [n, v]), ",").map((vars) => ["env", ...vars]),
  fc.constantFrom('"."', '"./workers"', '"../x y"').map((dir) => ["cwd", dir]),
  // The bounds either touch '..' (one piece of text, which lexes as three tokens) or not.
  fc.tuple(finiteDuration, finiteDuration, fc.boolean()).map(([min, max, touching]) => (touching ? ["backoff", `${min}..${max}`] : ["backoff", min, "..", max])),
).map((tokens) => (tokens[0] === "SIGTERM" || tokens[0] === "SIGINT" || tokens[0] === "SIGHUP" ? ["signals", ...tokens] : tokens));

/** A block as tokens: `kind name { items }`, nested up to `depth` levels. */
function block(kind: "app" | "supervisor" | "service", depth: number): fc.Arbitrary<string[]> {
  const items: fc.Arbitrary<string[]>[] = [setting];
  if (kind !== "service" && depth > 0) items.push(block("service", depth - 1), block("supervisor", depth - 1));
  return fc.tuple(name, fc.array(fc.oneof(...items), { maxLength: kind === "app" ? 6 : 4 })).map(([n, body]) => [kind, n, "{", ...body.flat(), "}"]);
}

const comment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("// note", "//", "// café -> { } */", "//trailing spaces   ").map((c) => `${c}\n`),
  fc.constantFrom("/* c */", "/**/", "/* multi\n   line */", "/* // inside */", "/* {\r\n} */"),
);

const separator: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(" ", "\n", "  ", "\n\n", "\t", "\r\n", "\n\n\n  ") },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(" ", "\n"), comment, fc.constantFrom(" ", "\n", "\n\n")).map((parts) => parts.join("")) },
);

/** Joins tokens with random layout; comments may also open and close the file. */
export const specText: fc.Arbitrary<string> = block("app", 3).chain((tokens) =>
  fc
    .tuple(fc.array(separator, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }), fc.boolean())
    .map(([separators, bom]) => (bom ? "\uFEFF" : "") + separators[0]! + tokens.map((t, i) => t + separators[i + 1]!).join("")),
);
