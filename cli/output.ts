// Small output helpers: JSON lines and aligned text tables (every cell made terminal-safe).
import { terminalSafe } from "../core/text/terminal-safe";

export function writeJson(stream: NodeJS.WritableStream, value: unknown, pretty = false): void {
  stream.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
}

/** Formats rows as left-aligned columns separated by two spaces. */
export function formatTable(header: string[], unsafeRows: string[][]): string {
  // Cells carry text from the bus and the file system: a newline would forge a row, an escape would reach the terminal.
  const rows = unsafeRows.map((row) => row.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export { formatAge } from "../core/text/format-age";
