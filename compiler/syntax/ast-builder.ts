// Turns the chevrotain CST into the SpecFile AST of compiler/language/ast.ts. Every node keeps its
// 0-based span. The CST may come from error recovery: tokens the parser inserted have no
// position and are skipped, and a setting that lost a required part is left out (its syntax
// error is already reported). Literal values are decoded here, and their problems (a duration
// without a unit, an invalid escape) are reported here, because this is where they are read.
import type { IToken } from "chevrotain";
import type { Block, BlockKind, Duration, EnvVar, IntegerLit, Name, Ref, Setting, Shutdown, SpecFile, StringLit } from "../language/ast.ts";
import type { Span } from "../diagnostics/span.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import { N } from "../diagnostics/notes.ts";
import { H } from "../diagnostics/hints.ts";
import { decodeDuration, decodeString, decodeWholeNumber, type Decoded } from "../language/literals.ts";
import type {
  BlockCstNode,
  DurationCstNode,
  EnvVariableCstNode,
  HealthSettingCstChildren,
  ItemCstChildren,
  ItemCstNode,
  ReferenceCstNode,
  ShutdownPhaseCstNode,
  ShutdownSettingCstNode,
  SpecFileCstNode,
} from "./cst.ts";
import { all, cover, keywordSpan, spanOf, token, tokens } from "./cst-tokens.ts";
import { readBlockName, readDuration, reportUnitApart } from "./malformed.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";

/** The words that may follow `health`. */
const HEALTH_WORDS: readonly string[] = ["port", "host"];

