// Chooses a dialog answer by its meaning and label, never its position, and says which keys give it.
import type { OptionMeaning, PromptOption } from "./types";

/** How to give an answer: a digit answers its option at once; without numbers, arrows then Enter. */
export type AnswerKeys =
  | { kind: "digit"; key: string }
  /** Press `moves`, read the screen again, and press Enter only if `label` is then the highlighted option. */
  | { kind: "navigate"; moves: ("up" | "down")[]; label: string };

export interface ChosenAnswer {
  option: PromptOption;
  keys: AnswerKeys;
}

/**
 * The one option that means `meaning` (e.g. the single-use "Yes"). Undefined when there is none or more than one:
 * an ambiguous dialog is not answered.
 */
export function chooseAnswer(options: readonly PromptOption[], meaning: OptionMeaning): ChosenAnswer | undefined {
  const matches = options.filter((o) => o.meaning === meaning);
  const option = matches[0];
  if (matches.length !== 1 || option === undefined) return undefined;
  if (option.number !== null) return { option, keys: { kind: "digit", key: String(option.number) } };
  const from = options.findIndex((o) => o.highlighted);
  const to = options.indexOf(option);
  if (from < 0) return undefined;
  const direction: "up" | "down" = to > from ? "down" : "up";
  const moves = Array.from({ length: Math.abs(to - from) }, () => direction);
  return { option, keys: { kind: "navigate", moves, label: option.label } };
}

/** True when the option labelled `label` is the highlighted one: the check before pressing Enter. */
export function isHighlighted(options: readonly PromptOption[], label: string): boolean {
  const highlighted = options.filter((o) => o.highlighted);
  return highlighted.length === 1 && highlighted[0]?.label === label;
}
