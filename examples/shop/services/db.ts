// The shop's database pool. There is no real database: connecting and querying are simulated with
// short waits on the runtime's clock and a tiny in-memory catalogue, so the example runs anywhere.
// What is real is the pool's lifecycle, which is the part worth copying:
// - finalizers are registered *before* the first connection opens, so a start that fails or is
//   cancelled half way still closes whatever it opened;
// - on stop the pool first stops lending, then waits for borrowed connections to come back, and
//   only then closes them (two finalizers, which run in reverse order of registration).
import type { DbScope } from "../gen/types.ts";

const POOL_SIZE = 4;

export type Row = Readonly<Record<string, string | number>>;

export interface Connection {
  readonly id: number;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

// The "database" lives at module level so that it outlives a restart of the pool, as a real one would.
const products: Row[] = [
  { id: 1, name: "Ceramic mug", price_cents: 1200 },
  { id: 2, name: "Espresso beans 1kg", price_cents: 2400 },
  { id: 3, name: "Pour-over kettle", price_cents: 4500 },
  { id: 4, name: "Paper filters (100)", price_cents: 600 },
  { id: 5, name: "Hand grinder", price_cents: 7900 },
];
const orders: Row[] = [];

// The only statements this database understands; anything else is an error, as a typo would be.
const statements: Record<string, (params: readonly unknown[]) => Row[]> = {
  "SELECT id, name, price_cents FROM products WHERE id = $1": ([id]) => products.filter((p) => p.id === id),
  "INSERT INTO orders (product_id, email) VALUES ($1, $2) RETURNING id": ([productId, email]) => {
    const order = { id: orders.length + 1, product_id: Number(productId), email: String(email) };
    orders.push(order);
    return [{ id: order.id }];
  },
};

export async function start(scope: DbScope) {
  const all: Connection[] = [];
  const open = new Set<Connection>();
  const idle: Connection[] = [];
  const lent = new Set<Connection>();
  const waiters: { resolve: (c: Connection) => void; reject: (e: Error) => void }[] = [];
  let queries = 0;
  let draining = false;
  let allReturned: (() => void) | undefined;

  // Registered first, so it runs last: close every connection that was opened, lent or not.
  scope.defer(() => {
    for (const c of all) open.delete(c);
    scope.log(`closed ${all.length} connection(s) after ${queries} quer${queries === 1 ? "y" : "ies"}`);
  });
  // Runs first on stop. Waiting has no timer of its own: the stop timeout in shop.sup bounds it, and
  // dependents (api, workers) stop before the db, so in practice the loans are already back.
  scope.defer(async () => {
    draining = true;
    for (const w of waiters.splice(0)) w.reject(new Error("db pool is shutting down"));
    if (lent.size > 0) {
      scope.log(`no longer lending; waiting for ${lent.size} borrowed connection(s)`);
      await new Promise<void>((resolve) => (allReturned = resolve));
      scope.log("all borrowed connections returned");
    }
  });

  async function connect(id: number): Promise<Connection> {
    await scope.sleep(50 + Math.random() * 100); // the simulated handshake
    const conn: Connection = {
      id,
      async query(sql, params = []) {
        // Catches the classic pool bug: keeping a connection after releasing it.
        if (!lent.has(conn)) throw new Error(`connection ${id} used while not borrowed`);
        if (!open.has(conn)) throw new Error(`connection ${id} is closed`);
        const run = statements[sql];
        if (run === undefined) throw new Error(`unsupported statement: ${sql}`);
        await scope.sleep(5 + Math.random() * 15); // the simulated round trip
        queries++;
        return run(params);
      },
    };
    all.push(conn);
    open.add(conn);
    return conn;
  }

  scope.log(`opening ${POOL_SIZE} connections`);
  idle.push(...(await Promise.all(Array.from({ length: POOL_SIZE }, (_, i) => connect(i + 1)))));
  // A cancelled start (start timeout, early shutdown) must not report success; the finalizers above
  // close what was opened.
  if (scope.signal.aborted) throw new Error(`db start cancelled (${scope.signal.reason?.kind})`);
  scope.log(`pool ready with ${POOL_SIZE} connections`);

  function acquire(): Promise<Connection> {
    if (draining || scope.signal.aborted) return Promise.reject(new Error("db pool is shutting down"));
    const conn = idle.pop();
    if (conn === undefined) return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    lent.add(conn);
    return Promise.resolve(conn);
  }

  function release(conn: Connection): void {
    if (!lent.has(conn)) throw new Error(`connection ${conn.id} released twice or not from this pool`);
    const next = draining ? undefined : waiters.shift();
    if (next !== undefined) return next.resolve(conn); // handed straight over: stays lent
    lent.delete(conn);
    idle.push(conn);
    if (draining && lent.size === 0) allReturned?.();
  }

  // The way callers should use the pool: the connection goes back even when `fn` throws.
  async function withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = await acquire();
    try {
      return await fn(conn);
    } finally {
      release(conn);
    }
  }

  return {
    acquire,
    release,
    withConnection,
    query: (sql: string, params?: readonly unknown[]) => withConnection((c) => c.query(sql, params)),
    stats: () => ({ size: all.length, idle: idle.length, borrowed: lent.size, waiting: waiters.length, queries }),
  };
}
