// `npm test`: type-check the repository, then run every uvu suite (tests, golden files, the
// generated suites of the examples and fixtures) in one tsx process, and end with a plain
// "N passed, N failed" line. uvu must run through tsx because chevrotain is ESM-only.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (pkg, path) => join(root, "node_modules", pkg, path);

function run(label, args) {
  process.stdout.write(`\n> ${label}\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  process.stdout.write(result.stdout ?? "");
  return result;
}

const typecheck = run("tsc -p . (strict)", [bin("typescript", "bin/tsc"), "-p", "."]);
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

// Test files live in test/ and next to generated code in examples/*/gen/.
const pattern = String.raw`^(test|examples)[\\/].*\.test\.ts$`;
const uvu = run("uvu (through tsx)", ["--import", "tsx", bin("uvu", "bin.js"), ".", pattern, "--ignore", "node_modules|\\.gen-tmp|dist"]);
const plain = (uvu.stdout ?? "").replace(/\x1b\[[0-9;]*m/g, "");
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
process.stdout.write(`\n${passed} passed, ${total - passed} failed\n`);
process.exit(uvu.status === 0 && total > 0 && passed === total ? 0 : 1);
