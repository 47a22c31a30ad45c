// How the parser recovers from mistakes beyond chevrotain's defaults: bounded work on long runs of
// stray tokens, and never a block that nobody opened. SpecParser (parser.ts) extends this class.
import { CstParser, type TokenType } from "chevrotain";
import { LCurly } from "./tokens.ts";

/**
 * How many times one parse may ask what could follow a token it did not expect. chevrotain asks at
 * every such token, to try inserting or deleting one token before it re-syncs, and each answer is
 * computed from the grammar (~0.13 ms): 27,000 stray names in an 82 KB list took 4 s. Past the
 * budget the answer is "nothing", so the parser re-syncs at once; the first mistakes of a file,
 * the ones a reader fixes, are recovered from as before.
 */
const IN_RULE_RECOVERY_BUDGET = 1_000;

type FollowsLookup = (tokType: TokenType, tokIdxInRule: number) => TokenType[];

/** chevrotain's own lookup (not in its typings): what may follow, from the grammar. */
const lookUpFollows = (CstParser.prototype as unknown as { getFollowsForInRuleRecovery: FollowsLookup }).getFollowsForInRuleRecovery;

export abstract class RecoveringParser extends CstParser {
  #followLookupsLeft = IN_RULE_RECOVERY_BUDGET;

  /**
   * Recovery never inserts a '{': one would open a block nobody wrote, with no place to name when
   * it is left unclosed, and `service a service b service c ...` would nest each in the one
   * before, as deep as the list is long (6,000 of them overflowed the stack). The parser re-syncs
   * at the stray word instead.
   */
  protected override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType !== LCurly;
  }

  /** Called by chevrotain by name: see IN_RULE_RECOVERY_BUDGET. */
  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[] {
    if (this.#followLookupsLeft <= 0) return [];
    this.#followLookupsLeft--;
    return lookUpFollows.call(this, tokType, tokIdxInRule);
  }

  /** One parse of the current input by `rule`, with a fresh budget. */
  parseWith<T>(rule: () => T): T {
    this.#followLookupsLeft = IN_RULE_RECOVERY_BUDGET;
    // chevrotain throws an exception at every token it did not expect and catches it to recover;
    // nobody reads their stacks, and capturing one per stray token was a tenth of a long bad parse.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return rule();
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
