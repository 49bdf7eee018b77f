// "Did you mean …?" for mistyped commands and subcommands: the closest known name by edit distance.
import { closestName } from "../core/text/closest-name";

export { closestName };

/** A hint line for an unknown name: "did you mean X?" when one is close, else where to look. */
export function unknownNameHint(input: string, known: readonly string[], helpCommand: string): string {
  const close = closestName(input, known);
  return close === undefined ? `run ${helpCommand} for the list` : `did you mean ${JSON.stringify(close)}? (run ${helpCommand} for the list)`;
}
