// `npm run demo`: compile the bundled example, run it, send it a request and then SIGTERM, and
// show the lifecycle output and the exit code. Uses the built CLI, as a user would.
import { spawn, spawnSync } from "node:child_process";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const spec = join("examples", "shop", "shop.sup");
const outDir = join("examples", "shop", "gen");

function step(text) {
  process.stdout.write(`\n\x1b[1m$ ${text}\x1b[0m\n`);
}

step(`supervise compile ${spec} --out ${outDir}`);
const compile = spawnSync(process.execPath, [join(root, "dist", "cli.js"), "compile", spec, "--out", outDir], {
  cwd: root,
  stdio: "inherit",
});
if (compile.status !== 0) process.exit(compile.status ?? 1);

step(`node --import tsx ${outDir}/main.ts   (SIGTERM follows once it is up)`);
const child = spawn(process.execPath, ["--import", "tsx", join(outDir, "main.ts")], {
  cwd: root,
  stdio: ["ignore", "inherit", "pipe"],
  env: { ...process.env, SHOP_PORT: "0" },
});

let output = "";
let signalled = false;
child.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  output += chunk.toString();
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
  if (!signalled && url && /\bstarted\b.*\d+ services?|all .*started|is up/i.test(output)) {
    signalled = true;
    exercise(url);
  }
});

function exercise(url) {
  // Real requests through api -> cache/db -> mailer, then a slow one that is still in flight when
  // the signal arrives: the api drains it (answers it) before it closes.
  send("GET", `${url}/products/2`, undefined, (reply) => {
    process.stdout.write(`GET /products/2 -> ${reply}\n`);
    send("POST", `${url}/orders`, JSON.stringify({ productId: 2, email: "ada@example.com" }), (order) => {
      process.stdout.write(`POST /orders -> ${order}\n`);
      send("GET", `${url}/slow?ms=5000`, undefined, (slow) => process.stdout.write(`GET /slow (in flight at SIGTERM) -> ${slow}\n`));
      setTimeout(() => {
        process.stdout.write(`\n\x1b[1m$ kill -TERM ${child.pid}\x1b[0m\n`);
        child.kill("SIGTERM");
      }, 300);
    });
  });
}

function send(method, url, body, onReply) {
  const req = request(url, { method, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
    let text = "";
    res.on("data", (c) => (text += c));
    res.on("end", () => onReply(`${res.statusCode} ${text.trim()}`));
  });
  req.on("error", (e) => process.stdout.write(`${method} ${url} failed: ${e.message}\n`));
  req.end(body);
}

const watchdog = setTimeout(() => {
  if (!signalled) {
    process.stdout.write("\nthe example did not report that it was up within 20s; sending SIGTERM\n");
    child.kill("SIGTERM");
  }
}, 20000);

child.on("exit", (code, signal) => {
  clearTimeout(watchdog);
  process.stdout.write(`\n\x1b[1mexit code: ${code ?? `killed by ${signal}`}\x1b[0m\n`);
  process.exit(code === 0 ? 0 : 1);
});
