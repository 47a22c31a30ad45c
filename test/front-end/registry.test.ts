// The registry: checks run in explicit tiers, and each runs isolated, so that one check failing
// inside the compiler costs only its own report (SUP9002, naming it).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { M } from "../../compiler/diagnostics/catalogue.ts";
import type { Accept, AnyCheck, Check, ModelCheck } from "../../compiler/analysis/context.ts";
import { ALL_CHECKS, CheckContext, runChecks, type ParseOutcome } from "../../compiler/analysis/registry.ts";
import type { ResolvedApp } from "../../compiler/model/model.ts";
import { parseSpec } from "../../compiler/syntax/parse-spec.ts";
import { inApp } from "./helpers.ts";

const registry = suite("check registry");

interface Run {
  readonly codes: string[];
  readonly diagnostics: Diagnostic[];
  readonly app: ResolvedApp | undefined;
}

function run(source: string, checks: readonly AnyCheck[], parse: Partial<ParseOutcome> = {}): Run {
  const parsed = parseSpec(source, "test.sup");
  const ctx = new CheckContext(parsed.spec, parsed.spec.app!, { specDir: "/spec", fileExists: () => true });
  const diagnostics: Diagnostic[] = [];
  const app = runChecks(ctx, { clean: !parsed.hasSyntaxErrors, hasErrors: false, ...parse }, diagnostics, checks);
  return { codes: diagnostics.map((d) => d.code).sort(), diagnostics, app };
}

const GOOD = inApp('grace 10s service db { module "./db.ts" stop timeout 20s }');
const UNKNOWN_NEED = inApp('grace 10s service db { module "./db.ts" stop timeout 20s needs nope }');

/** Reports an error, then fails, as a check would half-way through. */
function reportThenFail(accept: Accept): never {
  accept(M.missingApp, { start: 0, end: 3 }, []);
  throw new Error("boom");
}

const EXPLODING: Check = { name: "exploding", tier: "structure", run: (_ctx, accept) => reportThenFail(accept) };
const EXPLODING_MODEL: ModelCheck = { name: "exploding model", tier: "model", run: (_model, accept) => reportThenFail(accept) };

registry("a check that throws becomes one SUP9002 naming it; the other checks still report", () => {
  const alone = run(UNKNOWN_NEED, ALL_CHECKS);
  const withFailure = run(UNKNOWN_NEED, [...ALL_CHECKS, EXPLODING]);
  assert.equal(alone.codes, ["SUP2002", "SUP3012"]);
  assert.equal(withFailure.codes, ["SUP2002", "SUP3012", "SUP9002"]);
  const internal = withFailure.diagnostics.filter((d) => d.code === "SUP9002");
  assert.is(internal.length, 1);
  assert.match(internal[0]!.message, "check 'exploding': boom");
  // What the check reported before it failed is not trusted.
  assert.not.ok(withFailure.codes.includes(M.missingApp.code));
});

registry("a model check that throws: the other model checks still report, and there is no app", () => {
  const alone = run(GOOD, ALL_CHECKS);
  assert.equal(alone.codes, ["SUP3013", "SUP3018"]);
  const withFailure = run(GOOD, [EXPLODING_MODEL, ...ALL_CHECKS]);
  assert.equal(withFailure.codes, ["SUP3013", "SUP3018", "SUP9002"]);
  assert.match(withFailure.diagnostics.find((d) => d.code === "SUP9002")!.message, "check 'exploding model': boom");
  assert.is(withFailure.app, undefined);
  assert.ok(run(inApp('service db { module "./db.ts" }'), ALL_CHECKS).app);
});

/** Checks of each tier that record that they ran; `error` reports one error, as a check that found a mistake. */
function recorders(ran: string[], error?: { keepsModel: boolean }): AnyCheck[] {
  const check = (name: string, tier: Check["tier"], extra: Partial<Check> = {}): Check => ({ name, tier, run: () => ran.push(name), ...extra });
  const failing: Check[] =
    error === undefined
      ? []
      : [{ name: "erring", tier: "structure", keepsModel: error.keepsModel, run: (_ctx, accept) => accept(M.moduleNotFound, { start: 0, end: 1 }, ["x"]) }];
  const model: ModelCheck = { name: "model", tier: "model", run: () => ran.push("model") };
  return [check("local", "local"), check("structure", "structure"), ...failing, check("fallback", "fallback"), model];
}

registry("tiers: which checks run after syntax errors, errors that change the tree, errors that keep it, and parse errors", () => {
  const ranOn = (source: string, error?: { keepsModel: boolean }, parse: Partial<ParseOutcome> = {}): string[] => {
    const ran: string[] = [];
    run(source, recorders(ran, error), parse);
    return ran;
  };
  const clean = inApp('service db { module "./db.ts" }');
  assert.equal(ranOn(clean), ["local", "structure", "model"]);
  assert.equal(ranOn(inApp('service db { module "./db.ts" ')), ["local"]);
  assert.equal(ranOn(clean, { keepsModel: false }), ["local", "structure", "fallback"]);
  assert.equal(ranOn(clean, { keepsModel: true }), ["local", "structure", "model"]);
  // A stray character or a malformed literal: neither the model tier nor its fallback.
  assert.equal(ranOn(clean, undefined, { hasErrors: true }), ["local", "structure"]);
});

registry("a check that throws keeps the model tier from running, as an error would", () => {
  const ran: string[] = [];
  const checks = recorders(ran);
  run(inApp('service db { module "./db.ts" }'), [EXPLODING, ...checks]);
  assert.equal(ran, ["local", "structure", "fallback"]);
});

registry("every check has a name of its own", () => {
  const names = ALL_CHECKS.map((c) => c.name);
  assert.equal(names.filter((n, i) => n === "" || names.indexOf(n) !== i), []);
});

registry.run();
