// Where things may be written. The grammar parses every setting in every block, so that a
// misplaced one gets "'grace' is only allowed in the app block" instead of a syntax error.
import type { Block } from "../language/ast.ts";
import { isAllowed, SETTINGS, settingWords, type PlacedKind } from "../language/vocabulary.ts";
import { describeBlock, forEachBlock, type Check } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";

function describeAllowed(kind: PlacedKind): string {
  const names = SETTINGS[kind].blocks.map((k) => (k === "app" ? "the app block" : `a ${k}`));
  return names.join(" or ");
}

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
          hint: H.useSupervisorToNest(),
        });
      } else if (parent.kind === "service") {
        accept(M.misplacedBlock, block.keywordSpan, [`${describeBlock(parent)} cannot contain ${block.kind}s`], {
          hint: H.makeItASupervisor(parent.name.text),
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
        if (SETTINGS[s.kind].repeatable || !isAllowed(s.kind, block.kind)) continue;
        const earlier = first.get(s.kind);
        if (earlier === undefined) {
          first.set(s.kind, s);
          continue;
        }
        accept(M.duplicateSetting, s.keywordSpan, [settingWords(s.kind), describeBlock(block)], {
          related: [{ message: N.firstSettingHere(settingWords(s.kind)), span: earlier.keywordSpan }],
        });
      }
      if (isAllowed("shutdown", block.kind)) {
        const [firstShutdown, ...more] = block.shutdowns;
        for (const extra of more) {
          accept(M.multipleShutdowns, extra.keywordSpan, [describeBlock(block)], {
            related: [{ message: N.firstSettingHere("shutdown"), span: firstShutdown!.keywordSpan }],
            hint: H.oneShutdownLine(),
          });
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkSettingPlacement, checkBlockPlacement, checkDuplicateSettings];
