// Generators of spec text for the fuzzer (fast-check arbitraries), three families:
//   - accepted: specs the compiler should accept, over names chosen to collide with what generated
//     code declares or imports (`process`, `Service`, `__proto__`, `plan`, `Promise`, ...);
//   - mutated: real specs (the example, the golden specs) with hostile fragments inserted,
//     lines repeated, ranges deleted or swapped;
//   - repeated: one fragment repeated thousands of times in one place (a module string, an exec
//     command line, a needs list, the app body): the inputs that make a quadratic pass show.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { EXAMPLE } from "../front-end/example.ts";
import { REPO_ROOT } from "../golden/specs.ts";

/** Names that are valid in a spec and special somewhere in generated TypeScript or at run time. */
const HOSTILE_NAMES = [
  "process", "Process", "Service", "_service", "service_", "__proto__", "constructor", "toString", "prototype",
  "plan", "bindings", "runMain", "bindProcess", "specDir", "supervise", "Promise", "Object", "Awaited", "ReturnType",
  "ServiceBindings", "default", "import", "await", "yield", "let", "x-y", "N1", "a--b",
];
const PLAIN_NAMES = ["db", "api", "cache", "worker", "queue", "mailer", "indexer", "store"];

const nameArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NAMES) }, { weight: 2, arbitrary: fc.constantFrom(...PLAIN_NAMES) });

const smallDuration = fc.constantFrom("1ms", "250ms", "1s", "2s", "1s500ms");

/** One service line: a module or a program, optional timeouts, restart policy and needs. */
function serviceText(name: string, needs: readonly string[], exec: boolean, restart: string, stop: string): string {
  const body = exec ? `exec "node ./w.mjs --name ${name}"  ready when stdout "ready"` : `module "./services/s.ts"`;
  const needsText = needs.length > 0 ? `  needs ${needs.join(", ")}` : "";
  return `service ${name} { ${body}  restart ${restart}  stop timeout ${stop}${needsText} }`;
}

/**
 * Accepted specs: distinct names, each service needing only services declared before it at the
 * app level (no cycles), an optional nested supervisor, budgets that fit a generous grace.
 */
export const acceptedSpec: fc.Arbitrary<string> = fc
  .record({
    // Distinct as TypeScript names too (`process` and `Process` are one name there: SUP2012).
    names: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 8, selector: (n) => n.replace(/[-_]/g, "").toLowerCase() }),
    execs: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    restarts: fc.array(fc.constantFrom("permanent", "transient", "temporary"), { minLength: 8, maxLength: 8 }),
    stops: fc.array(smallDuration, { minLength: 8, maxLength: 8 }),
    needs: fc.array(fc.array(fc.nat(7), { maxLength: 3 }), { minLength: 8, maxLength: 8 }),
    strategy: fc.constantFrom("one_for_one", "one_for_all", "rest_for_one"),
    nested: fc.nat(8),
    appName: nameArb,
  })
  .map(({ names, execs, restarts, stops, needs, strategy, nested, appName }) => {
    // Services after index `nested` live in a supervisor: they may need app-level services only.
    const top = names.slice(0, Math.max(1, nested));
    const inner = names.slice(top.length);
    const lines = top.map((name, i) => {
      const deps = [...new Set(needs[i]!.filter((j) => j < i).map((j) => top[j]!))];
      return "  " + serviceText(name, deps, execs[i]!, restarts[i]!, stops[i]!);
    });
    if (inner.length > 0) {
      const supervisorName = `group-${inner.length}`;
      lines.push(`  supervisor ${supervisorName} {`, `    strategy ${strategy}`, "    intensity 3 per 10s");
      inner.forEach((name, k) => {
        const i = top.length + k;
        const deps = [...new Set(needs[i]!.filter((j) => j < top.length).map((j) => top[j]!))];
        lines.push("    " + serviceText(name, deps, execs[i]!, restarts[i]!, stops[i]!));
      });
      lines.push("  }");
    }
    return `app ${appName} {\n  grace 1h\n  signals SIGTERM, SIGINT\n  strategy ${strategy}\n${lines.join("\n")}\n}\n`;
  });

