// Process services: a service either runs a module (`module`) or a program (`exec`), and the
// settings that configure a program (`stop signal`, `ready when`, `env`, `cwd`) mean nothing for
// a module, which runs inside the supervisor's own process. Such a setting is an error rather
// than a warning: `env LOG_LEVEL "debug"` that silently does nothing is a bug found in production.
import type { Block, Name, Setting } from "../language/ast.ts";
import { findSetting, forEachBlock, type Accept, type Check } from "./context.ts";
import { didYouMean } from "../diagnostics/did-you-mean.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { EXEC_ONLY_KINDS, READY_SOURCES, settingWords, STOP_SIGNALS } from "../language/vocabulary.ts";
import { suggestSignal } from "./values.ts";

/** Job-control signals: a program that receives one pauses or resumes, it never exits. */
const UNSUITABLE_STOP: ReadonlyMap<string, string> = new Map([
  ["SIGSTOP", "it pauses the program, which then never exits"],
  ["SIGTSTP", "it pauses the program, which then never exits"],
  ["SIGTTIN", "it pauses the program, which then never exits"],
  ["SIGTTOU", "it pauses the program, which then never exits"],
  ["SIGCONT", "it resumes a paused program, it does not stop one"],
]);

/** The signals suggested for a misspelled name: the ones programs document for stopping. */
const COMMON_STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGKILL"];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isService(block: Block): boolean {
  return block.kind === "service";
}

function processSettingsOf(block: Block): Setting[] {
  return block.settings.filter((s) => EXEC_ONLY_KINDS.includes(s.kind));
}

const checkServiceKind: Check = {
  name: "module or exec",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      if (!isService(block)) return;
      const module = findSetting(block, "module");
      const exec = findSetting(block, "exec");
      if (module !== undefined && exec !== undefined) {
        const [first, second] = module.span.start < exec.span.start ? [module, exec] : [exec, module];
        accept(M.execAndModule, second.keywordSpan, [block.name.text], {
          related: [{ message: N.settingIsHere(first.kind), span: first.keywordSpan }],
          hint: H.keepModuleOrExec(),
        });
        return;
      }
      // Without either, SUP2010 already asks for one (and suggests 'exec' when these are present).
      if (module === undefined) return;
      for (const s of processSettingsOf(block)) {
        accept(M.processSettingWithoutExec, s.keywordSpan, [settingWords(s.kind), block.name.text], {
          hint: H.replaceModuleWithExec(),
        });
      }
    });
  },
};

/** True when the service has settings only a program can use: SUP2010 then suggests `exec`. */
export function looksLikeProcess(block: Block): boolean {
  return processSettingsOf(block).length > 0;
}

export function checkStopSignal(value: Name, accept: Accept): void {
  const name = value.text;
  const unsuitable = UNSUITABLE_STOP.get(name);
  if (unsuitable !== undefined) {
    accept(M.unsuitableStopSignal, value.span, [name, unsuitable], { hint: H.useGracefulStopSignal() });
    return;
  }
  if ((STOP_SIGNALS as readonly string[]).includes(name)) return;
  const suggestion = suggestSignal(name, STOP_SIGNALS, COMMON_STOP_SIGNALS);
  accept(M.unknownSignal, value.span, [name], {
    hint: suggestion !== undefined ? H.didYouMean(suggestion) : H.listCommonStopSignals(COMMON_STOP_SIGNALS),
  });
}

/** One setting at a time: stop signals, readiness sources, variable names. */
const checkProcessValues: Check = {
  name: "process setting values",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind === "stop-signal") checkStopSignal(s.value, accept);
        else if (s.kind === "ready-when" && !(READY_SOURCES as readonly string[]).includes(s.source.text)) {
          const hint =
            s.source.text === "stderr"
              ? H.mergeStderr()
              : (didYouMean(s.source.text, READY_SOURCES) ?? H.writeReadyWhen());
          accept(M.unknownReadySource, s.source.span, [s.source.text], { hint });
        } else if (s.kind === "env") {
          for (const v of s.vars) {
            if (ENV_NAME.test(v.name.text)) continue;
            accept(M.invalidEnvName, v.name.span, [v.name.text], {
              hint: H.useEnvNameCharacters(v.name.text.replace(/[^A-Za-z0-9_]/g, "_")),
            });
          }
        }
      }
    });
  },
};

/** Across all `env` lines of a block: each variable once. */
const checkDuplicateEnv: Check = {
  name: "duplicate environment variables",
  tier: "structure",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      const first = new Map<string, Name>();
      for (const s of block.settings) {
        if (s.kind !== "env") continue;
        for (const v of s.vars) {
          const earlier = first.get(v.name.text);
          if (earlier === undefined) first.set(v.name.text, v.name);
          else accept(M.duplicateEnv, v.name.span, [v.name.text], { related: [{ message: N.firstSetHere(), span: earlier.span }] });
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkServiceKind, checkProcessValues, checkDuplicateEnv];
