// The long fuzz run's worker (scripts/fuzz.ts): examines each spec it is sent and answers with the
// finding, if any, the generated files of an accepted spec, and how long the front end took.
import { parentPort } from "node:worker_threads";
import { examineSpec } from "./property.ts";

// Warm up (the first spec would otherwise pay for loading the compiler and JIT-compiling it).
for (let i = 0; i < 5; i++) examineSpec(`app a { service s { module "./m.ts" } service t { exec "node a|b" needs s, q } }`);

parentPort!.on("message", (source: string) => {
  const start = performance.now();
  const examined = examineSpec(source);
  parentPort!.postMessage({ ...examined, ms: performance.now() - start });
});
