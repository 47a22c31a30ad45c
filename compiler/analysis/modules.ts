// Services and their module files. The file system is reached only through the injected
// `statPath` (or `fileExists`), so tests run on strings and the checks never touch anything but
// module paths and the package.json that marks the project.
import { extname, isAbsolute, relative, resolve, sep } from "node:path";
import type { StringLit } from "../language/ast.ts";
import { forEachBlock, type Accept, type Check, type CheckContext } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";
import { looksLikeProcess } from "./process.ts";
import { checkStartExport } from "./module-start.ts";

function isRelativeModulePath(path: string): boolean {
  return path.startsWith("./") || path.startsWith("../");
}

/** What the runtime can import (directly, or through tsx for TypeScript), in suggestion order. */
const MODULE_EXTENSIONS: readonly string[] = [".ts", ".mts", ".js", ".mjs"];

/** `./services/db.ts` for `./services/db`, `./services/db.js` or `./services/db.json`, when that file exists. */
function suggestExisting(ctx: CheckContext, path: string): string | undefined {
  const stem = path.slice(0, path.length - extname(path).length);
  return MODULE_EXTENSIONS.map((ext) => stem + ext).find((p) => p !== path && ctx.specFileExists(p));
}

/**
 * The existing module file a misspelled path means, from the names near it: each folder of the
 * path that does not exist is replaced by the closest one in its parent, then the file name by
 * the closest module file (`./servces/cahce.ts` -> `./services/cache.ts`).
 */
function suggestNearby(ctx: CheckContext, path: string): string | undefined {
  const segments = path.split("/");
  let prefix = "";
  // `.` and `..` at the start are kept as written: they say where to look, not what to find.
  while (segments.length > 0 && (segments[0] === "." || segments[0] === "..")) prefix += `${segments.shift()}/`;
  for (let i = 0; i < segments.length; i++) {
    const isFile = i === segments.length - 1;
    const segment = segments[i]!;
    const candidate = prefix + segment;
    const kind = ctx.specPathKind(candidate);
    if (isFile ? kind !== "file" : kind !== "directory") {
      const entries = ctx.specDirectoryEntries(prefix === "" ? "." : prefix);
      const wanted = entries.filter((e) => (isFile ? MODULE_EXTENSIONS.includes(extname(e)) : extname(e) === "" || ctx.specPathKind(prefix + e) === "directory"));
      const closest = findClosest(segment, wanted);
      if (closest === undefined) return undefined;
      segments[i] = closest;
    }
    prefix += isFile ? segments[i]! : `${segments[i]!}/`;
  }
  return prefix !== path && ctx.specFileExists(prefix) ? prefix : undefined;
}

/** The project's folder as the spec sees it: "." or "../..", never an absolute path of the host. */
function describeProject(ctx: CheckContext): string {
  return relative(resolve(ctx.options.specDir), ctx.projectRoot).split(sep).join("/") || ".";
}

function isTerminated(ctx: CheckContext, literal: StringLit): boolean {
  return literal.span.end - literal.span.start >= 2 && ctx.spec.source.charAt(literal.span.end - 1) === '"';
}

/** Reports what is wrong with a relative module path, if anything: each path gets one error at most. */
function checkModuleFile(ctx: CheckContext, serviceId: string, path: StringLit, accept: Accept): void {
  const kind = ctx.specPathKind(path.value);
  if (kind === "missing") {
    const existing = suggestExisting(ctx, path.value) ?? suggestNearby(ctx, path.value);
    accept(M.moduleNotFound, path.span, [path.value], {
      hint: existing !== undefined ? H.didYouMean(existing) : H.modulePathsAreRelative(),
    });
  } else if (!ctx.specPathInsideProject(path.value)) {
    accept(M.moduleOutsideProject, path.span, [path.value, describeProject(ctx)], { hint: H.keepModulesInProject() });
  } else if (kind !== "file") {
    const index = kind === "directory" ? suggestExisting(ctx, `${path.value.replace(/\/+$/, "")}/index`) : undefined;
    accept(M.moduleNotAFile, path.span, [path.value, kind], {
      hint: index !== undefined ? H.didYouMean(index) : H.nameTheModuleFile(),
    });
  } else if (!MODULE_EXTENSIONS.includes(extname(path.value))) {
    const existing = suggestExisting(ctx, path.value);
    accept(M.moduleExtension, path.span, [path.value, extname(path.value), MODULE_EXTENSIONS], {
      hint: existing !== undefined ? H.didYouMean(existing) : H.writeAModuleFile(MODULE_EXTENSIONS),
    });
  } else checkStartExport(ctx, serviceId, path, accept);
}

const checkMissingModule: Check = {
  name: "missing module",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      if (block.kind !== "service" || block.settings.some((s) => s.kind === "module" || s.kind === "exec")) return;
      accept(M.missingModule, block.name.span, [block.name.text], {
        hint: looksLikeProcess(block)
          ? H.addExec()
          : H.addModuleOrExec(block.name.text),
      });
    });
  },
};

/**
 * The first character of a path that an import, which reads its path as a URL, would not take
 * as the file system does: TypeScript finds the file by its name, Node.js by the URL, so no way of
 * writing the import works for both (`%23` is not found by tsc, `#` cuts the path for Node.js).
 * The checks and the run must name the same file, so such a path is refused. Control characters
 * come back written as `\u000a`.
 */
export function findUrlCharacter(path: string): string | undefined {
  const match = /[#?%\u0000-\u001f\u007f]/.exec(path);
  return match === null ? undefined : showControls(match[0]);
}

/** Control characters as `\u000a`, so that a message stays on one line. */
export function showControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const checkModulePaths: Check = {
  name: "module paths",
  tier: "local",
  keepsModel: true,
  run(ctx, accept) {
    const ids = new Map(ctx.tree.nodes.map((node) => [node.block, node.id]));
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "module") continue;
        const path: StringLit = s.path;
        if (!isRelativeModulePath(path.value)) {
          const hint =
            path.value === "" || isAbsolute(path.value) || path.value.includes("\\")
              ? H.writeRelativeModulePath()
              : H.prefixDotSlash(path.value);
          accept(M.moduleNotRelative, path.span, [path.value], { hint });
          continue;
        }
        // The import resolves '\' as '/', so the file checked here would not be the one imported.
        if (path.value.includes("\\")) {
          accept(M.moduleBackslash, path.span, [path.value], { hint: H.writeRelativeModulePath() });
          continue;
        }
        const unsafe = findUrlCharacter(path.value);
        if (unsafe !== undefined) {
          accept(M.moduleUrlCharacter, path.span, [showControls(path.value), unsafe], { hint: H.renameForImport() });
          continue;
        }
        // An unterminated string has its error (SUP1002) and a value that runs to the end of the
        // line: judging it as a file would only add noise.
        if (isTerminated(ctx, path)) checkModuleFile(ctx, ids.get(block) ?? block.name.text, path, accept);
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkMissingModule, checkModulePaths];
