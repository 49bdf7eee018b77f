// The program a word names, as the system would find it: the last path segment, compared without case (macOS file
// systems are case-insensitive, so `RM` runs rm).

export function programName(word: string): string {
  return (word.split("/").pop() ?? word).toLowerCase();
}

/** Splits `--name=value` into its parts; other words have no value. */
export function longOption(arg: string): { name: string; value: string | undefined } {
  const eq = arg.indexOf("=");
  return eq < 0 ? { name: arg, value: undefined } : { name: arg.slice(0, eq), value: arg.slice(eq + 1) };
}

/** True for `-x`, `-abc` (not `-`, not `--…`, not a negative number). */
export function isShortCluster(arg: string): boolean {
  return /^-[A-Za-z]/.test(arg);
}
