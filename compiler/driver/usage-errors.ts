// Everything that stops a command before it can do its work, other than the spec's own
// mistakes: bad arguments, and every I/O failure. Each becomes one line naming the path and the
// cause, with exit code 2 and no stack trace, through the one function here.

/** A problem with how the tool was called (missing file, bad --out, I/O): exit code 2, not a spec error. */
export class UsageError extends Error {}

/** A file that could not be read or written: the call was right, so no usage help follows it. */
export class IoError extends UsageError {}

/** The fields of Node's SystemError that say what failed; present on every fs error. */
interface SystemError {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

const CAUSES: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EISDIR: "a directory is in the way",
  EFTYPE: "a pipe, socket or device is in the way",
  EEXIST: "a file is in the way",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  EBUSY: "the file is busy",
  EXDEV: "it is on another device",
  EIO: "input/output error",
};

export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as Partial<SystemError>).code === "string" && /^E[A-Z]+$/.test((error as unknown as SystemError).code);
}

/** `cannot write 'gen/main.ts': a directory is in the way (EISDIR)`. */
export function describeSystemError(error: SystemError, action: string, fallbackPath: string): string {
  const cause = CAUSES[error.code] ?? `${error.syscall ?? "the system call"} failed`;
  return `cannot ${action} '${error.path ?? fallbackPath}': ${cause} (${error.code})`;
}

/** Runs file work; a system error becomes a UsageError saying what could not be done to which path. */
export function withIoErrors<T>(action: string, path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isSystemError(error)) throw new IoError(describeSystemError(error, action, path));
    throw error;
  }
}
