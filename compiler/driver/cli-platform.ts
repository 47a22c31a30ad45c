// The CLI's platform commands, apart from cli.ts: `deploy <platform> <spec>` and what
// `check --against` prints. Each returns the exit code; diagnostics go through the CLI's `report`.
import type { Platform } from "../language/vocabulary.ts";
import { DEFAULT_MAIN, DEFAULT_NODE } from "../platform/deploy-options.ts";
import type { Analysis } from "./api.ts";
import { deploySpecFile } from "./platform-api.ts";

export interface DeployArgs {
  readonly spec: string;
  readonly platform: Platform;
  readonly out: string | undefined;
  readonly image: string | undefined;
  readonly main: string | undefined;
  readonly node: string | undefined;
  readonly workdir: string | undefined;
}

type Report = (analysis: Pick<Analysis, "diagnostics" | "sources">) => number;

/** Prints the file (or writes it with --out), then the notes; exit 1 for an error note or errors in the spec. */
export function runDeploy(args: DeployArgs, report: Report): number {
  const result = deploySpecFile(args.spec, args.platform, {
    out: args.out,
    image: args.image,
    main: args.main ?? DEFAULT_MAIN,
    node: args.node ?? DEFAULT_NODE,
    workdir: args.workdir,
  });
  const code = report(result);
  const deployment = result.deployment;
  if (deployment === undefined) return code;
  for (const note of deployment.notes) process.stderr.write(`${args.spec}: ${note.severity}: ${note.text}\n`);
  if (deployment.notes.some((n) => n.severity === "error")) return 1;
  if (result.written !== undefined) process.stderr.write(`${result.written}: written\n`);
  else process.stdout.write(deployment.text);
  return code;
}
