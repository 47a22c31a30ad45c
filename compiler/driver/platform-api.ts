// The platform commands behind the CLI: `deploy <platform> <spec>` writes the platform's settings
// derived from the spec, and `check <spec> --against FILE...` reports what existing deployment
// files say against it, located in those files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import type { Platform } from "../language/vocabulary.ts";
import { renderDeployment, type Deployment } from "../platform/deploy.ts";
import { DEPLOY_MARK, deployHeader, type DeployOptions } from "../platform/deploy-options.ts";
import { checkDeploymentFile } from "../platform/drift.ts";
import { checkSpecFile, type Analysis } from "./api.ts";
import { IoError, withIoErrors } from "./usage-errors.ts";

export interface DeployResult extends Analysis {
  /** Undefined when the spec has errors. */
  readonly deployment: Deployment | undefined;
  /** Where it was written, with `--out`. */
  readonly written: string | undefined;
}

export type DeployRequest = Omit<DeployOptions, "header"> & { readonly out?: string | undefined };

export function deploySpecFile(specPath: string, platform: Platform, request: DeployRequest): DeployResult {
  const analysis = checkSpecFile(specPath);
  if (analysis.app === undefined || hasErrors(analysis.diagnostics)) return { ...analysis, deployment: undefined, written: undefined };
  const header = deployHeader(specPath.split(/[\\/]/).pop()!);
  const deployment = renderDeployment(analysis.app, platform, { ...request, header });
  if (request.out === undefined || deployment.notes.some((n) => n.severity === "error")) return { ...analysis, deployment, written: undefined };
  const target = join(request.out, deployment.fileName);
  withIoErrors("write", target, () => {
    // A file deploy did not write (no header) is the user's: never replace it.
    if (existsSync(target) && !readFileSync(target, "utf8").includes(DEPLOY_MARK)) {
      throw new IoError(`refusing to overwrite '${target}': it was not written by supervise deploy; move it away or choose another --out`);
    }
    mkdirSync(request.out!, { recursive: true });
    writeFileSync(target, deployment.text);
  });
  return { ...analysis, deployment, written: target };
}

/** The spec's analysis, then every file's contradictions, all in one list with every source for rendering. */
export function checkAgainstFiles(specPath: string, files: readonly string[], target?: string): Analysis {
  const analysis = checkSpecFile(specPath);
  const specName = [...analysis.sources.keys()][0]!;
  if (analysis.app === undefined || hasErrors(analysis.diagnostics)) return analysis;
  const sources = new Map(analysis.sources);
  const diagnostics = [...analysis.diagnostics];
  for (const file of files) {
    const text = withIoErrors("read", file, () => readFileSync(file, "utf8"));
    sources.set(file, text);
    diagnostics.push(...checkDeploymentFile(analysis.app, specName, file, text, target));
  }
  return { diagnostics, sources, app: analysis.app };
}
