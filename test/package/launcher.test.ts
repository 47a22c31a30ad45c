// The warning a generated program prints when npm or npx started it: when it fires (only for the
// program npm's script names, never in a terminal), and what it tells the user to run instead.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { detectLauncher, type LaunchContext } from "../../runtime/main/launcher-warning.ts";

const test = suite("package: started through npm or npx");
const NPM = "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false";

function context(env: Record<string, string>, entry = "/srv/app/dist/gen/main.js", interactive = false): LaunchContext {
  return { env, entry, cwd: "/srv/app", interactive };
}

test("npm start running the built app: the launcher and plain node as the fix", () => {
  const warning = detectLauncher(context({ npm_lifecycle_event: "start", npm_lifecycle_script: "node dist/gen/main.js", npm_config_user_agent: NPM }));
  assert.is(warning?.launcher, "npm start");
  assert.is(warning?.fix, "node dist/gen/main.js");
  assert.match(warning!.message, /^started through npm start, which does not pass a stop signal on reliably: SIGTERM would end npm and leave this app running/);
  assert.match(warning!.message, /CMD \["node", "dist\/gen\/main\.js"\], under --init or tini/);
});

test("npx and npm run, on TypeScript sources: node --import tsx as the fix", () => {
  const npx = detectLauncher(context({ npm_lifecycle_event: "npx", npm_lifecycle_script: "tsx gen/main.ts", npm_config_user_agent: NPM }, "/srv/app/gen/main.ts"));
  assert.equal([npx?.launcher, npx?.fix], ["npx", "node --import tsx gen/main.ts"]);
  const run = detectLauncher(context({ npm_lifecycle_event: "serve", npm_lifecycle_script: "supervise compile service.sup && tsx gen/main.ts", npm_config_user_agent: NPM }, "/srv/app/gen/main.ts"));
  assert.is(run?.launcher, "npm run serve");
  const yarn = detectLauncher(context({ npm_lifecycle_event: "start", npm_lifecycle_script: "node dist/gen/main.js", npm_config_user_agent: "yarn/1.22.22 npm/? node/v20.20.2" }));
  assert.is(yarn?.launcher, "yarn run start");
});

test("quiet when npm's script runs something else that starts the app (a test runner)", () => {
  assert.is(detectLauncher(context({ npm_lifecycle_event: "test", npm_lifecycle_script: "npm run build && node scripts/test.mjs", npm_config_user_agent: NPM })), undefined);
});

test("quiet without npm, in a terminal (Ctrl-C reaches the whole group), or without an entry file", () => {
  assert.is(detectLauncher(context({})), undefined);
  assert.is(detectLauncher(context({ npm_lifecycle_event: "start", npm_lifecycle_script: "node dist/gen/main.js" }, undefined, true)), undefined);
  assert.is(detectLauncher({ env: { npm_lifecycle_event: "start", npm_lifecycle_script: "node main.js" }, entry: undefined, cwd: "/", interactive: false }), undefined);
  assert.is(detectLauncher(context({ npm_lifecycle_event: "", npm_lifecycle_script: "node dist/gen/main.js" })), undefined);
});

test("an entry outside the working directory is shown absolute, quoted when it must be", () => {
  const warning = detectLauncher({ env: { npm_lifecycle_event: "start", npm_lifecycle_script: "node '/opt/my app/main.js'" }, entry: "/opt/my app/main.js", cwd: "/srv", interactive: false });
  assert.is(warning?.fix, "node '/opt/my app/main.js'");
});

test.run();
