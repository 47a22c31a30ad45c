// The top-level `--help` shows every command's own options (other than help and the global
// ones): a user should not have to know that `check --help` exists to find `--format json`.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../e2e/run-cli.ts";

const test = suite("supervise --help");

/** The long options a help text lists in its options table. */
function optionsIn(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

test("every command's options are named in the top-level help, with each command", () => {
  const top = runCli(["--help"]);
  assert.is(top.status, 0);
  const global = optionsIn(top.stdout);
  const commands = [...top.stdout.matchAll(/^ {2}supervise (\w+)/gm)].map((m) => m[1]!);
  assert.ok(commands.includes("compile") && commands.includes("check") && commands.includes("lsp"), top.stdout);
  // One command's entry runs from its name to the next command (or the options table).
  const entries = top.stdout.slice(top.stdout.indexOf("Commands:"), top.stdout.indexOf("Options:")).split(/\n(?= {2}supervise )/);
  for (const command of commands) {
    const entry = entries.find((e) => e.trimStart().startsWith(`supervise ${command}`)) ?? "";
    const own = optionsIn(runCli([command, "--help"]).stdout).filter((o) => !global.includes(o));
    for (const option of own) assert.ok(entry.includes(option), `'supervise --help' names ${option} for ${command}:\n${entry}`);
  }
  assert.ok(commands.length >= 9, `every command is listed: ${commands.join(", ")}`);
  assert.match(top.stdout, /check <spec>\s+Run every check without generating\s+anything\s+\[--format text\|json\]/);
});

test.run();
