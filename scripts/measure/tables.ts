/** Tables for the terminal and for Markdown. */

export interface Table {
  header: string[];
  rows: string[][];
}

export function markdownTable({ header, rows }: Table): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

export function textTable({ header, rows }: Table): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** `text` with the part between `begin` and `end` (markers included) replaced by `section`. */
export function replaceMarked(text: string, begin: string, end: string, section: string, file: string): string {
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  if (b < 0 || e < b) throw new Error(`${file} has no "${begin}" ... "${end}" part to write`);
  return text.slice(0, b) + section + text.slice(e + end.length);
}
