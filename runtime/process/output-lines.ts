// Splits a program's output stream into lines for the lifecycle log. Output arrives in chunks
// that cut lines (and UTF-8 characters) anywhere; the stream decodes characters, this joins the
// pieces of a line. A program that writes without ever ending a line must not grow memory
// without bound, so a line is cut at MAX_LINE characters.
import type { Readable } from "node:stream";

export const MAX_LINE = 16_384;

/**
 * Calls `onLine` for each line of `stream` (without its "\n" or "\r\n"), the last one even when
 * it has no line break, once the stream has ended or closed.
 */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = "";
  let ended = false;
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      onLine(stripCarriageReturn(pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
    while (pending.length >= MAX_LINE) {
      onLine(pending.slice(0, MAX_LINE));
      pending = pending.slice(MAX_LINE);
    }
  });
  const end = (): void => {
    if (ended) return;
    ended = true;
    if (pending !== "") onLine(stripCarriageReturn(pending));
    pending = "";
  };
  stream.on("end", end);
  stream.on("close", end);
  // A pipe error (the program closed its end oddly) ends the output; it is not the service's failure.
  stream.on("error", end);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
