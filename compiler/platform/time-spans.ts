// The duration syntaxes of the platforms, read into milliseconds: compose's (Go's
// time.ParseDuration: `1m30s`, `500ms`) and systemd's (systemd.time(7): `90`, `1min 30s`,
// `infinity`). A value neither reads is undefined: the check says nothing rather than guess.

const GO_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseComposeDuration(value: string | number): number | undefined {
  if (typeof value === "number") return value * 1_000; // a bare number of seconds, as compose reads it
  const text = value.trim();
  if (text === "0") return 0;
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * GO_UNITS[p[2]!]!, 0);
}

const SYSTEMD_UNITS: readonly (readonly [readonly string[], number])[] = [
  [["usec", "us", "µs"], 1e-3],
  [["msec", "ms"], 1],
  [["seconds", "second", "sec", "s"], 1_000],
  [["minutes", "minute", "min", "m"], 60_000],
  [["hours", "hour", "hr", "h"], 3_600_000],
  [["days", "day", "d"], 86_400_000],
  [["weeks", "week", "w"], 604_800_000],
];

export function parseSystemdTimeSpan(value: string): number | undefined {
  const text = value.trim();
  if (text === "infinity") return Infinity;
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(text)) return Number(text) * 1_000;
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)\s*([a-zµ]+)\s*/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("").trim() !== text) return undefined;
  let sum = 0;
  for (const p of parts) {
    const unit = SYSTEMD_UNITS.find(([names]) => names.includes(p[2]!));
    if (unit === undefined) return undefined;
    sum += Number(p[1]) * unit[1];
  }
  return sum;
}
