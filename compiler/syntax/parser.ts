// The grammar of .sup files as a chevrotain CstParser: no actions, only the shape of the input.
// Every setting is parsed the same way in every block; where a setting is allowed, whether a
// value is a known strategy or signal, and what durations mean are checks on the AST.
//
//   specFile     = { block } EOF
//   block        = ("app" | "service" | "supervisor") blockName "{" { item } "}"
//   blockName    = Name { "." Name } | String | Integer | DurationLiteral
//                  (a keyword in a name's place is a name: keywords are contextual; the last
//                  three shapes and a dotted name are not valid names, but parse, so that the
//                  AST builder reports them once with a rename hint instead of a cascade)
//   item         = block | setting | shutdown
//   ...          (see docs/language.md for the full EBNF)
//
// Error recovery is on, so one run reports several mistakes; compiler/syntax/syntax-errors.ts turns
// chevrotain's exceptions into diagnostics in the user's terms. The error messages chevrotain
// builds here are JSON records, not prose, so that mapping never has to parse English.
import { EOF, type IOrAlt, type IParserErrorMessageProvider, type IToken, type Rule, type TokenType } from "chevrotain";
import type { RuleName, SpecFileCstNode } from "./cst.ts";
import * as T from "./tokens.ts";
import { RecoveringParser } from "./recovery.ts";

/** What the parser knew when it failed; decoded by compiler/syntax/syntax-errors.ts. */
export interface ParserErrorRecord {
  readonly kind: "mismatch" | "no-viable-alt" | "early-exit" | "not-all-input";
  /** The rule that failed; typed from the grammar so that code keyed by rule follows a rename. */
  readonly rule: RuleName;
  /** Token type names that would have been accepted. */
  readonly expected: readonly string[];
}

function record(kind: ParserErrorRecord["kind"], rule: string, expected: readonly string[]): string {
  // Chevrotain reports the name of one of this parser's own rules, which cst.ts lists.
  const value: ParserErrorRecord = { kind, rule: rule as RuleName, expected };
  return JSON.stringify(value);
}

function firstTokens(paths: TokenType[][][] | TokenType[][]): string[] {
  const names = new Set<string>();
  for (const path of paths.flat(1) as (TokenType[] | TokenType)[]) {
    const first = Array.isArray(path) ? path[0] : path;
    if (first !== undefined) names.add(first.name);
  }
  return [...names];
}

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => record("mismatch", ruleName, [expected.name]),
  buildNotAllInputParsedMessage: ({ ruleName }) => record("not-all-input", ruleName, []),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    record("no-viable-alt", ruleName, firstTokens(expectedPathsPerAlt)),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    record("early-exit", ruleName, firstTokens(expectedIterationPaths)),
};

class SpecParser extends RecoveringParser {
  constructor() {
    super(T.ALL_TOKENS as TokenType[], { recoveryEnabled: true, errorMessageProvider, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public readonly specFile = this.RULE("specFile", () => {
    this.MANY(() => this.SUBRULE(this.block));
    this.CONSUME(EOF);
  });

  // The alternatives of an OR are built once per parser, not at every block and item: each
  // would be an array of fresh closures per call (chevrotain's "cache the alternatives" advice).
  private blockKinds: IOrAlt<unknown>[] | undefined;
  private itemKinds: IOrAlt<unknown>[] | undefined;

  public readonly block = this.RULE("block", () => {
    this.OR(
      (this.blockKinds ??= [
        { ALT: () => this.CONSUME(T.App) },
        { ALT: () => this.CONSUME(T.Service) },
        { ALT: () => this.CONSUME(T.Supervisor) },
      ]),
    );
    this.SUBRULE(this.blockName);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RCurly);
  });

  /** The text being parsed: whether two tokens are on one line is read from it (tokens carry offsets only). */
  source = "";

  private breaksLine(before: IToken, after: IToken): boolean {
    return /[\r\n]/.test(this.source.slice(T.tokenEnd(before), after.startOffset));
  }

  /**
   * Whether the next token is a name where a name may stand. A keyword is one too (keywords are
   * contextual), except when it starts a line and reads as the start of a setting there: in
   * `needs db,` followed by `stop timeout 5s` on the next line, the name is missing, and `stop`
   * is not a service. A keyword on a line of its own, or followed by `,` `.` `->` `{` or `}`, is
   * a name.
   */
  private readonly nameAhead = (): boolean => {
    const next = this.LA(1);
    if (!T.isKeyword(next.tokenType)) return true;
    if (!this.breaksLine(this.LA(0), next)) return true;
    const after = this.LA(2);
    return after.tokenType === EOF || this.breaksLine(next, after) || NAME_FOLLOWERS.includes(after.tokenType);
  };

  private blockNameShapes: IOrAlt<unknown>[] | undefined;
  private firstNames: IOrAlt<unknown>[] | undefined;

  private readonly blockName = this.RULE("blockName", () => {
    this.OR(
      (this.blockNameShapes ??= [
        {
          GATE: this.nameAhead,
          ALT: () => {
            this.CONSUME(T.Name);
            this.MANY(() => {
              this.CONSUME(T.Dot);
              this.CONSUME2(T.Name);
            });
          },
        },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.Integer) },
        { ALT: () => this.CONSUME(T.DurationLiteral) },
      ]),
    );
  });

