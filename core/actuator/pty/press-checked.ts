// Presses an answer's keys one at a time, reading the screen before each: any key is pressed only while the whole
// prompt (its fingerprint) is still the one the gates judged, so a prompt that changes midway gets nothing more.
import type { AnswerKeys } from "../screen/answer";
import { isHighlighted } from "../screen/answer";
import { promptFingerprint } from "../screen/fingerprint";
import type { HostAccess } from "./carry-out";

/** One key to press, what it is called in a reason, and (for Enter) the option that must be highlighted first. */
export interface CheckedKey {
  key: string;
  name: string;
  highlighted?: string;
}

const ARROWS = { up: { key: "\u001b[A", name: "↑" }, down: { key: "\u001b[B", name: "↓" } } as const;

/** The keys that give an answer: a digit alone, or each arrow then Enter (with the label Enter needs highlighted). */
export function keySequence(keys: AnswerKeys): CheckedKey[] {
  if (keys.kind === "digit") return [{ key: keys.key, name: keys.key }];
  const arrows = keys.moves.map((m) => ({ ...ARROWS[m] }));
  return [...arrows, { key: "\r", name: "↵", highlighted: keys.label }];
}

export type PressResult = { ok: true; keys: string } | { ok: false; reason: string; keys: string };

/** Reads the screen before every key and stops, pressing nothing more, as soon as the prompt is not `fingerprint`. */
export async function pressChecked(host: Pick<HostAccess, "readScreen" | "writeKeys">, fingerprint: string, sequence: readonly CheckedKey[]): Promise<PressResult> {
  let keys = "";
  let names = "";
  const sent = () => (names === "" ? "nothing was pressed" : `${names} was pressed before`);
  for (const step of sequence) {
    const { reading } = await host.readScreen();
    if (promptFingerprint(reading) !== fingerprint) {
      return { ok: false, reason: `the prompt on screen changed before ${step.name} (${sent()}); nothing more was pressed`, keys };
    }
    if (step.highlighted !== undefined && (reading.kind !== "permission" || !isHighlighted(reading.options, step.highlighted))) {
      return { ok: false, reason: `"${step.highlighted}" was not highlighted after moving to it (${sent()}): Enter not pressed`, keys };
    }
    host.writeKeys(step.key);
    keys += step.key;
    names += step.name;
  }
  return { ok: true, keys };
}
