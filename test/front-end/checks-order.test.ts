import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const order = suite("checks: cycles and shutdown lines");

const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;

order("SUP3001: a cycle through a supervisor is printed with every step, related on each need", () => {
  const source = inApp(`${svc("cache")} supervisor workers { ${svc("indexer", "needs api")} } ${svc("api", "needs workers")}`);
  const diagnostics = analyze(source).diagnostics;
  assert.equal(diagnostics.map((d) => d.code), ["SUP3001"]);
  const [d] = diagnostics;
  assert.is(d!.message, "dependency cycle: workers.indexer -> api -> workers -> workers.indexer");
  assert.equal(d!.related!.map((r) => source.slice(r.span.start, r.span.end)), ["api", "workers"]);
});

order("SUP3001: a supervisor's needs apply to its children", () => {
  // w needs a, a needs w.m: w.m starts after w's needs are met, i.e. after a, which waits for w.m.
  const source = inApp(`supervisor w { needs a ${svc("m")} } ${svc("a", "needs w.m")}`);
  assert.equal(codesWithText(source), ["SUP3001:a"]);
  assert.is(analyze(source).diagnostics[0]!.message, "dependency cycle: w -> a -> w.m -> w");
});

order("SUP3001: each cycle is reported once", () => {
  const source = inApp(`${svc("a", "needs b")} ${svc("b", "needs a")} ${svc("c", "needs d")} ${svc("d", "needs c")}`);
  assert.equal(codesWithText(source), ["SUP3001:b", "SUP3001:d"]);
});

order("SUP3003: a shutdown line that stops a dependency before its dependent", () => {
  const source = inApp(`${svc("db")} ${svc("api", "needs db")} shutdown db -> api`);
  const diagnostics = analyze(source).diagnostics;
  assert.equal(diagnostics.map((d) => `${d.code}:${source.slice(d.span.start, d.span.end)}:${d.span.start}`), [
    `SUP3003:db:${source.lastIndexOf("db ->")}`,
  ]);
  const related = diagnostics[0]!.related!.map((r) => `${source.slice(r.span.start, r.span.end)}@${r.span.start}`);
  assert.equal(related, [`api@${source.lastIndexOf("api")}`, `db@${source.indexOf("needs db") + 6}`]);
});

order("SUP3003: dependencies are lifted to siblings and followed through other nodes", () => {
  // w.m needs x, and x needs db: w depends on db although nothing in w names db.
  const source = inApp(`${svc("db")} ${svc("x", "needs db")} supervisor w { ${svc("m", "needs x")} } shutdown x -> w -> db`);
  const diagnostics = analyze(source).diagnostics;
  assert.equal(codesWithText(source), ["SUP3003:x"]);
  assert.match(diagnostics[0]!.message, /stops 'x' before 'w'/);
  // The chain is reported once, at its first broken link; db before x before w is implied.
  const reversed = inApp(`${svc("db")} ${svc("x", "needs db")} supervisor w { ${svc("m", "needs x")} } shutdown db -> w -> x`);
  assert.equal(codesWithText(reversed), ["SUP3003:db"]);
  assert.equal(codesWithText(inApp(`${svc("db")} ${svc("x", "needs db")} supervisor w { ${svc("m", "needs x")} } shutdown w -> x -> db`)), []);
  // Through a node outside the supervisor: w.a needs c, c needs w.b, so a must stop before b.
  const outside = inApp(`supervisor w { ${svc("b")} ${svc("a", "needs c")} shutdown b -> a } ${svc("c", "needs w.b")}`);
  assert.equal(codesWithText(outside), ["SUP3003:b"]);
  assert.equal(analyze(outside).diagnostics[0]!.related!.length, 3, "the later entry and the two needs of the chain");
  // Stopping together is allowed: the finer per-node order still applies.
  assert.equal(codesWithText(inApp(`${svc("db")} ${svc("api", "needs db")} shutdown api, db`)), []);
});

order("SUP3004/3005/3006/3007: shutdown lines list each child exactly once, and there is one", () => {
  assert.equal(codesWithText(inApp(`${svc("a")} ${svc("b")} shutdown a`)), ["SUP3004:shutdown"]);
  assert.equal(codesWithText(inApp(`${svc("a")} ${svc("b")} shutdown a, b -> a`)), ["SUP3005:a"]);
  assert.equal(codesWithText(inApp(`${svc("a")} supervisor w { ${svc("m")} shutdown m, a }`)), ["SUP3006:a"]);
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("m")} } ${svc("a")} shutdown w.m, w, a`)), ["SUP3006:w.m"]);
  assert.equal(codesWithText(inApp(`${svc("a")} shutdown a shutdown a`)), ["SUP3007:shutdown"]);
  assert.equal(codesWithText(inApp(`${svc("a")} shutdown a, nope`)), ["SUP2002:nope"]);
  assert.equal(codesWithText(inApp(`${svc("a")} ${svc("b")} shutdown t.a, b`)), []);
});

order("a shutdown line in a nested supervisor orders its own children", () => {
  const result = analyze(inApp(`supervisor w { ${svc("m")} ${svc("i")} shutdown i -> m }`));
  assert.equal(result.diagnostics, []);
  const w = result.app!.root.children[0]!;
  assert.equal(w.kind === "supervisor" && w.shutdownPhases, [["i"], ["m"]]);
  assert.equal(w.kind === "supervisor" && w.children.map((c) => c.stopAfter), [["w.i"], []]);
});

order.run();
