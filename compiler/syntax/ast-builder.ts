// Turns the chevrotain CST into the SpecFile AST of compiler/language/ast.ts. Every node keeps its
// 0-based span. The CST may come from error recovery: tokens the parser inserted have no
// position and are skipped, and a setting that lost a required part is left out (its syntax
// error is already reported). Literal values are decoded here, and their problems (a duration
// without a unit, an invalid escape) are reported here, because this is where they are read.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Block, BlockKind, Duration, EnvVar, IntegerLit, Name, Ref, Setting, Shutdown, SpecFile, StringLit } from "../language/ast.ts";
import type { Span } from "../diagnostics/span.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { decodeDuration, decodeString, decodeWholeNumber } from "../language/literals.ts";
import { isKeyword, RESERVED_WORDS, tokenEnd } from "./tokens.ts";

export interface BuildResult {
  readonly spec: SpecFile;
  readonly diagnostics: readonly Diagnostic[];
}

export function buildSpecFile(cst: CstNode, source: string, fileName: string): BuildResult {
  const builder = new AstBuilder(fileName);
  let app: Block | undefined;
  for (const node of nodes(cst, "block")) {
    const block = builder.buildBlock(node);
    if (block === undefined) continue;
    if (block.kind !== "app") {
      builder.report(
        createDiagnostic(M.misplacedBlock, fileName, block.keywordSpan, [`${block.kind} '${block.name.text}' must be inside the app block`]),
      );
    } else if (app === undefined) {
      app = block;
    } else {
      builder.report(
        createDiagnostic(M.multipleApps, fileName, block.name.span, [], {
          related: [{ message: N.appDeclaredHere(app.name.text), span: app.name.span }],
        }),
      );
    }
  }
  return { spec: { fileName, source, app }, diagnostics: builder.diagnostics };
}

/** A token that is really in the source (recovery inserts tokens with NaN offsets). */
function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: tokenEnd(token) };
}

function cover(first: Span, last: Span): Span {
  return { start: Math.min(first.start, last.start), end: Math.max(first.end, last.end) };
}

// The helpers below run for every setting of a large spec: they loop instead of chaining
// filter/map, so that reading a setting allocates only the AST it builds.

function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

const NONE: readonly CstElement[] = [];

/** The real tokens under `key` (a token type's name). */
function tokens(node: CstNode, key: string): IToken[] {
  const found: IToken[] = [];
  for (const element of node.children[key] ?? NONE) if (isToken(element) && isReal(element)) found.push(element);
  return found;
}

function token(node: CstNode, key: string): IToken | undefined {
  for (const element of node.children[key] ?? NONE) if (isToken(element) && isReal(element)) return element;
  return undefined;
}

/** The sub-rule nodes under `key` (a rule's name). */
function nodes(node: CstNode, key: string): CstNode[] {
  const found: CstNode[] = [];
  for (const element of node.children[key] ?? NONE) if (!isToken(element)) found.push(element);
  return found;
}