  // A duration, and the word after it when a unit was written apart (`grace 30 seconds`): that
  // word is part of the one mistake the AST builder reports, not an unknown setting. Only a plain
  // identifier can be that word; every setting starts with a keyword, so nothing is ambiguous.
  private readonly duration = this.RULE("duration", () => {
    this.CONSUME(T.DurationValue);
    this.OPTION(() => this.CONSUME(T.Identifier));
  });

  private readonly item = this.RULE("item", () => {
    this.OR(
      (this.itemKinds ??= [
        { ALT: () => this.SUBRULE(this.block) },
        { ALT: () => this.SUBRULE(this.graceSetting) },
        { ALT: () => this.SUBRULE(this.signalsSetting) },
        { ALT: () => this.SUBRULE(this.strategySetting) },
        { ALT: () => this.SUBRULE(this.intensitySetting) },
        { ALT: () => this.SUBRULE(this.moduleSetting) },
        { ALT: () => this.SUBRULE(this.startTimeoutSetting) },
        { ALT: () => this.SUBRULE(this.stopTimeoutSetting) },
        { ALT: () => this.SUBRULE(this.restartSetting) },
        { ALT: () => this.SUBRULE(this.needsSetting) },
        { ALT: () => this.SUBRULE(this.shutdownSetting) },
        { ALT: () => this.SUBRULE(this.deploySetting) },
        { ALT: () => this.SUBRULE(this.execSetting) },
        { ALT: () => this.SUBRULE(this.stopSignalSetting) },
        { ALT: () => this.SUBRULE(this.readySetting) },
        { ALT: () => this.SUBRULE(this.envSetting) },
        { ALT: () => this.SUBRULE(this.cwdSetting) },
        { ALT: () => this.SUBRULE(this.backoffSetting) },
        { ALT: () => this.SUBRULE(this.afterSetting) },
        { ALT: () => this.SUBRULE(this.replicasSetting) },
        { ALT: () => this.SUBRULE(this.reloadSetting) },
        { ALT: () => this.SUBRULE(this.healthSetting) },
        { ALT: () => this.SUBRULE(this.drainSetting) },
      ]),
    );
  });

  private readonly graceSetting = this.RULE("graceSetting", () => {
    this.CONSUME(T.Grace);
    this.SUBRULE(this.duration);
  });

  private readonly signalsSetting = this.RULE("signalsSetting", () => {
    this.CONSUME(T.Signals);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
  });

  private readonly strategySetting = this.RULE("strategySetting", () => {
    this.CONSUME(T.Strategy);
    this.CONSUME(T.Identifier);
  });

  private readonly intensitySetting = this.RULE("intensitySetting", () => {
    this.CONSUME(T.Intensity);
    this.CONSUME(T.Integer);
    this.CONSUME(T.Per);
    this.SUBRULE(this.duration);
  });

  private readonly moduleSetting = this.RULE("moduleSetting", () => {
    this.CONSUME(T.Module);
    this.CONSUME(T.StringLiteral);
  });

  private readonly startTimeoutSetting = this.RULE("startTimeoutSetting", () => {
    this.CONSUME(T.Start);
    this.CONSUME(T.Timeout);
    this.SUBRULE(this.duration);
  });

  private readonly stopTimeoutSetting = this.RULE("stopTimeoutSetting", () => {
    this.CONSUME(T.Stop);
    this.CONSUME(T.Timeout);
    this.SUBRULE(this.duration);
  });

  private readonly restartSetting = this.RULE("restartSetting", () => {
    this.CONSUME(T.Restart);
    this.CONSUME(T.Identifier);
  });

