// The settings table of docs/language.md, rendered from the vocabulary so that the documentation
// cannot drift from what the checks and the model do (test/front-end/docs.test.ts compares it;
// `UPDATE_GOLDEN=1 npm run test:unit` writes it into the document after review).
import { formatDuration } from "./literals.ts";
import { PLACED_KINDS, SETTINGS, type DefaultSpec, type SettingSpec, type ValueKind } from "./vocabulary.ts";

const HEADER = ["| Setting | Allowed in | Default | Where the default comes from |", "|---|---|---|---|"];

/** A default value as a spec would write it: `30s`, `1 per 5s`, `SIGTERM, SIGINT`. */
function showValue(kind: ValueKind, value: unknown): string {
  switch (kind) {
    case "duration":
      return formatDuration(value as number);
    case "intensity": {
      const { max, periodMs } = value as { max: number; periodMs: number };
      return `${max} per ${formatDuration(periodMs)}`;
    }
    case "shutdown-signals":
      return (value as readonly string[]).join(", ");
    default:
      return String(value);
  }
}

/** How docs and editors show a default: `30s`, or its description ("required"). */
export function showDefault(spec: SettingSpec, entry: DefaultSpec<unknown>): string {
  return entry.shown ?? `\`${showValue(spec.value, entry.value)}\``;
}

/** `service with \`exec\``, `service (instead of \`module\`)`, `app, supervisor`. */
function describeBlocks(spec: SettingSpec, entry: DefaultSpec<unknown>): string {
  const blocks = entry.in.join(", ");
  if (spec.execOnly === true) return `${blocks} with \`${SETTINGS.exec.words}\``;
  if (spec.insteadOf !== undefined) return `${blocks} (instead of \`${SETTINGS[spec.insteadOf].words}\`)`;
  return blocks;
}

/** One row per default: a setting that defaults differently per block gets a row per block. */
export function renderSettingsTable(): string {
  const rows = PLACED_KINDS.flatMap((kind) => {
    const spec: SettingSpec = SETTINGS[kind];
    return spec.defaults.map((entry) => `| \`${spec.syntax}\` | ${describeBlocks(spec, entry)} | ${showDefault(spec, entry)} | ${entry.source} |`);
  });
  return [...HEADER, ...rows].join("\n") + "\n";
}
