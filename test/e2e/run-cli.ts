// Runs the built CLI (dist/cli.js, what `npx supervise` runs) as a user would, for the e2e suites.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../golden/specs.ts";

export const CLI = join(REPO_ROOT, "dist", "cli.js");

export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", ...env } });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
