// SUP1xxx syntax. Part of the one catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { q } from "./quote.ts";

export const SYNTAX_MESSAGES = {
  unexpectedCharacter: define("SUP1001", "error", "unexpected character", (shown: string) => `unexpected character ${shown}`),
  unterminatedString: define("SUP1002", "error", "unterminated string", () => "unterminated string: add a closing '\"' on the same line"),
  unterminatedComment: define("SUP1003", "error", "unterminated block comment", () => "unterminated block comment: '/*' has no matching '*/'"),
  invalidEscape: define(
    "SUP1004",
    "error",
    "invalid escape sequence in a string",
    (escape: string) => `invalid escape sequence ${q(escape)} (use \\" \\\\ \\n \\t or \\uXXXX)`,
  ),
  expectedToken: define("SUP1005", "error", "expected something else here", (what: string) => what),
  unclosedBlock: define(
    "SUP1006",
    "error",
    "a block is not closed",
    (block: string, where: string) => `expected '}' to close ${block} opened at ${where}`,
  ),
  unknownSetting: define("SUP1007", "error", "unknown setting", (word: string, block: string) => `unknown setting ${q(word)} in ${block}`),
  outsideApp: define("SUP1008", "error", "unexpected input outside the app block", (what: string) => what),
  // Retired: keywords are contextual (any word names a block or service by its position).
  reservedWord: define(
    "SUP1009",
    "error",
    "a reserved word is used as a name (retired: no longer reported)",
    (word: string) => `${q(word)} is a reserved word and cannot be used as a name`,
  ),
  invalidDuration: define("SUP1010", "error", "invalid duration", (text: string, why: string) => `invalid duration ${q(text)}: ${why}`),
  invalidInteger: define("SUP1011", "error", "invalid whole number", (text: string, why: string) => `invalid number ${q(text)}: ${why}`),
  missingApp: define("SUP1012", "error", "the file has no app block", () => "expected an 'app' block, e.g. 'app shop { ... }'"),
  nestingTooDeep: define(
    "SUP1013",
    "error",
    "blocks are nested too deeply",
    (limit: number) => `blocks are nested more than ${limit} levels deep`,
  ),
  invalidName: define(
    "SUP1014",
    "error",
    "a block name that is not a valid name",
    (kind: string, written: string) => `${q(written)} is not a valid ${kind} name: a name is letters, digits, '_' and '-', starting with a letter or '_'`,
  ),
} as const;