  private readonly needsSetting = this.RULE("needsSetting", () => {
    this.CONSUME(T.Needs);
    this.SUBRULE(this.reference);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.reference);
    });
  });

  private readonly afterSetting = this.RULE("afterSetting", () => {
    this.CONSUME(T.After);
    this.SUBRULE(this.reference);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.reference);
    });
  });

  private readonly replicasSetting = this.RULE("replicasSetting", () => {
    this.CONSUME(T.Replicas);
    this.CONSUME(T.Integer);
  });

  // `reload SIGHUP` in the app; `reload signal SIGUSR1` in a process service.
  private readonly reloadSetting = this.RULE("reloadSetting", () => {
    this.CONSUME(T.Reload);
    this.OPTION(() => this.CONSUME(T.Signal));
    this.CONSUME(T.Identifier);
  });

  // `deploy kubernetes` or `deploy kubernetes timeout 45s`. The override is introduced by
  // `timeout`, not `grace`: settings are separated by whitespace only, so `deploy kubernetes`
  // followed by the app's own `grace 30s` would otherwise read as the platform's override.
  private readonly deploySetting = this.RULE("deploySetting", () => {
    this.CONSUME(T.Deploy);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Timeout);
      this.SUBRULE(this.duration);
    });
  });

  // Process services. The command line is one string, split into argv by the compiler
  // (compiler/language/command-line.ts), so that its quoting rules are checked with precise messages.
  private readonly execSetting = this.RULE("execSetting", () => {
    this.CONSUME(T.Exec);
    this.CONSUME(T.StringLiteral);
  });

  private readonly stopSignalSetting = this.RULE("stopSignalSetting", () => {
    this.CONSUME(T.Stop);
    this.CONSUME(T.Signal);
    this.CONSUME(T.Identifier);
  });

  // `ready when stdout "listening"`: the stream is a name checked afterwards, which leaves room
  // for other sources without reserving more words.
  private readonly readySetting = this.RULE("readySetting", () => {
    this.CONSUME(T.Ready);
    this.CONSUME(T.When);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.StringLiteral);
  });

  private readonly envSetting = this.RULE("envSetting", () => {
    this.CONSUME(T.Env);
    this.SUBRULE(this.envVariable);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.envVariable);
    });
  });

  private readonly envVariable = this.RULE("envVariable", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.StringLiteral);
  });

  private readonly cwdSetting = this.RULE("cwdSetting", () => {
    this.CONSUME(T.Cwd);
    this.CONSUME(T.StringLiteral);
  });

  private readonly backoffSetting = this.RULE("backoffSetting", () => {
    this.CONSUME(T.Backoff);
    this.CONSUME(T.DurationValue);
    this.CONSUME(T.DotDot);
    this.CONSUME2(T.DurationValue);
  });

  // `health port 9464`, `health host 127.0.0.1`: which one is the name after `health`, checked by
  // the AST builder; the value is a number, an address, a host name or a string (IPv6).
  private healthValues: IOrAlt<unknown>[] | undefined;
  private readonly healthSetting = this.RULE("healthSetting", () => {
    this.CONSUME(T.Health);
    this.CONSUME(T.Identifier);
    this.OR(
      (this.healthValues ??= [
        { ALT: () => this.CONSUME(T.Integer) },
        { ALT: () => this.CONSUME(T.Address) },
        // A host name: `localhost`, `api.internal` (dotted like a reference).
        { ALT: () => this.SUBRULE(this.reference) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
      ]),
    );
  });

  private readonly drainSetting = this.RULE("drainSetting", () => {
    this.CONSUME(T.Drain);
    this.SUBRULE(this.duration);
  });

  private readonly shutdownSetting = this.RULE("shutdownSetting", () => {
    this.CONSUME(T.Shutdown);
    this.SUBRULE(this.shutdownPhase);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.shutdownPhase);
    });
  });

  private readonly shutdownPhase = this.RULE("shutdownPhase", () => {
    this.SUBRULE(this.reference);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.reference);
    });
  });

  // Keywords are contextual here too: `needs signal` names a service called `signal`.
  private readonly reference = this.RULE("reference", () => {
    this.OR((this.firstNames ??= [{ GATE: this.nameAhead, ALT: () => this.CONSUME(T.Name) }]));
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
  });
}

/** What may follow a keyword that stands for a name at the start of a line. */
const NAME_FOLLOWERS: readonly TokenType[] = [T.Comma, T.Dot, T.Arrow, T.LCurly, T.RCurly];

// Built once: performSelfAnalysis costs ~10 ms, and a parser instance is reusable.
const parser = new SpecParser();

/**
 * The grammar as data, from which scripts/generate-cst.ts writes the CST node types of
 * compiler/syntax/cst.ts (test/front-end/cst-types.test.ts checks that they are current).
 */
export function grammarProductions(): Record<string, Rule> {
  return parser.getGAstProductions();
}

export interface ParseResult {
  readonly cst: SpecFileCstNode;
  readonly errors: readonly ParserError[];
}

export interface ParserError {
  readonly record: ParserErrorRecord;
  /** The token the parser stopped at (an EOF token at the end of input). */
  readonly token: IToken;
  readonly previousToken: IToken | undefined;
}

export function parseTokens(tokens: IToken[], source: string): ParseResult {
  parser.source = source;
  parser.input = tokens;
  // The one place the CST gets its shape: cst.ts is generated from this parser's grammar.
  const cst = parser.parseWith(() => parser.specFile()) as SpecFileCstNode;
  const errors = parser.errors.map((e): ParserError => {
    const previous = (e as { previousToken?: IToken }).previousToken;
    return { record: JSON.parse(e.message) as ParserErrorRecord, token: e.token, previousToken: previous };
  });
  return { cst, errors };
}
