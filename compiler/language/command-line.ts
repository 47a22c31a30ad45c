// Splits the command line of an `exec` service into argv at compile time, the way a POSIX shell
// splits words, and nothing more: single quotes, double quotes and backslash escapes. No shell is
// ever invoked, so whatever a shell would have expanded or interpreted (pipes, redirections,
// `&&`, `$VAR`, backticks, globs, `~`) is reported instead of being passed on as a surprise: a
// program that receives a literal `*` or `$HOME` fails far from the spec that caused it.
//
// The rules, from POSIX "Token Recognition" and "Quoting":
//   - blanks (space, tab, line breaks) outside quotes separate words;
//   - '...' keeps every character as it is; it cannot contain a single quote;
//   - "..." keeps every character, except that a backslash escapes  "  \  $  ` ; `$` and a
//     backtick inside double quotes are still expansions in a shell, so they are reported;
//   - outside quotes a backslash keeps the next character as it is (`\|`, `\ `);
//   - quotes join with their neighbours: `--name='a b'` is one word, and `''` is an empty word.

export type CommandProblemKind = "unclosed-quote" | "trailing-backslash" | "shell-syntax" | "assignment";

export interface CommandProblem {
  readonly kind: CommandProblemKind;
  /** Offsets into the command text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The characters at fault, as written (`|`, `&&`, `$HOME`, `'`). */
  readonly text: string;
  /** For shell syntax: what a shell would have done with it ("a pipe", "variable expansion"). */
  readonly meaning: string;
}

export interface SplitCommand {
  readonly argv: readonly string[];
  readonly problems: readonly CommandProblem[];
}

const BLANK = /[ \t\r\n]/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** What `$` followed by this character means to a shell; a lone `$` is an ordinary character. */
const AFTER_DOLLAR = /[A-Za-z_{(0-9@*#?$!-]/;

/** Operators a shell interprets outside quotes, longest first so that `&&` is not read as `&`. */
const OPERATORS: readonly (readonly [string, string])[] = [
  ["&&", "an 'and' list"],
  ["||", "an 'or' list"],
  [">>", "a redirection"],
  ["|", "a pipe"],
  ["&", "a background job"],
  [";", "a command separator"],
  ["<", "a redirection"],
  [">", "a redirection"],
  ["(", "a subshell"],
  [")", "a subshell"],
  ["*", "a glob pattern"],
  ["?", "a glob pattern"],
];

/**
 * `command.indexOf(char, from)`, remembering where a search found nothing: it finds nothing from
 * any later position either, so thousands of unclosed `${` or backticks read the command once
 * rather than once each. (A search that finds its closing character moves the scan past it.)
 */
function makeFinder(command: string): (char: string, from: number) => number {
  const missingFrom = new Map<string, number>();
  return (char, from) => {
    const missing = missingFrom.get(char);
    if (missing !== undefined && from >= missing) return -1;
    const at = command.indexOf(char, from);
    if (at < 0) missingFrom.set(char, Math.min(from, missing ?? from));
    return at;
  };
}

export function splitCommandLine(command: string): SplitCommand {
  const find = makeFinder(command);
  const argv: string[] = [];
  const problems: CommandProblem[] = [];
  const report = (kind: CommandProblemKind, start: number, end: number, meaning = ""): void => {
    problems.push({ kind, start, end, text: command.slice(start, end), meaning });
  };
  /** The word being built; undefined between words (so that `''` can still make an empty word). */
  let word: string | undefined;
  let wordStart = 0;
  const endWord = (): void => {
    if (word === undefined) return;
    if (argv.length === 0) checkAssignment(command, wordStart, report);
    argv.push(word);
    word = undefined;
  };

  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (BLANK.test(c)) {
      endWord();
      continue;
    }
    if (word === undefined) {
      wordStart = i;
      // Only at the start of a word: `a#b` and `a~b` are ordinary characters to a shell too.
      if (c === "#") {
        // A shell would ignore the rest of the line, so nothing in it is reported again.
        report("shell-syntax", i, command.length, "a comment");
        break;
      }
      if (c === "~") report("shell-syntax", i, i + 1, "home directory expansion");
    }
    word ??= "";
    if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) {
        report("unclosed-quote", i, i + 1);
        word += command.slice(i + 1);
        break;
      }
      word += command.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      const read = readDoubleQuoted(command, i, report, find);
      word += read.text;
      i = read.end;
    } else if (c === "\\") {
      if (i + 1 >= command.length) report("trailing-backslash", i, i + 1);
      else word += command[++i];
    } else if ((c === "$" && AFTER_DOLLAR.test(command[i + 1] ?? "")) || c === "`") {
      const end = endOfExpansion(command, i, find);
      report("shell-syntax", i, end, describeExpansion(command, i));
      word += command.slice(i, end);
      i = end - 1;
    } else {
      const operator = OPERATORS.find(([text]) => command.startsWith(text, i));
      if (operator !== undefined) {
        report("shell-syntax", i, i + operator[0].length, operator[1]);
        i += operator[0].length - 1;
        word += operator[0];
      } else word += c;
    }
  }
  endWord();
  return { argv, problems };
}

/** Reads `"..."` from the quote at `open`; returns the text and the index of the closing quote. */
function readDoubleQuoted(
  command: string,
  open: number,
  report: (kind: CommandProblemKind, start: number, end: number, meaning?: string) => void,
  find: (char: string, from: number) => number,
): { text: string; end: number } {
  let text = "";
  for (let i = open + 1; i < command.length; i++) {
    const c = command[i]!;
    if (c === '"') return { text, end: i };
    if (c === "\\" && '"\\$`'.includes(command[i + 1] ?? "x")) text += command[++i];
    else if ((c === "$" && AFTER_DOLLAR.test(command[i + 1] ?? "")) || c === "`") {
      // Double quotes do not stop a shell from expanding these.
      const end = endOfExpansion(command, i, find);
      report("shell-syntax", i, end, describeExpansion(command, i));
      text += command.slice(i, end);
      i = end - 1;
    } else text += c;
  }
  report("unclosed-quote", open, open + 1);
  return { text, end: command.length };
}

function describeExpansion(command: string, at: number): string {
  return command[at] === "`" || command[at + 1] === "(" ? "command substitution" : "variable expansion";
}

/** `$NAME`, `${...}`, `$(...)`, `$1` or a backquoted command: the span a message quotes. */
function endOfExpansion(command: string, dollar: number, find: (char: string, from: number) => number): number {
  if (command[dollar] === "`") {
    const close = find("`", dollar + 1);
    return close < 0 ? dollar + 1 : close + 1;
  }
  const next = command[dollar + 1]!;
  if (next === "{" || next === "(") {
    const close = find(next === "{" ? "}" : ")", dollar + 2);
    return close < 0 ? dollar + 2 : close + 1;
  }
  if (!NAME_START.test(next)) return dollar + 2;
  let end = dollar + 2;
  while (end < command.length && NAME_CHAR.test(command[end]!)) end++;
  return end;
}

/** `FOO=1 node app.js` sets a variable in a shell; here `FOO=1` would be the program's name. */
function checkAssignment(
  command: string,
  start: number,
  report: (kind: CommandProblemKind, start: number, end: number, meaning?: string) => void,
): void {
  const match = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(command.slice(start));
  if (match === null) return;
  let end = start;
  while (end < command.length && !BLANK.test(command[end]!)) end++;
  report("assignment", start, end, "a variable assignment");
}

/** The command as a shell would need it written: each word quoted only when it has to be. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(" ");
}
