// Where things may be written. The grammar parses every setting in every block, so that a
// misplaced one gets "'grace' is only allowed in the app block" instead of a syntax error.
import type { Block, BlockKind, SettingKind } from "../language/ast.ts";
import { describeBlock, forEachBlock, type Check } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";

type PlacedKind = SettingKind | "shutdown";

const ALLOWED: Readonly<Record<PlacedKind, readonly BlockKind[]>> = {
  grace: ["app"],
  signals: ["app"],
  strategy: ["app", "supervisor"],
  intensity: ["app", "supervisor"],
  shutdown: ["app", "supervisor"],
  module: ["service"],
  "start-timeout": ["service"],
  "stop-timeout": ["service", "supervisor"],
  restart: ["service", "supervisor"],
  needs: ["service", "supervisor"],
  deploy: ["app"],
  exec: ["service"],
  "stop-signal": ["service"],
  "ready-when": ["service"],
  env: ["service"],
  cwd: ["service"],
  // On the app and a supervisor: the delay before restarting its children; on a service: its own.
  backoff: ["app", "supervisor", "service"],
};

/** How a setting is written: `stop timeout` for "stop-timeout". */
export function settingWords(kind: PlacedKind): string {
  return kind.replace("-", " ");
}

export function isAllowed(kind: PlacedKind, block: BlockKind): boolean {
  return ALLOWED[kind].includes(block);
}

function describeAllowed(kind: PlacedKind): string {
  const names = ALLOWED[kind].map((k) => (k === "app" ? "the app block" : `a ${k}`));
  return names.join(" or ");
}

/** Settings that may appear more than once: each `needs` or `env` line adds to the list. */
const REPEATABLE: ReadonlySet<PlacedKind> = new Set(["needs", "env"]);

const checkSettingPlacement: Check = {
  name: "setting placement",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of [...block.settings, ...block.shutdowns]) {
        if (!isAllowed(s.kind, block.kind)) accept(M.misplacedSetting, s.keywordSpan, [settingWords(s.kind), describeAllowed(s.kind)]);
      }
    });
  },
};

const checkBlockPlacement: Check = {
  name: "block placement",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block, parent) => {
      if (parent === undefined) return;
      if (block.kind === "app") {
        accept(M.misplacedBlock, block.keywordSpan, [`an app block cannot be nested inside ${describeBlock(parent)}`], {
          hint: "use 'supervisor' for a nested group of services",
        });
      } else if (parent.kind === "service") {
        accept(M.misplacedBlock, block.keywordSpan, [`${describeBlock(parent)} cannot contain ${block.kind}s`], {
          hint: `to group services, make '${parent.name.text}' a supervisor`,
        });
      }
    });
  },
};

const checkDuplicateSettings: Check = {
  name: "duplicate settings",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block: Block) => {
      const first = new Map<PlacedKind, Block["settings"][number]>();
      for (const s of block.settings) {
        if (REPEATABLE.has(s.kind) || !isAllowed(s.kind, block.kind)) continue;
        const earlier = first.get(s.kind);
        if (earlier === undefined) {
          first.set(s.kind, s);
          continue;
        }
        accept(M.duplicateSetting, s.keywordSpan, [settingWords(s.kind), describeBlock(block)], {
          related: [{ message: `the first '${settingWords(s.kind)}' is here`, span: earlier.keywordSpan }],
        });
      }
      if (isAllowed("shutdown", block.kind)) {
        const [firstShutdown, ...more] = block.shutdowns;
        for (const extra of more) {
          accept(M.multipleShutdowns, extra.keywordSpan, [describeBlock(block)], {
            related: [{ message: "the first 'shutdown' is here", span: firstShutdown!.keywordSpan }],
            hint: "list all phases in one line: 'shutdown a -> b, c'",
          });
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkSettingPlacement, checkBlockPlacement, checkDuplicateSettings];
