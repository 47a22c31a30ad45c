// Test support, imported as `supervise/runtime/testing` by generated test suites: a host for
// tests (virtual clock, signals sent by calling a method, log lines kept in memory), test doubles
// (real services driven by a small behaviour description), `simulate`, which runs a plan against
// the doubles until it exits, and the contract a spec promises with the cases that prove it.
export { VirtualClock, flushMicrotasks } from "../host/clock.ts";
export { createTestHost, type TestHost } from "./test-host.ts";
export { createDoubles, type DoubleBehaviour } from "./doubles.ts";
export { simulate, type SimulateOptions, type Simulation } from "./simulate.ts";
export type { Contract, ContractCase, CrashLoopCase, RestartCase } from "./contract.ts";
export { buildContractCases } from "./contract-cases.ts";
export type { ServiceSuite } from "./service-suite.ts";
export { buildServiceCases } from "./service-cases.ts";
export { AUDIT_RULES, type AuditRule } from "./service-findings.ts";
