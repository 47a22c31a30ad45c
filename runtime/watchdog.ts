// `import "supervise/runtime/watchdog"`: the generated main.ts imports this first, so that the
// watchdog's thread boots while the app's modules load and is listening before the first service
// starts (runtime/host/watchdog.ts says why that matters). A process that never runs an app pays
// for an idle thread that does not keep it alive. SUPERVISE_WATCHDOG=off starts nothing, and
// `runMain` without this import starts the thread itself, next to the start.
import { prepareWatchdogThread } from "./host/watchdog.ts";
import { readWatchdog } from "./main/main-options.ts";

const choice = readWatchdog(process.env);
// A value that means nothing is reported by runMain, which then does not run: nothing to start.
if ("settings" in choice && choice.settings !== false) prepareWatchdogThread();
