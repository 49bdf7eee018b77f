// A running turn seen from its spinner line above the input box, for screens whose footer shows no interrupt hint.
import type { Line } from "./screen-lines";

// `✳ Enchanting… (ctrl+c to interrupt · 3m 17s · ↓ 3.1k tokens)`, `✻ Forging… (esc to interrupt)`: a spinner glyph,
// words ending in `…`, then a parenthesis. A finished turn reads `✻ Cooked for 1s · done 6:11 PM` (no `…`): not busy.
const SPINNER = /^[·✢✳✶✻✽✺✹✸✷✵✴✲✱✿❀❁❂❃❇❈❉❊❋*+⠁-⣿]\s+\S.*…\s*\(([^()]*)\)$/u;
// What only a running turn's parenthesis holds: how to interrupt it, or its elapsed time or token count.
const RUNNING = /\binterrupt\b|\b\d+\s*[smh]\b|\d(?:\.\d+)?k?\s*tokens\b/i;
// How far above the box the spinner may sit: tips (`⎿ Tip: …`), right-aligned hints and blank rows come between.
const LOOK_ABOVE = 6;

/** True when the first status line above the input box (whose top rule is at `boxTop`) is a running spinner. */
export function runningSpinnerAbove(lines: Line[], boxTop: number): boolean {
  for (let i = boxTop - 1; i >= 0 && i >= boxTop - LOOK_ABOVE; i--) {
    const l = lines[i] as Line;
    // Right-aligned hints (`◐ medium · /effort`) start far to the right; tips hang under the spinner with `⎿`.
    if (l.text === "" || l.text.startsWith("⎿") || l.indent >= 40) continue;
    const match = SPINNER.exec(l.text);
    return match !== null && RUNNING.test(match[1] ?? "");
  }
  return false;
}
