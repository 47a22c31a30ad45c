// Services and their module files. The file system is reached only through the injected
// `fileExists`, so tests run on strings and the checks never touch anything but module paths.
import { isAbsolute } from "node:path";
import type { StringLit } from "../language/ast.ts";
import { forEachBlock, type Check, type CheckContext } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { looksLikeProcess } from "./process.ts";

function isRelativeModulePath(path: string): boolean {
  return path.startsWith("./") || path.startsWith("../");
}

/** `./services/db.ts` for `./services/db` or `./services/db.js`, when that file exists. */
function suggestExisting(ctx: CheckContext, path: string): string | undefined {
  const stem = path.replace(/\.(ts|mts|js|mjs)$/, "");
  return [".ts", ".mts", ".js", ".mjs"].map((ext) => stem + ext).find((p) => p !== path && ctx.specFileExists(p));
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

const checkModulePaths: Check = {
  name: "module paths",
  tier: "local",
  keepsModel: true,
  run(ctx, accept) {
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
        if (!ctx.specFileExists(path.value)) {
          const existing = suggestExisting(ctx, path.value);
          accept(M.moduleNotFound, path.span, [path.value], {
            hint: existing !== undefined ? H.didYouMean(existing) : H.modulePathsAreRelative(),
          });
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkMissingModule, checkModulePaths];
