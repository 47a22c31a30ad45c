// The language example from docs/language.md, shared by the front-end tests.
export const EXAMPLE = `// line comments and /* block comments */
app shop {
  grace 30s                // budget for the whole shutdown after the first signal
  signals SIGTERM, SIGINT  // start a graceful shutdown; a second signal forces exit
  strategy one_for_one     // one_for_one | one_for_all | rest_for_one
  intensity 5 per 60s      // at most 5 restarts in 60s, else this supervisor fails

  service db {
    module "./services/db.ts"  // path relative to this file; the module exports start()
    start timeout 5s
    stop timeout 10s
    restart permanent  // permanent | transient | temporary
  }

  service cache { module "./services/cache.ts"  stop timeout 2s }

  supervisor workers {  // a nested supervisor: its own strategy and intensity
    strategy one_for_all
    intensity 3 per 10s
    needs db
    service mailer { module "./services/mailer.ts" }
    service indexer { module "./services/indexer.ts"  needs cache }
  }

  service api {
    module "./services/api.ts"
    needs db, cache, workers
    stop timeout 15s
  }

  shutdown api -> workers -> cache, db  // optional: phases left to right, commas run in parallel
}
`;

/** Options for analyzeSpec where every module exists. */
export const ALL_FILES_EXIST = { specDir: "/spec", fileExists: (): boolean => true };
