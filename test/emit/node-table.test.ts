import { suite } from "uvu";
import * as assert from "uvu/assert";
import { nodeTable } from "../../compiler/model/node-table.ts";
import { shopModel } from "./shop-model.ts";

const table = suite("node table");

table("numbers the tree in declaration order, each subtree a range", () => {
  const t = nodeTable(shopModel());
  assert.equal(t.ids, ["", "db", "cache", "workers", "workers.mailer", "workers.indexer", "api"]);
  assert.equal([...t.parent], [-1, 0, 0, 0, 3, 3, 0]);
  assert.equal([...t.subtreeEnd], [7, 2, 3, 6, 5, 6, 7]);
  assert.is(t.positionOf("workers.indexer"), 5);
  assert.throws(() => t.positionOf("nope"));
});

table("answers parents, ancestors and subtrees", () => {
  const t = nodeTable(shopModel());
  assert.equal(t.ancestorsOf("workers.mailer").map((n) => n.id), ["workers", ""]);
  assert.is(t.parentOf("workers.indexer")?.id, "workers");
  assert.is(t.parentOf(""), undefined);
  const subtree = (id: string) => t.ids.slice(t.positionOf(id), t.subtreeEnd[t.positionOf(id)]);
  assert.equal(subtree("workers"), ["workers", "workers.mailer", "workers.indexer"]);
  assert.equal(subtree("db"), ["db"]);
});

table("keeps the order lists as positions", () => {
  const t = nodeTable(shopModel());
  assert.equal([...t.orderPositions("stopAfter")[t.positionOf("cache")]!], [5, 6, 3]);
  assert.equal([...t.orderPositions("startAfter")[t.positionOf("api")]!], [1, 2, 3]);
});

table("is built once per resolved tree", () => {
  const app = shopModel();
  assert.is(nodeTable(app), nodeTable({ ...app }));
  assert.is.not(nodeTable(app), nodeTable(shopModel()));
});

table.run();
