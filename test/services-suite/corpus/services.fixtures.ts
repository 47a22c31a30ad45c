// Doubles for the corpus's services suite: `reader-with-double` runs with a fake store instead of
// the real one. (A project types this with the generated ServiceFixtures; the corpus's generated
// files are not committed, so the shape is spelled out.)
export const fixtures = {
  "reader-with-double": () => ({ "broken-store": { get: (key: string) => (key === "config" ? "{}" : undefined) } }),
};
