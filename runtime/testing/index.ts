// Test support, imported as `supervise/runtime/testing` by generated test suites: a host for
// tests (virtual clock, signals sent by calling a method, log lines kept in memory), test doubles
// (real services driven by a small behaviour description), and `simulate`, which runs a plan
// against the doubles until it exits.
export { VirtualClock, flushMicrotasks } from "../host/clock.ts";
export { createTestHost, type TestHost } from "./test-host.ts";
export { createDoubles, type DoubleBehaviour } from "./doubles.ts";
export { simulate, type SimulateOptions, type Simulation } from "./simulate.ts";
