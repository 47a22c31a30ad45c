// Public types of process services (`exec` in a spec): what a dependent receives in its
// `scope.deps` for a service that runs a program instead of a module.

/** The state of a process service's program, as of the call. */
export interface ProcessStatus {
  /** False once the program has exited (it may be restarted, with a new handle). */
  readonly running: boolean;
  /** The exit code, once it exited by itself; null while running or when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it ("SIGTERM", "SIGKILL"), or null. */
  readonly signal: string | null;
}

/** The handle of a process service: generated `types.ts` gives it to dependents that `need` one. */
export interface ProcessHandle {
  /** The program's process id, which is also the id of its process group. */
  readonly pid: number;
  status(): ProcessStatus;
}
