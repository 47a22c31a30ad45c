// `supervise deploy systemd`: a unit whose stop sends the spec's first signal to node alone
// (KillMode=mixed: the app stops its own programs in order; SIGKILL reaches what is left), waits
// the whole grace (TimeoutStopSec), and restarts the app only when it exits with a failure, that
// is once its own supervisors have given up (Restart=on-failure), so systemd never fights them.
import { describeWait, type PlatformSettings } from "./platform-settings.ts";
import type { DeployOptions } from "./deploy-options.ts";

export type UnitSection = readonly [name: string, entries: readonly (readonly [key: string, value: string])[]];

/** One word of a command line as systemd reads it: quoted when it holds a space or a quote; '%' doubled (specifiers). */
function quoteWord(word: string): string {
  const escaped = word.replace(/%/g, "%%");
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A value other than a command line: '%' doubled, no line break. */
function plainValue(value: string): string {
  return value.replace(/%/g, "%%").replace(/[\r\n]+/g, " ");
}

export function buildUnit(settings: PlatformSettings, options: DeployOptions): UnitSection[] {
  const workdir = options.workdir ?? `/srv/${settings.app}`;
  return [
    [
      "Unit",
      [
        ["Description", plainValue(`${settings.app} (supervised by supervise)`)],
        ["After", "network-online.target"],
        ["Wants", "network-online.target"],
        // Five failed runs within ten minutes: the app's own restarts have already failed, stop trying.
        ["StartLimitIntervalSec", "600"],
        ["StartLimitBurst", "5"],
      ],
    ],
    [
      "Service",
      [
        ["Type", "exec"],
        ["WorkingDirectory", plainValue(workdir)],
        ["Environment", "NODE_ENV=production"],
        ["ExecStart", [options.node, options.main].map(quoteWord).join(" ")],
        ["KillSignal", settings.stopSignal],
        ["KillMode", "mixed"],
        ["TimeoutStopSec", `${settings.waitSeconds}s`],
        ["TimeoutStartSec", `${Math.ceil(settings.startMs / 1000)}s`],
        ["Restart", "on-failure"],
        ["RestartSec", "5s"],
      ],
    ],
    ["Install", [["WantedBy", "multi-user.target"]]],
  ];
}

export function renderUnit(sections: readonly UnitSection[], comments: readonly string[]): string {
  const lines = comments.map((c) => `# ${c}`);
  for (const [name, entries] of sections) {
    lines.push("", `[${name}]`, ...entries.map(([key, value]) => `${key}=${value}`));
  }
  return `${lines.join("\n")}\n`;
}

export function renderSystemd(settings: PlatformSettings, options: DeployOptions): string {
  return renderUnit(buildUnit(settings, options), [
    options.header,
    `TimeoutStopSec ${settings.waitSeconds}s: ${describeWait(settings)}.`,
  ]);
}
