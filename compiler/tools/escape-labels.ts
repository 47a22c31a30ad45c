// Escaping for the diagram formats, in one place. Names in a spec are plain identifiers, but
// module paths are arbitrary strings (quotes, backslashes, '<', '#', line breaks after
// decoding): a label must show them as text and never end its quoted slot early or inject
// syntax into the diagram. Identifiers of nodes are generated (n0, n1, ...) and need none.

/**
 * A Mermaid label inside `["..."]`: Mermaid reads `#name;` and `#code;` as entities, so '#' is
 * escaped first, then the characters that would end the string or start HTML. Line breaks
 * become `<br/>`, the only markup a label gets.
 */
export function escapeMermaidLabel(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/&/g, "#amp;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\r\n|\r|\n/g, "<br/>");
}

/** Lines of a Mermaid label, each escaped. */
export function mermaidLabel(lines: readonly string[]): string {
  return `"${lines.map(escapeMermaidLabel).join("<br/>")}"`;
}

/**
 * Text in a Mermaid gantt line, where ':' separates a task from its data, '#' and ';' may be
 * read as entities or statement ends, and a line break ends the task: gantt text has no escapes,
 * so each becomes a look-alike character.
 */
export function escapeGanttText(text: string): string {
  return text.replace(/:/g, "\u02d0").replace(/;/g, "\u037e").replace(/#/g, "\u266f").replace(/[\r\n]+/g, " ");
}

/**
 * A Graphviz double-quoted string: backslash and quote escaped, so that a backslash in the text
 * never starts one of Graphviz's escapes (`\l`, `\N`, ...); '&' escaped, because Graphviz decodes
 * entities such as `&lt;` in every string; line breaks written as `\n`, its centred line break.
 */
export function escapeDotString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/&/g, "&amp;").replace(/\r\n|\r|\n/g, "\\n");
}

/** Lines of a Graphviz label: each escaped, joined with `\n`. */
export function dotLabel(lines: readonly string[]): string {
  return `"${lines.map(escapeDotString).join("\\n")}"`;
}
