// Which program a deployment really starts: past init wrappers (tini, dumb-init) and a shell's
// `-c` script, the first word that is a package manager is what receives the stop signal, and
// npm, npx, yarn and pnpm do not pass it on reliably (the app and its programs are then killed
// without their ordered stop: npm/cli#6684, and the wrapper exits 143 while node keeps running).

export const PACKAGE_MANAGERS: readonly string[] = ["npm", "npx", "yarn", "pnpm"];
const INIT_WRAPPERS: readonly string[] = ["tini", "dumb-init", "docker-init", "catatonit"];
const SHELLS: readonly string[] = ["sh", "bash", "dash", "ash", "zsh"];

function baseName(word: string): string {
  return word.split("/").pop() ?? word;
}

/** The index of the word in `argv` that names a package manager, or -1. */
export function findPackageManager(argv: readonly string[]): number {
  let i = 0;
  // Wrappers and their options (`tini -g --`, `dumb-init --single-child`).
  while (i < argv.length && INIT_WRAPPERS.includes(baseName(argv[i]!))) {
    i++;
    while (i < argv.length && argv[i]!.startsWith("-")) i++;
  }
  const first = argv[i];
  if (first === undefined) return -1;
  if (PACKAGE_MANAGERS.includes(baseName(first))) return i;
  if (SHELLS.includes(baseName(first)) && argv[i + 1] === "-c" && argv[i + 2] !== undefined) {
    const words = argv[i + 2]!.trim().split(/\s+/);
    const word = words[0] === "exec" ? words[1] : words[0];
    return word !== undefined && PACKAGE_MANAGERS.includes(baseName(word)) ? i + 2 : -1;
  }
  return -1;
}

/** The package manager `findPackageManager` found at `index` (for the message). */
export function namePackageManager(argv: readonly string[], index: number): string {
  const word = argv[index]!;
  const first = word.trim().split(/\s+/);
  return baseName(first[0] === "exec" ? first[1]! : first[0]!);
}
