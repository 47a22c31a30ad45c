// The shop's HTTP api: a real node:http server on 127.0.0.1, port from SHOP_PORT (default 0, an
// ephemeral port, so tests and demos never collide). It starts last and stops first (shop.sup's
// `shutdown api -> ...`), so db, cache and workers are still up while it drains.
//
// Draining on stop: stop accepting connections, close idle keep-alive ones, let requests in flight
// answer (with `Connection: close`), and once the last response is out cut whatever is left. The
// drain needs no timer of its own because every handler waits only on cancellable things
// (`scope.sleep`, the request body) or on dependencies that are still up. If the runtime cancels us
// with a timeout reason there is no budget left, and every connection is cut at once.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiScope } from "../gen/types.ts";

const HOST = "127.0.0.1";
const PRODUCT_TTL_MS = 30_000;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_SLOW_MS = 60_000;
const PRODUCT_BY_ID = "SELECT id, name, price_cents FROM products WHERE id = $1";
const INSERT_ORDER = "INSERT INTO orders (product_id, email) VALUES ($1, $2) RETURNING id";

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(value) + "\n",
  headers: { "Content-Type": "application/json", ...headers },
});

export async function start(scope: ApiScope) {
  const { db, cache, workers } = scope.deps;
  const port = readPort(process.env["SHOP_PORT"]);
  let draining = false;
  let inFlight = 0;

  async function getProduct(id: number): Promise<Reply> {
    const key = `product:${id}`;
    const cached = cache.get(key);
    if (cached !== undefined) return { status: 200, body: cached + "\n", headers: { "Content-Type": "application/json", "X-Cache": "hit" } };
    const [row] = await db.query(PRODUCT_BY_ID, [id]);
    if (row === undefined) throw new HttpError(404, `no product ${id}`);
    cache.set(key, JSON.stringify(row), PRODUCT_TTL_MS);
    return json(200, row, { "X-Cache": "miss" });
  }

  async function placeOrder(req: IncomingMessage): Promise<Reply> {
    const input = await readJson(req, scope.signal);
    const usage = 'expected {"productId": <integer>, "email": "<address>"}';
    if (typeof input !== "object" || input === null || !("productId" in input) || !("email" in input)) throw new HttpError(400, usage);
    const { productId, email } = input;
    if (!Number.isInteger(productId) || typeof email !== "string" || !email.includes("@")) throw new HttpError(400, usage);
    // Orders read the database, not the cache: a confirmation must not quote a stale name or price.
    const [product] = await db.query(PRODUCT_BY_ID, [productId]);
    if (product === undefined) throw new HttpError(404, `no product ${productId}`);
    const [order] = await db.query(INSERT_ORDER, [productId, email]);
    if (order === undefined) throw new Error("the order insert returned no row");
    const orderId = order.id;
    // The order is committed either way; a mailer that is restarting must not turn it into a 5xx.
    let confirmation = "queued";
    try {
      workers.mailer.enqueue({ to: email, subject: `Order #${orderId}: ${product.name}`, body: `Thank you for your order.` });
    } catch (err) {
      confirmation = "not sent";
      scope.log(`order ${orderId}: confirmation not queued: ${describe(err)}`);
    }
    return json(201, { orderId, confirmation });
  }

  // Waits on the runtime's clock, so a stop cuts it short: the client gets a clean 503 instead of
  // a reset, and the drain does not wait out the full delay.
  async function slow(raw: string | null): Promise<Reply> {
    const ms = raw === null ? 1_000 : Number(raw);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS) throw new HttpError(400, `ms must be an integer from 0 to ${MAX_SLOW_MS}`);
    await scope.sleep(ms);
    if (scope.signal.aborted) return { status: 503, body: "interrupted by shutdown\n", headers: { "Retry-After": "1" } };
    return { status: 200, body: `slept ${ms} ms\n` };
  }

  function route(req: IncomingMessage): Promise<Reply> | Reply {
    const url = new URL(req.url ?? "/", "http://localhost");
    const product = /^\/products\/(\d{1,9})$/.exec(url.pathname);
    const get = req.method === "GET" || req.method === "HEAD";
    // While draining, health checks fail so that a load balancer stops routing here.
    if (get && url.pathname === "/health") return draining ? { status: 503, body: "draining" } : { status: 200, body: "ok" };
    if (get && product !== null) return getProduct(Number(product[1]));
    if (get && url.pathname === "/search") return json(200, workers.indexer.search(url.searchParams.get("q") ?? ""));
    if (get && url.pathname === "/slow") return slow(url.searchParams.get("ms"));
    if (req.method === "POST" && url.pathname === "/orders") return placeOrder(req);
    throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
  }

  function send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return; // cut by closeAllConnections: nobody to answer
    if (draining) res.setHeader("Connection", "close");
    res.writeHead(reply.status, { "Content-Type": "text/plain; charset=utf-8", ...reply.headers, "Content-Length": Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  function fail(req: IncomingMessage, err: unknown): Reply {
    if (err instanceof HttpError) return { status: err.status, body: err.message + "\n" };
    scope.log(`${req.method} ${req.url} failed: ${describe(err)}`);
    return { status: 500, body: "internal error\n" };
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => {
      inFlight--;
      // Once the last response is out, what is left is idle or half-received: nothing to wait for.
      if (draining && inFlight === 0) server.closeAllConnections();
    });
    new Promise<Reply>((resolve) => resolve(route(req))).catch((err: unknown) => fail(req, err)).then((reply) => send(res, reply));
  });

  scope.defer(async () => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const reason = scope.signal.reason;
    if (reason?.kind === "timeout") scope.log(`no time left to drain (${reason.budgetMs} ms budget): cutting all connections`);
    else if (inFlight > 0) scope.log(`draining ${inFlight} in-flight request(s)`);
    // With nothing in flight, what is still open is idle or half-received: nothing to wait for.
    if (reason?.kind === "timeout" || inFlight === 0) server.closeAllConnections();
    else server.closeIdleConnections();
    await closed;
    scope.log("http server closed");
  });

  // Listening only once the finalizer that closes the server is registered: a start cancelled
  // or failing while it waits for "listening" still closes it (close calls back even when the
  // server never listened).
  server.listen(port, HOST);
  await once(server, "listening"); // rejects on "error": EADDRINUSE and the like fail the start
  server.on("error", (err) => scope.log(`server error: ${describe(err)}`));

  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://${HOST}:${boundPort}`;
  scope.log(`listening on ${url}`);
  return { url, port: boundPort };
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`SHOP_PORT must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
  return port;
}

// Reads a JSON body of at most MAX_BODY_BYTES. An oversized body is read to its end and dropped,
// rather than destroying the request, so that the client still gets its 413. A stop ends the wait:
// Node's own request timeout is switched off by `server.close()`, so a client trickling its body
// would otherwise hold the drain until the runtime gives up on us.
function readJson(req: IncomingMessage, signal: AbortSignal): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.reject(new HttpError(413, "request body too large"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = (): void => reject(new HttpError(503, "shutting down"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      signal.removeEventListener("abort", onAbort);
      if (size > MAX_BODY_BYTES) return reject(new HttpError(413, "request body too large"));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new HttpError(400, "request body is not JSON"));
      }
    });
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