/** The single sub-rule an `item` node holds. */
function onlyChild(node: CstNode): CstNode | undefined {
  for (const key in node.children) {
    for (const element of node.children[key]!) if (!isToken(element)) return element;
  }
  return undefined;
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly fileName: string) {}

  report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  buildBlock(node: CstNode): Block | undefined {
    const keywordToken = token(node, "App") ?? token(node, "Service") ?? token(node, "Supervisor");
    if (keywordToken === undefined) return undefined;
    const kind = keywordToken.image as BlockKind;
    const keywordSpan = spanOf(keywordToken);
    const nameToken = token(node, "BlockName");
    const name: Name = nameToken !== undefined ? this.name(nameToken) : { text: "", span: { start: keywordSpan.end, end: keywordSpan.end } };
    if (nameToken !== undefined && isKeyword(nameToken.tokenType)) {
      this.report(createDiagnostic(M.reservedWord, this.fileName, name.span, [name.text], { hint: H.reservedWords(RESERVED_WORDS) }));
    }
    const settings: Setting[] = [];
    const children: Block[] = [];
    const shutdowns: Shutdown[] = [];
    let end = name.span.end;
    for (const item of nodes(node, "item")) {
      const inner = onlyChild(item);
      if (inner === undefined) continue;
      if (inner.name === "block") {
        const child = this.buildBlock(inner);
        if (child !== undefined) {
          children.push(child);
          end = Math.max(end, child.span.end);
        }
      } else if (inner.name === "shutdownSetting") {
        const shutdown = this.buildShutdown(inner);
        if (shutdown !== undefined) {
          shutdowns.push(shutdown);
          end = Math.max(end, shutdown.span.end);
        }
      } else {
        const setting = this.buildSetting(inner);
        if (setting !== undefined) {
          settings.push(setting);
          end = Math.max(end, setting.span.end);
        }
      }
    }
    const close = token(node, "RCurly");
    if (close !== undefined) end = spanOf(close).end;
    return { kind, name, span: { start: keywordSpan.start, end }, keywordSpan, settings, children, shutdowns };
  }

  private buildSetting(node: CstNode): Setting | undefined {
    switch (node.name) {
      case "graceSetting":
      case "startTimeoutSetting":
      case "stopTimeoutSetting": {
        const value = this.duration(token(node, "DurationValue"));
        const keywordSpan = this.keywordSpan(node, node.name === "graceSetting" ? ["Grace"] : ["Start", "Stop", "Timeout"]);
        if (value === undefined || keywordSpan === undefined) return undefined;
        const kind = node.name === "graceSetting" ? "grace" : node.name === "startTimeoutSetting" ? "start-timeout" : "stop-timeout";
        return { kind, span: cover(keywordSpan, value.span), keywordSpan, value };
      }
      case "signalsSetting": {
        const keywordSpan = this.keywordSpan(node, ["Signals"]);
        const signals = tokens(node, "Identifier").map((t) => this.name(t));
        if (keywordSpan === undefined || signals.length === 0) return undefined;
        return { kind: "signals", span: cover(keywordSpan, signals[signals.length - 1]!.span), keywordSpan, signals };
      }
      case "strategySetting":
      case "restartSetting": {
        const keywordSpan = this.keywordSpan(node, ["Strategy", "Restart"]);
        const valueToken = token(node, "Identifier");
        if (keywordSpan === undefined || valueToken === undefined) return undefined;
        const value = this.name(valueToken);
        const kind = node.name === "strategySetting" ? "strategy" : "restart";
        return { kind, span: cover(keywordSpan, value.span), keywordSpan, value };
      }
      case "intensitySetting": {
        const keywordSpan = this.keywordSpan(node, ["Intensity"]);
        const max = this.integer(token(node, "Integer"));
        const period = this.duration(token(node, "DurationValue"));
        if (keywordSpan === undefined || max === undefined || period === undefined) return undefined;
        return { kind: "intensity", span: cover(keywordSpan, period.span), keywordSpan, max, period };
      }
      case "moduleSetting": {
        const keywordSpan = this.keywordSpan(node, ["Module"]);
        const path = this.string(token(node, "StringLiteral"));
        if (keywordSpan === undefined || path === undefined) return undefined;
        return { kind: "module", span: cover(keywordSpan, path.span), keywordSpan, path };
      }
      case "needsSetting": {
        const keywordSpan = this.keywordSpan(node, ["Needs"]);
        const refs = this.refs(node);
        if (keywordSpan === undefined || refs.length === 0) return undefined;
        return { kind: "needs", span: cover(keywordSpan, refs[refs.length - 1]!.span), keywordSpan, refs };
      }
      case "deploySetting": {
        const keywordSpan = this.keywordSpan(node, ["Deploy"]);
        const platformToken = token(node, "Identifier");
        if (keywordSpan === undefined || platformToken === undefined) return undefined;
        const platform = this.name(platformToken);
        // `deploy kubernetes timeout` without its duration: the syntax error is reported, and the
        // setting is kept without the override rather than dropped.
        const timeout = this.duration(token(node, "DurationValue"));
        return { kind: "deploy", span: cover(keywordSpan, (timeout ?? platform).span), keywordSpan, platform, timeout };
      }
      case "execSetting":
      case "cwdSetting": {
        const keywordSpan = this.keywordSpan(node, ["Exec", "Cwd"]);
        const value = this.string(token(node, "StringLiteral"));
        if (keywordSpan === undefined || value === undefined) return undefined;
        const span = cover(keywordSpan, value.span);
        return node.name === "execSetting" ? { kind: "exec", span, keywordSpan, command: value } : { kind: "cwd", span, keywordSpan, path: value };
      }
      case "stopSignalSetting": {
        const keywordSpan = this.keywordSpan(node, ["Stop", "Signal"]);
        const valueToken = token(node, "Identifier");
        if (keywordSpan === undefined || valueToken === undefined) return undefined;
        const value = this.name(valueToken);
        return { kind: "stop-signal", span: cover(keywordSpan, value.span), keywordSpan, value };
      }
      case "readySetting": {
        const keywordSpan = this.keywordSpan(node, ["Ready", "When"]);
        const sourceToken = token(node, "Identifier");
        const text = this.string(token(node, "StringLiteral"));
        if (keywordSpan === undefined || sourceToken === undefined || text === undefined) return undefined;
        return { kind: "ready-when", span: cover(keywordSpan, text.span), keywordSpan, source: this.name(sourceToken), text };
      }
      case "envSetting": {
        const keywordSpan = this.keywordSpan(node, ["Env"]);
        const vars = nodes(node, "envVariable").flatMap((v) => this.envVar(v) ?? []);
        if (keywordSpan === undefined || vars.length === 0) return undefined;
        return { kind: "env", span: cover(keywordSpan, vars[vars.length - 1]!.span), keywordSpan, vars };
      }
      case "backoffSetting": {
        const keywordSpan = this.keywordSpan(node, ["Backoff"]);
        const [minToken, maxToken] = tokens(node, "DurationValue");
        const min = this.duration(minToken);
        const max = this.duration(maxToken);
        if (keywordSpan === undefined || min === undefined || max === undefined) return undefined;
        return { kind: "backoff", span: cover(keywordSpan, max.span), keywordSpan, min, max };
      }
      default:
        return undefined;
    }
  }

  /** `NAME "value"`; a variable that lost its value to recovery is left out (already reported). */
  private envVar(node: CstNode): EnvVar | undefined {
    const nameToken = token(node, "Identifier");
    const value = this.string(token(node, "StringLiteral"));
    if (nameToken === undefined || value === undefined) return undefined;
    const name = this.name(nameToken);
    return { name, value, span: cover(name.span, value.span) };
  }

  private buildShutdown(node: CstNode): Shutdown | undefined {
    const keywordSpan = this.keywordSpan(node, ["Shutdown"]);
    if (keywordSpan === undefined) return undefined;
    const phases = nodes(node, "shutdownPhase")
      .map((phase) => this.refs(phase))
      .filter((refs) => refs.length > 0);
    if (phases.length === 0) return undefined;
    const lastPhase = phases[phases.length - 1]!;
    return { kind: "shutdown", span: cover(keywordSpan, lastPhase[lastPhase.length - 1]!.span), keywordSpan, phases };
  }

  /** The span of a setting's leading keyword(s), e.g. `stop timeout`. */
  private keywordSpan(node: CstNode, keys: readonly string[]): Span | undefined {
    let start = Infinity;
    let end = -Infinity;
    for (const key of keys) {
      for (const element of node.children[key] ?? NONE) {
        if (!isToken(element) || !isReal(element)) continue;
        start = Math.min(start, element.startOffset);
        end = Math.max(end, tokenEnd(element));
      }
    }
    return start === Infinity ? undefined : { start, end };
  }

  private refs(node: CstNode): Ref[] {
    const refs: Ref[] = [];
    for (const refNode of nodes(node, "reference")) {
      const parts = tokens(refNode, "Identifier").map((t) => this.name(t));
      // A path with a gap (`workers.` then recovery) is incomplete; its error is already reported.
      if (parts.length === 0 || parts.length !== (refNode.children["Dot"]?.length ?? 0) + 1) continue;
      const span = cover(parts[0]!.span, parts[parts.length - 1]!.span);
      refs.push({ parts, text: parts.map((p) => p.text).join("."), span });
    }
    return refs;
  }

  private name(t: IToken): Name {
    return { text: t.image, span: spanOf(t) };
  }

  private duration(t: IToken | undefined): Duration | undefined {
    if (t === undefined) return undefined;
    const span = spanOf(t);
    const decoded = decodeDuration(t.image);
    if (!decoded.ok) {
      this.report(
        createDiagnostic(M.invalidDuration, this.fileName, span, [t.image, decoded.why], decoded.hint !== undefined ? { hint: decoded.hint } : {}),
      );
      return { ms: NaN, text: t.image, span };
    }
    return { ms: decoded.value, text: t.image, span };
  }

  private integer(t: IToken | undefined): IntegerLit | undefined {
    if (t === undefined) return undefined;
    const span = spanOf(t);
    const decoded = decodeWholeNumber(t.image);
    if (!decoded.ok) {
      this.report(createDiagnostic(M.invalidInteger, this.fileName, span, [t.image, decoded.why]));
      return { value: NaN, span };
    }
    return { value: decoded.value, span };
  }

  private string(t: IToken | undefined): StringLit | undefined {
    if (t === undefined) return undefined;
    const span = spanOf(t);
    const decoded = decodeString(t.image);
    if (!decoded.terminated) this.report(createDiagnostic(M.unterminatedString, this.fileName, span, []));
    for (const problem of decoded.invalidEscapes) {
      const at = { start: span.start + problem.start, end: span.start + problem.end };
      this.report(createDiagnostic(M.invalidEscape, this.fileName, at, [problem.text]));
    }
    return { value: decoded.value, span };
  }
}
