// Which service opened each handle still open: recorded in the attribution context current when
// the handle is created, with the place in the caller's code, and forgotten once it is closed.
import { once } from "node:events";
import { createServer } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runAttributed, type ErrorOwner } from "../../runtime/engine/attribution.ts";
import { trackResourceOwners } from "../../runtime/engine/resource-owners.ts";

const owner = (id: string): ErrorOwner => ({ owner: {}, node: { id }, uncaughtError: () => {} });

const test = suite("resource owners");

test("a timer and an interval belong to the service whose code created them, until cleared", () => {
  const owners = trackResourceOwners();
  try {
    const interval = runAttributed(owner("api"), () => setInterval(() => {}, 60_000), undefined);
    const timer = runAttributed(owner("db"), () => setTimeout(() => {}, 60_000), undefined);
    const outside = setTimeout(() => {}, 60_000);
    assert.equal(owners.open("api").map((r) => r.type), ["Interval"]);
    assert.equal(owners.open("db").map((r) => r.type), ["Timeout"]);
    assert.ok(owners.open("api")[0]!.stack[0]!.includes("resource-owners.test.ts"), owners.open("api")[0]!.stack.join("\n"));
    assert.is(owners.open().length, 2, "a handle created outside any service belongs to none");
    clearInterval(interval);
    clearTimeout(timer);
    clearTimeout(outside);
    assert.equal(owners.open(), []);
  } finally {
    owners.dispose();
  }
});

test("a server listening on a host name is placed where listen was called, through the lookup that created it", async () => {
  const owners = trackResourceOwners();
  const server = createServer();
  try {
    runAttributed(owner("api"), () => server.listen(0, "localhost"), undefined);
    await once(server, "listening");
    const [open] = owners.open("api").filter((r) => r.type === "TCPSERVERWRAP");
    assert.ok(open !== undefined, "the server is not attributed");
    assert.ok(open!.stack.some((f) => f.includes("resource-owners.test.ts")), open!.stack.join("\n"));
  } finally {
    await new Promise((resolve) => server.close(resolve));
    owners.dispose();
  }
});

test.run();