function readSeeds(): string[] {
  const golden = join(REPO_ROOT, "test", "fixtures", "golden");
  return [EXAMPLE, ...readdirSync(golden).filter((f) => f.endsWith(".sup")).map((f) => readFileSync(join(golden, f), "utf8"))];
}

/** Fragments a mutation inserts: syntax, hostile strings, and characters that break naive escaping. */
const FRAGMENTS = [
  "{", "}", ",", "->", ".", '"', "\\", "\\q", "\\u", "\\u12", "/*", "*/", "//", "\n", "\r", "\t", "\u2028", "\u0000", "\uFEFF",
  "service", "supervisor", "needs", "module", "exec", "shutdown", "app", "infinity", "5s", "1.5s", "99999999999h", "0ms",
  "`", "${x}", "'", "require('child_process')", "*/ process.exit(1) /*", '"; process.exit(1); "', "#", "%41", "?",
  "needs needs", "service process { exec \"node a | b\" }", "service Service { module \"./s.ts\" }", "é", "\ud83d\ude00", "\ud800",
];

export const mutatedSpec: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...readSeeds()),
    fc.array(
      fc.record({ op: fc.nat(3), at: fc.double({ min: 0, max: 1, noNaN: true }), to: fc.double({ min: 0, max: 1, noNaN: true }), fragment: fc.constantFrom(...FRAGMENTS), times: fc.integer({ min: 1, max: 40 }) }),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([seed, edits]) => {
    let text = seed;
    for (const { op, at, to, fragment, times } of edits) {
      const i = Math.floor(at * text.length);
      const j = Math.floor(to * text.length);
      const [a, b] = i < j ? [i, j] : [j, i];
      if (op === 0) text = text.slice(0, i) + fragment.repeat(times) + text.slice(i);
      else if (op === 1) text = text.slice(0, a) + text.slice(b);
      else if (op === 2) text = text.slice(0, a) + text.slice(b) + text.slice(a, b);
      else {
        // Repeat the line holding `at`: duplicate services, needs, signals, env keys.
        const start = text.lastIndexOf("\n", i - 1) + 1;
        const end = text.indexOf("\n", i);
        const line = text.slice(start, end < 0 ? text.length : end + 1);
        text = text.slice(0, start) + line.repeat(times) + text.slice(start);
      }
    }
    return text;
  });

/** Where a repeated fragment goes: `{}` is replaced by the repetition. */
const CONTEXTS = [
  'app a { service s { module "./m.ts{}" } }',
  'app a { service s { exec "node {}" } }',
  'app a { service b { module "./m.ts" } service s { module "./m.ts" needs b{} } }',
  "app a { {} }",
  "{}",
  'app a { signals SIGTERM{} service s { module "./m.ts" } }',
  'app a { service s { exec "node x" env A "1"{} } }',
  'app a { service s { module "./m.ts" } shutdown s{} }',
];

const REPEATED = [
  "\\q", "\\u", "\\", "a", "é", "| ", "${", "$(", "`", "'", '\\"', "&& ", "*", "/*", "//", "*/", "needs ", ", b", ", s", "{", "}",
  "service s { module \"./m.ts\" }\n", "supervisor x { ", "service s", ", SIGTERM", ", A \"1\"", " -> s", "\n", " ",
  "service q{} ", "aaaaaaaaab", " needs zz",
];

/** One fragment repeated `count` times in one context, numbered when it holds `{}` (distinct names). */
export const repeatedSpec = (maxBytes: number): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...CONTEXTS), fc.constantFrom(...REPEATED), fc.integer({ min: 1, max: maxBytes }), fc.boolean()).map(([context, fragment, bytes, numbered]) => {
    const count = Math.max(1, Math.floor(bytes / fragment.length));
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(numbered ? fragment.replace("q{}", `q${i}`).replace("service s", `service s${i}`) : fragment.replace("q{}", "q"));
    return context.replace("{}", parts.join(""));
  });
