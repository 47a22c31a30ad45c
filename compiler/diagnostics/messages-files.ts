// SUP4xxx files. Part of the one catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { q, orList } from "./quote.ts";

export const FILE_MESSAGES = {
  moduleNotFound: define("SUP4001", "error", "a module file does not exist", (path: string) => `module file ${q(path)} does not exist`),
  moduleNotRelative: define(
    "SUP4002",
    "error",
    "a module path is not relative",
    (path: string) => `module path ${q(path)} must start with './' or '../' (relative to the spec file)`,
  ),
  cwdNotRelative: define(
    "SUP4003",
    "error",
    "a working directory is not relative",
    (path: string) => `cwd ${q(path)} must be relative to the spec file ('.', './dir' or '../dir')`,
  ),
  cwdNotFound: define("SUP4004", "error", "a working directory does not exist", (path: string, why: string) => `cwd ${q(path)} ${why}`),
  programNotFound: define(
    "SUP4005",
    "warning",
    "the program of an exec does not exist",
    (program: string, dir: string) => `program ${q(program)} does not exist (relative to ${q(dir)}, the service's working directory)`,
  ),
  moduleNotAFile: define(
    "SUP4006",
    "error",
    "a module path names a directory or something else that is not a regular file",
    (path: string, kind: "directory" | "other") =>
      `module path ${q(path)} names ${kind === "directory" ? "a directory" : "something that is not a regular file"}, not a module file`,
  ),
  moduleExtension: define(
    "SUP4007",
    "error",
    "a module file is not one the runtime can import",
    (path: string, extension: string, allowed: readonly string[]) =>
      `module file ${q(path)} ${extension === "" ? "has no extension" : `is a ${q(extension)} file`}: the runtime imports only ${orList(allowed)} files`,
  ),
  moduleOutsideProject: define(
    "SUP4008",
    "error",
    "a module path leads outside the project",
    (path: string, project: string) => `module path ${q(path)} leads outside the project (${q(project)})`,
  ),
  moduleBackslash: define(
    "SUP4009",
    "error",
    "a module path holds a backslash",
    (path: string) => `module path ${q(path)} holds '\\': an import path is a URL, where '\\' means '/'`,
  ),
  moduleWithoutStart: define(
    "SUP4010",
    "error",
    "a module does not export start",
    (path: string) => `module ${q(path)} does not export 'start': the runtime calls its start(scope) to start the service`,
  ),
  startNotAFunction: define(
    "SUP4011",
    "error",
    "a module's start export is not a function",
    (path: string, what: string, line: number) => `module ${q(path)} exports 'start' as ${what} (line ${line}), not a function`,
  ),
  programNotOnPath: define(
    "SUP4012",
    "warning",
    "the program of an exec is not on PATH",
    (program: string) => `program ${q(program)} is not in any folder of PATH on this machine`,
  ),
  moduleUrlCharacter: define(
    "SUP4013",
    "error",
    "a module path holds a character an import reads differently",
    (path: string, char: string) =>
      char === "#" || char === "?"
        ? `module path ${q(path)} holds ${q(char)}: in an import path (a URL) it starts a ${char === "#" ? "fragment" : "query"}, so the file imported is not the file checked`
        : char === "%"
          ? `module path ${q(path)} holds '%': in an import path (a URL) it starts an escape ('%20' is a space), so the file imported is not the file checked`
          : `module path ${q(path)} holds a control character (${char}): an import path (a URL) drops tabs and line breaks, so the file imported is not the file checked`,
  ),
} as const;
