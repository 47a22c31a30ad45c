// The command line of an `exec` service and the files it refers to. The command is split into
// argv here, at compile time (compiler/language/command-line.ts), so a mistake in quoting or a pipe that
// would need a shell is reported with the exact character, not discovered when the program fails
// to start in production. `cwd` and a relative program path are checked against the file system
// through the injected `fileExists` / `directoryExists`, like module paths.
import { delimiter, posix, resolve } from "node:path";
import type { Block, StringLit } from "../language/ast.ts";
import type { Span } from "../diagnostics/span.ts";
import { findSetting, forEachBlock, type Accept, type Check, type CheckContext, type CheckOptions } from "./context.ts";
import { splitCommandLine, type CommandProblem } from "../language/command-line.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { mapStringOffsets } from "../language/literals.ts";

/** What to do instead, for each kind of shell syntax. */
function hintFor(problem: CommandProblem): string {
  switch (problem.meaning) {
    case "a variable assignment": {
      const [name, ...value] = problem.text.split("=");
      return H.setWithEnv(name!, value.join("="));
    }
    case "a comment":
      return H.commentInSpec();
    case "variable expansion":
    case "command substitution":
      return H.singleQuoteExpansion(problem.text);
    default:
      return H.quoteShellSyntax(problem.text);
  }
}

/**
 * Maps ranges of the decoded command back to the spec's source, escapes included. The offsets are
 * mapped once per command: a command with thousands of problems is still read once.
 */
function mapCommandSpans(source: string, literal: StringLit): (start: number, end: number) => Span {
  let offsets: number[] | undefined;
  return (start, end) => {
    offsets ??= mapStringOffsets(source.slice(literal.span.start, literal.span.end));
    const map = offsets;
    const at = (i: number): number => literal.span.start + map[Math.min(i, map.length - 1)]!;
    // The end of a range is where its last character ends: one past the last character's start
    // (an escape such as \" covers two source characters, so take the next character's start).
    return { start: at(start), end: end > start ? at(end) : at(start) + 1 };
  };
}

/**
 * Problems reported per command line: each is one mistake and the first ones say what to fix; a
 * command of 40,000 backquotes would otherwise print 40,000 errors.
 */
const MAX_PROBLEMS_PER_COMMAND = 20;

function checkCommand(ctx: CheckContext, command: StringLit, accept: Accept): void {
  const split = splitCommandLine(command.value);
  const spanInSource = mapCommandSpans(ctx.spec.source, command);
  for (const problem of split.problems.slice(0, MAX_PROBLEMS_PER_COMMAND)) {
    const span = spanInSource(problem.start, problem.end);
    switch (problem.kind) {
      case "unclosed-quote":
        accept(M.unsplittableCommand, span, ["this quote is never closed"], {
          hint: H.closeTheQuote(),
        });
        break;
      case "trailing-backslash":
        accept(M.unsplittableCommand, span, ["it ends with a backslash that escapes nothing"], {
          hint: H.doubleTheBackslash(),
        });
        break;
      case "shell-syntax":
      case "assignment":
        accept(M.shellSyntax, span, [problem.text, problem.meaning], { hint: hintFor(problem) });
        break;
      default: {
        // A new kind of problem must be reported above, or the command would pass unchecked.
        const unhandled: never = problem.kind;
        void unhandled;
      }
    }
  }
  if (split.problems.length === 0 && (split.argv.length === 0 || split.argv[0] === "")) {
    accept(M.emptyCommand, command.span, [], { hint: H.writeTheProgram() });
  }
}

const checkCommandLines: Check = {
  name: "exec command lines",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) if (s.kind === "exec") checkCommand(ctx, s.command, accept);
    });
  },
};

function isRelativeDirectory(path: string): boolean {
  return path === "." || path === ".." || path.startsWith("./") || path.startsWith("../");
}

function directoryExists(options: CheckOptions, absPath: string): boolean {
  try {
    return (options.directoryExists ?? options.fileExists)(absPath);
  } catch {
    return false;
  }
}

function fileExists(options: CheckOptions, absPath: string): boolean {
  try {
    return options.fileExists(absPath);
  } catch {
    return false;
  }
}

const checkWorkingDirectories: Check = {
  name: "working directories",
  tier: "local",
  keepsModel: true,
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "cwd") continue;
        const path = s.path.value;
        if (!isRelativeDirectory(path)) {
          accept(M.cwdNotRelative, s.path.span, [path], {
            hint: path === "" ? H.leaveCwdOut() : H.relativeCwd(path.replace(/^\/+/, "")),
          });
        } else if (!directoryExists(ctx.options, resolve(ctx.options.specDir, path))) {
          accept(M.cwdNotFound, s.path.span, [path, "does not exist"], { hint: H.cwdIsRelative() });
        }
      }
    });
  },
};

/**
 * A program given by a relative path (`./bin/worker`) is part of the project, so a typo is worth a
 * warning now; a bare name (`python3`) is looked up in PATH when it starts, on the machine that
 * runs it. Only a warning: the program may be a build artefact that does not exist yet.
 */
const checkPrograms: Check = {
  name: "exec programs",
  tier: "structure",
  keepsModel: true,
  run(ctx, accept) {
    forEachBlock(ctx.app, (block: Block) => {
      const exec = findSetting(block, "exec");
      if (block.kind !== "service" || exec === undefined) return;
      const split = splitCommandLine(exec.command.value);
      const program = split.argv[0];
      if (split.problems.length > 0 || program === undefined || posix.isAbsolute(program)) return;
      if (!program.includes("/")) {
        if (!isOnPath(ctx, program)) accept(M.programNotOnPath, exec.command.span, [program], { hint: H.installOrQualifyProgram() });
        return;
      }
      const cwd = findSetting(block, "cwd")?.path.value ?? ".";
      if (!isRelativeDirectory(cwd)) return;
      if (fileExists(ctx.options, resolve(ctx.options.specDir, cwd, program))) return;
      accept(M.programNotFound, exec.command.span, [program, cwd], {
        hint: H.programPathLookup(),
      });
    });
  },
};

/**
 * Whether a bare program name is in a folder of the compiling machine's PATH, as the runtime will
 * look it up (spawn without a shell); true when no PATH was given. Executable bits are not
 * checked: the file being there is what a typo gets wrong.
 */
function isOnPath(ctx: CheckContext, program: string): boolean {
  const searchPath = ctx.options.searchPath;
  if (searchPath === undefined) return true;
  const folders = searchPath.split(delimiter).filter((folder) => folder !== "");
  return folders.some((folder) => fileExists(ctx.options, resolve(ctx.options.specDir, folder, program)));
}

export const CHECKS: readonly Check[] = [checkCommandLines, checkWorkingDirectories, checkPrograms];
