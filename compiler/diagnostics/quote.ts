// How messages quote what the user wrote, in one place for every part of the catalogue.

/** `'db'` — every name, keyword and value is quoted the same way in messages. */
export function q(text: string): string {
  return `'${text}'`;
}

/** `a, b or c`: how messages list the choices a name has (the vocabulary's arrays). */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
