// Every benchmark module runs at its --quick sizes and produces sane numbers: tables with rows
// of the right width, durations and ratios that are positive and finite. Timing targets are
// never asserted here; they belong to `npm run bench` and docs/benchmarks.md.
import { rmSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { BenchReport, Cell, Column } from "../../bench/harness.ts";
import { BENCH_WORK } from "../../bench/paths.ts";
import { formatReport } from "../../bench/print.ts";
import { BENCHMARKS } from "../../bench/registry.ts";

const smoke = suite("benchmarks at --quick sizes");

function checkCell(cell: Cell, column: Column, where: string): void {
  if (cell === undefined) return; // printed "-": a figure that does not apply to this row
  if (column.unit === "text") {
    assert.type(cell, "string", where);
    assert.ok((cell as string).length > 0, `${where}: empty text`);
    return;
  }
  if (typeof cell === "string") {
    // The only word a figure may be replaced by: the AbortController chain overflowing the stack.
    assert.match(cell, /^overflow/, `${where}: "${cell}" instead of a number`);
    return;
  }
  assert.ok(Number.isFinite(cell), `${where}: ${cell} is not finite`);
  if (column.unit === "ms" || column.unit === "ratio" || column.unit === "count") assert.ok(cell > 0, `${where}: ${cell} must be positive`);
}

function checkReport(name: string, report: BenchReport): void {
  assert.ok(report.tables.length > 0, `${name}: no table`);
  for (const table of report.tables) {
    assert.ok(table.columns.length > 1, `${name}: table without columns`);
    assert.ok(table.rows.length > 0, `${name}: "${table.title}" has no rows`);
    table.rows.forEach((row, r) => {
      assert.is(row.length, table.columns.length, `${name}: row ${r} of "${table.title}" has the wrong width`);
      row.forEach((cell, c) => checkCell(cell, table.columns[c]!, `${name}: "${table.title}" row ${r}, ${table.columns[c]!.title}`));
    });
  }
  for (const target of report.targets) assert.ok(target.target.length > 0 && target.actual.length > 0, `${name}: empty target line`);
  assert.ok(formatReport(name, report).includes("|"), `${name}: the report does not print`);
}

for (const bench of BENCHMARKS) {
  smoke(`${bench.name} produces sane figures`, async () => {
    checkReport(bench.name, await bench.run({ quick: true }));
  });
}

smoke.after(() => rmSync(BENCH_WORK, { recursive: true, force: true }));

smoke.run();
