import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const names = suite("checks: names and references");

const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;

names("SUP2001: a name declared twice in one supervisor", () => {
  const source = inApp(`${svc("db")}\n${svc("db")}`);
  const [d] = analyze(source).diagnostics;
  assert.is(d!.code, "SUP2001");
  assert.is(d!.span.start, source.lastIndexOf("db {"));
  assert.is(d!.related![0]!.span.start, source.indexOf("db {"));
  // The same name in different supervisors is fine.
  assert.equal(codesWithText(inApp(`${svc("db")} supervisor w { ${svc("db2")} supervisor v { ${svc("db")} } }`)), []);
});

names("SUP2002: unknown reference with did-you-mean and a note on the declaration", () => {
  const source = inApp(`${svc("cache")} ${svc("api", "needs cach")}`);
  const [d] = analyze(source).diagnostics;
  assert.equal([d!.code, source.slice(d!.span.start, d!.span.end), d!.hint], ["SUP2002", "cach", "did you mean 'cache'?"]);
  assert.is(d!.related![0]!.span.start, source.indexOf("cache"));
});

names("SUP2002: a name that exists but is not in scope suggests its path", () => {
  const source = inApp(`supervisor w { ${svc("mailer")} } ${svc("api", "needs mailer")}`);
  const [d] = analyze(source).diagnostics;
  assert.is(d!.code, "SUP2002");
  assert.match(d!.hint!, /'w\.mailer'/);
});

names("SUP2002: a path whose later segment is unknown points at that segment", () => {
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("mailer")} } ${svc("api", "needs w.mailr")}`)), ["SUP2002:mailr"]);
  assert.equal(codesWithText(inApp(svc("api", "needs nothing"))), ["SUP2002:nothing"]);
});

names("needs resolve lexically: inner scope first, then outward; dotted paths reach into supervisors", () => {
  const source = inApp(`${svc("db")} supervisor w { ${svc("mailer", "needs db")} ${svc("indexer", "needs mailer")} } ${svc("api", "needs w.mailer, t.db")}`);
  const result = analyze(source);
  assert.equal(result.diagnostics, []);
  const w = result.app!.root.children[1]!;
  assert.equal(w.kind === "supervisor" && w.children.map((c) => c.startAfter), [["db"], ["w.mailer"]]);
  assert.equal(result.app!.root.children[2]!.startAfter, ["db", "w.mailer"]);
});

names("SUP2003: a name found in two enclosing scopes is ambiguous; the hint gives both paths", () => {
  const source = inApp(`${svc("cache")} supervisor w { ${svc("cache")} ${svc("mailer", "needs cache")} }`);
  const [d] = analyze(source).diagnostics;
  assert.equal([d!.code, source.slice(d!.span.start, d!.span.end)], ["SUP2003", "cache"]);
  assert.is(d!.hint, "write a path: 'w.cache' or 't.cache'");
  assert.is(d!.related!.length, 2);
  // Both disambiguations are accepted.
  assert.equal(codesWithText(inApp(`${svc("cache")} supervisor w { ${svc("cache")} ${svc("mailer", "needs w.cache, t.cache")} }`)), [
    "SUP2011:t.cache",
  ]);
});

names("SUP2003: a child named like the app makes the app prefix ambiguous", () => {
  assert.equal(codesWithText(inApp(`${svc("t")} ${svc("x", "needs t")}`)), ["SUP2003:t"]);
});

names("a supervisor's own needs resolve from its parent's scope", () => {
  // Inside 'w', 'cache' is w's child; w's own `needs cache` means the outer one.
  const source = inApp(`${svc("cache")} supervisor w { needs cache ${svc("cache", "")} }`);
  const result = analyze(source);
  assert.equal(result.diagnostics, []);
  assert.equal(result.app!.root.children[1]!.startAfter, ["cache"]);
});

names("SUP2011: two needs of one node with the same key in scope.deps", () => {
  const source = inApp(`${svc("cache")} supervisor w { ${svc("cache")} } ${svc("api", "needs cache, w.cache")}`);
  assert.equal(codesWithText(source), ["SUP2011:w.cache"]);
});

names("SUP2016: needing the same node twice is a warning; the app is still produced", () => {
  const source = inApp(`${svc("db")} ${svc("api", "needs db\n needs t.db")}`);
  const result = analyze(source);
  assert.equal(result.diagnostics.map((d) => `${d.code}:${source.slice(d.span.start, d.span.end)}`), ["SUP2016:t.db"]);
  assert.is(result.diagnostics[0]!.severity, "warning");
  assert.equal(result.app!.root.children[1]!.needs.map((n) => n.key), ["db"]);
});

names("SUP2012: two ids that become the same TypeScript name", () => {
  assert.equal(codesWithText(inApp(`${svc("redis-cache")} ${svc("redis_cache")}`)), ["SUP2012:redis_cache"]);
  assert.equal(codesWithText(inApp(`${svc("workers-mailer")} supervisor workers { ${svc("mailer")} }`)), ["SUP2012:mailer"]);
});

names("SUP2017: a path cannot reach into a service", () => {
  assert.equal(codesWithText(inApp(`${svc("db")} ${svc("api", "needs db.pool")}`)), ["SUP2017:db"]);
});

names("SUP3002: needing yourself, an ancestor or a descendant", () => {
  assert.equal(codesWithText(inApp(svc("db", "needs db"))), ["SUP3002:db"]);
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("m", "needs w")} }`)), ["SUP3002:w"]);
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("m", "needs t")} }`)), ["SUP3002:t"]);
  assert.equal(codesWithText(inApp(`supervisor w { needs w.m ${svc("m")} }`)), ["SUP3002:w.m"]);
});

names("a supervisor naming its own child plainly gets a specific hint", () => {
  const [d] = analyze(inApp(`supervisor w { needs m ${svc("m")} }`)).diagnostics;
  assert.is(d!.code, "SUP2002");
  assert.match(d!.hint!, /its own children/);
});

names("SUP2010: a service without a module", () => {
  assert.equal(codesWithText(inApp("service db { stop timeout 1s }")), ["SUP2010:db"]);
});

names.run();