export interface BuildResult {
  readonly spec: SpecFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** What an `item` holds: a block, a setting or a shutdown order. */
type ItemCstChild = NonNullable<ItemCstChildren[keyof ItemCstChildren]>[number];
type SettingCstNode = Exclude<ItemCstChild, BlockCstNode | ShutdownSettingCstNode>;

export function buildSpecFile(cst: SpecFileCstNode, source: string, fileName: string): BuildResult {
  const builder = new AstBuilder(fileName, source);
  let app: Block | undefined;
  for (const node of all(cst.children.block)) {
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

/** The single block, setting or shutdown order an `item` node holds. */
function onlyChild(item: ItemCstNode): ItemCstChild | undefined {
  const children = item.children;
  let key: keyof ItemCstChildren;
  // Whichever alternative matched is the item's only key; no list of names to keep in step.
  for (key in children) for (const element of all<ItemCstChild>(children[key])) return element;
  return undefined;
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly fileName: string,
    private readonly source: string,
  ) {}

  report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  buildBlock(node: BlockCstNode): Block | undefined {
    const { App, Service, Supervisor, blockName, item: items, RCurly } = node.children;
    const keywordToken = token(App) ?? token(Service) ?? token(Supervisor);
    if (keywordToken === undefined) return undefined;
    const kind = keywordToken.image as BlockKind;
    const keywordSpan = spanOf(keywordToken);
    const named = readBlockName(all(blockName)[0], this.source, kind, keywordSpan.end, this.fileName);
    if (named.diagnostic !== undefined) this.report(named.diagnostic);
    const name: Name = named.name;
    const settings: Setting[] = [];
    const children: Block[] = [];
    const shutdowns: Shutdown[] = [];
    let end = name.span.end;
    // Indexed: the app's loop runs once, over every block of the spec, before V8 has optimized
    // it, and a for-of loop there allocates an iterator result per item.
    const itemList = all(items);
    for (let i = 0; i < itemList.length; i++) {
      const inner = onlyChild(itemList[i]!);
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
    const close = token(RCurly);
    if (close !== undefined) end = spanOf(close).end;
    return { kind, name, span: { start: keywordSpan.start, end }, keywordSpan, settings, children, shutdowns };
  }

  private buildSetting(node: SettingCstNode): Setting | undefined {
    switch (node.name) {
      case "graceSetting":
        return this.durationSetting("grace", keywordSpan(node.children.Grace), node.children.duration);
      case "startTimeoutSetting":
        return this.durationSetting("start-timeout", keywordSpan(node.children.Start, node.children.Timeout), node.children.duration);
      case "stopTimeoutSetting":
        return this.durationSetting("stop-timeout", keywordSpan(node.children.Stop, node.children.Timeout), node.children.duration);
      case "signalsSetting": {
        const span = keywordSpan(node.children.Signals);
        const signals = tokens(node.children.Identifier).map((t) => this.name(t));
        if (span === undefined || signals.length === 0) return undefined;
        return { kind: "signals", span: cover(span, signals[signals.length - 1]!.span), keywordSpan: span, signals };
      }
      case "strategySetting":
        return this.nameSetting("strategy", keywordSpan(node.children.Strategy), node.children.Identifier);
      case "restartSetting":
        return this.nameSetting("restart", keywordSpan(node.children.Restart), node.children.Identifier);
      case "stopSignalSetting":
        return this.nameSetting("stop-signal", keywordSpan(node.children.Stop, node.children.Signal), node.children.Identifier);
      case "intensitySetting": {
        const span = keywordSpan(node.children.Intensity);
        const max = this.integer(token(node.children.Integer));
        const period = this.writtenDuration(node.children.duration);
        if (span === undefined || max === undefined || period === undefined) return undefined;
        return { kind: "intensity", span: cover(span, period.span), keywordSpan: span, max, period };
      }
      case "moduleSetting": {
        const span = keywordSpan(node.children.Module);
        const path = this.string(token(node.children.StringLiteral));
        if (span === undefined || path === undefined) return undefined;
        return { kind: "module", span: cover(span, path.span), keywordSpan: span, path };
      }
      case "needsSetting":
      case "afterSetting": {
        const span = keywordSpan(node.name === "needsSetting" ? node.children.Needs : node.children.After);
        const refs = this.refs(node.children.reference);
        if (span === undefined || refs.length === 0) return undefined;
        return { kind: node.name === "needsSetting" ? "needs" : "after", span: cover(span, refs[refs.length - 1]!.span), keywordSpan: span, refs };
      }
      case "deploySetting": {
        const span = keywordSpan(node.children.Deploy);
        const platformToken = token(node.children.Identifier);
        if (span === undefined || platformToken === undefined) return undefined;
        const platform = this.name(platformToken);
        // `deploy kubernetes timeout` without its duration: the syntax error is reported, and the
        // setting is kept without the override rather than dropped.
        const timeout = this.writtenDuration(node.children.duration);
        return { kind: "deploy", span: cover(span, (timeout ?? platform).span), keywordSpan: span, platform, timeout };
      }
      case "execSetting":
      case "cwdSetting": {
        const span = keywordSpan(node.name === "execSetting" ? node.children.Exec : node.children.Cwd);
        const value = this.string(token(node.children.StringLiteral));
        if (span === undefined || value === undefined) return undefined;
        const covered = cover(span, value.span);
        return node.name === "execSetting"
          ? { kind: "exec", span: covered, keywordSpan: span, command: value }
          : { kind: "cwd", span: covered, keywordSpan: span, path: value };
      }
      case "readySetting": {
        const span = keywordSpan(node.children.Ready, node.children.When);
        const sourceToken = token(node.children.Identifier);
        const text = this.string(token(node.children.StringLiteral));
        if (span === undefined || sourceToken === undefined || text === undefined) return undefined;
        return { kind: "ready-when", span: cover(span, text.span), keywordSpan: span, source: this.name(sourceToken), text };
      }
      case "envSetting": {
        const span = keywordSpan(node.children.Env);
        const vars = all(node.children.envVariable).flatMap((v) => this.envVar(v) ?? []);
        if (span === undefined || vars.length === 0) return undefined;
        return { kind: "env", span: cover(span, vars[vars.length - 1]!.span), keywordSpan: span, vars };
      }
      case "backoffSetting": {
        const span = keywordSpan(node.children.Backoff);
        const [minToken, maxToken] = tokens(node.children.DurationValue);
        const min = this.duration(minToken);
        const max = this.duration(maxToken);
        if (span === undefined || min === undefined || max === undefined) return undefined;
        return { kind: "backoff", span: cover(span, max.span), keywordSpan: span, min, max };
      }
      case "replicasSetting": {
        const [span, count] = [keywordSpan(node.children.Replicas), this.integer(token(node.children.Integer))];
        return span === undefined || count === undefined ? undefined : { kind: "replicas", span: cover(span, count.span), keywordSpan: span, count };
      }
      case "reloadSetting": {
        // `reload SIGHUP` (the app's) or `reload signal SIGUSR1` (a program's).
        const span = keywordSpan(node.children.Reload, node.children.Signal);
        const value = token(node.children.Identifier) === undefined ? undefined : this.name(token(node.children.Identifier)!);
        const kind = node.children.Signal !== undefined ? "reload-signal" : "reload";
        return span === undefined || value === undefined ? undefined : { kind, span: cover(span, value.span), keywordSpan: span, value };
      }
      case "drainSetting":
        return this.durationSetting("drain", keywordSpan(node.children.Drain), node.children.duration);
      case "healthSetting":
        return this.healthSetting(keywordSpan(node.children.Health), node.children);
      default: {
        // A rule added to `item` in the grammar (and to cst.ts) must be read here.
        const unhandled: never = node;
        void unhandled;
        return undefined;
      }
    }
  }

  /** `grace 30s`, `start timeout 5s`, `stop timeout 5s`: the duration is read (and reported) even without its keyword. */
  private durationSetting(kind: "grace" | "start-timeout" | "stop-timeout" | "drain", span: Span | undefined, values: readonly DurationCstNode[] | undefined): Setting | undefined {
    const value = this.writtenDuration(values);
    if (value === undefined || span === undefined) return undefined;
    return { kind, span: cover(span, value.span), keywordSpan: span, value };
  }

  /**
   * `health port 9464` or `health host 127.0.0.1`: the word after `health` picks the setting. A
   * port that is not a number is kept as NaN (reported here), so that a `health host` beside it
   * is not also reported as lacking its port.
   */
  private healthSetting(span: Span | undefined, children: HealthSettingCstChildren): Setting | undefined {
    const wordToken = token(children.Identifier);
    const hostName = this.refs(children.reference)[0];
    const valueToken = token(children.Integer) ?? token(children.Address) ?? token(children.StringLiteral);
    if (span === undefined || wordToken === undefined || (valueToken === undefined && hostName === undefined)) return undefined;
    const word = this.name(wordToken);
    const keyword = cover(span, word.span);
    const valueSpan = hostName?.span ?? spanOf(valueToken!);
    const whole = cover(span, valueSpan);
    if (word.text === "port") {
      const port = token(children.Integer) !== undefined ? this.integer(valueToken) : undefined;
      if (port === undefined || !Number.isInteger(port.value) || port.value < 1 || port.value > 65_535) {
        const text = hostName?.text ?? valueToken!.image;
        if (port === undefined || Number.isFinite(port.value)) this.report(createDiagnostic(M.invalidHealthPort, this.fileName, valueSpan, [text]));
        return { kind: "health-port", span: whole, keywordSpan: keyword, port: { value: NaN, span: valueSpan } };
      }
      return { kind: "health-port", span: whole, keywordSpan: keyword, port };
    }
    if (word.text === "host") {
      const host = hostName !== undefined ? { value: hostName.text, span: hostName.span } : token(children.StringLiteral) !== undefined ? this.string(valueToken) : { value: valueToken!.image, span: valueSpan };
      return host !== undefined ? { kind: "health-host", span: whole, keywordSpan: keyword, host } : undefined;
    }
    const hint = findClosest(word.text, HEALTH_WORDS);
    this.report(createDiagnostic(M.unknownHealthSetting, this.fileName, word.span, [word.text, HEALTH_WORDS], hint !== undefined ? { hint: H.didYouMean(hint) } : {}));
    return undefined;
  }

  /** `strategy <name>`, `restart <name>`, `stop signal <name>`: a keyword and one name. */
  private nameSetting(kind: "strategy" | "restart" | "stop-signal", span: Span | undefined, values: readonly IToken[] | undefined): Setting | undefined {
    const valueToken = token(values);
    if (span === undefined || valueToken === undefined) return undefined;
    const value = this.name(valueToken);
    return { kind, span: cover(span, value.span), keywordSpan: span, value };
  }

  /** `NAME "value"`; a variable that lost its value to recovery is left out (already reported). */
  private envVar(node: EnvVariableCstNode): EnvVar | undefined {
    const nameToken = token(node.children.Identifier);
    const value = this.string(token(node.children.StringLiteral));
    if (nameToken === undefined || value === undefined) return undefined;
    const name = this.name(nameToken);
    return { name, value, span: cover(name.span, value.span) };
  }

  private buildShutdown(node: ShutdownSettingCstNode): Shutdown | undefined {
    const span = keywordSpan(node.children.Shutdown);
    if (span === undefined) return undefined;
    const phases = all(node.children.shutdownPhase)
      .map((phase: ShutdownPhaseCstNode) => this.refs(phase.children.reference))
      .filter((refs) => refs.length > 0);
    if (phases.length === 0) return undefined;
    const lastPhase = phases[phases.length - 1]!;
    return { kind: "shutdown", span: cover(span, lastPhase[lastPhase.length - 1]!.span), keywordSpan: span, phases };
  }

  private refs(references: readonly ReferenceCstNode[] | undefined): Ref[] {
    const refs: Ref[] = [];
    for (const refNode of all(references)) {
      const parts = tokens(refNode.children.Name).map((t) => this.name(t));
      // A path with a gap (`workers.` then recovery) is incomplete; its error is already reported.
      if (parts.length === 0 || parts.length !== all(refNode.children.Dot).length + 1) continue;
      // A plain name (most references) is its own text and span: nothing to join or cover.
      if (parts.length === 1) {
        refs.push({ parts, text: parts[0]!.text, span: parts[0]!.span });
        continue;
      }
      const span = cover(parts[0]!.span, parts[parts.length - 1]!.span);
      refs.push({ parts, text: parts.map((p) => p.text).join("."), span });
    }
    return refs;
  }

  private name(t: IToken): Name {
    return { text: t.image, span: spanOf(t) };
  }

  /** A `duration` node: its value, or one error for a unit written apart (`30 seconds`). */
  private writtenDuration(nodes: readonly DurationCstNode[] | undefined): Duration | undefined {
    const written = readDuration(all(nodes)[0]);
    if (written?.apart === undefined) return this.duration(written?.value);
    const apart = reportUnitApart(written.value, written.apart, this.source, this.fileName);
    this.report(apart.diagnostic);
    return apart.duration;
  }

  /**
   * Decoded durations by their text: a large spec writes the same few (`1s`, `30s`) thousands of
   * times, and decoding one builds a regular-expression match per unit.
   */
  private readonly durations = new Map<string, Decoded<number>>();

  private duration(t: IToken | undefined): Duration | undefined {
    if (t === undefined) return undefined;
    const span = spanOf(t);
    let decoded = this.durations.get(t.image);
    if (decoded === undefined) this.durations.set(t.image, (decoded = decodeDuration(t.image)));
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
