// The command of the `● Bash(…)` tool call drawn just above a dialog (versions up to 2.0.x), when it is shown whole.
import type { Line } from "./screen-lines";

// The call's first row starts at column 0; its further rows are indented under the text after `Bash(`.
const CALL = /^[●⏺] Bash\((.*)$/;
const CONTINUATION_INDENT = 6;
// The call sits right above the dialog: only the call's own rows and a `⎿  Running…` row come between.
const LOOK_ABOVE = 40;

/** The command, or undefined when there is no such call right above `ruleIndex` or it is shortened (`…)`). */
export function toolCallCommandAbove(lines: Line[], ruleIndex: number): string | undefined {
  for (let i = ruleIndex - 1; i >= 0 && i >= ruleIndex - LOOK_ABOVE; i--) {
    const l = lines[i] as Line;
    if (l.indent !== 0 || l.text === "") continue;
    const first = CALL.exec(l.text);
    if (first === null) return undefined;
    const rows = [first[1] ?? ""];
    // Every row indented under the call belongs to it (a row of the command may itself end in `)`).
    for (let j = i + 1; j < ruleIndex && (lines[j] as Line).text !== "" && (lines[j] as Line).indent >= CONTINUATION_INDENT; j++) {
      const next = lines[j] as Line;
      rows.push(`${" ".repeat(next.indent - CONTINUATION_INDENT)}${next.text}`);
    }
    const last = rows.at(-1) ?? "";
    if (!last.endsWith(")") || last.endsWith("…)")) return undefined;
    rows[rows.length - 1] = last.slice(0, -1);
    return rows.join("\n");
  }
  return undefined;
}
