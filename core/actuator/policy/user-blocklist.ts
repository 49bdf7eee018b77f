// The person's own blocklist entries, matched against argv (never joined text): an entry's words must begin the
// argv as written or the argv that really runs; `*` inside a word matches any run of characters in that word.
import { programName } from "./program-names";

/** The first entry that matches either argv, or undefined. */
export function userBlocklistMatch(entries: readonly string[], written: readonly string[], real: readonly string[]): string | undefined {
  return entries.find((entry) => {
    const words = entry.trim().split(/\s+/).filter((w) => w !== "");
    return words.length > 0 && (startsWith(words, written) || startsWith(words, real));
  });
}

function startsWith(pattern: readonly string[], argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  // A pattern `npm test*` also covers `npm test` with more arguments: a trailing `*` reaches across words.
  const last = pattern[pattern.length - 1] ?? "";
  const open = last.endsWith("*");
  if (pattern.length > argv.length && !(open && pattern.length === argv.length + 1 && last === "*")) return false;
  return pattern.every((word, i) => {
    if (i >= argv.length) return word === "*";
    const value = i === 0 ? programName(argv[0] ?? "") : (argv[i] ?? "");
    return wordMatches(i === 0 ? word.toLowerCase() : word, value);
  });
}

function wordMatches(pattern: string, word: string): boolean {
  const parts = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`, "s").test(word);
}
