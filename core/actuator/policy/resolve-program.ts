// Finds the program that really runs: through wrappers that only adjust how it runs (nice, time, stdbuf…) and through
// package runners (npx, pnpm exec…), which are followed only to a binary already in the project's node_modules/.bin.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isShortCluster, longOption, programName } from "./program-names";

/** The program that really runs, with its arguments and what it was run through. */
export interface RealProgram {
  /** Lower-case file name of the program (`/bin/RM` → `rm`). */
  name: string;
  args: string[];
  /** Wrappers and runners passed through, outermost first (`["nice"]`, `["npx"]`). */
  via: string[];
}

export type Resolution = { ok: true; program: RealProgram } | { ok: false; refusal: "blocked" | "unjudgeable"; reason: string };

/** Options of a wrapper: those that take a value (separately or attached) and plain flags. */
interface WrapperGrammar {
  valued: readonly string[];
  flags: readonly string[];
  /** `nice -10 CMD`: a bare negative number is an option. */
  numericOption?: boolean;
}

// Wrappers that change only priority, timing or buffering, then run their arguments as a command.
const WRAPPERS: Readonly<Record<string, WrapperGrammar>> = {
  nice: { valued: ["-n", "--adjustment"], flags: [], numericOption: true },
  time: { valued: [], flags: ["-p"] },
  caffeinate: { valued: ["-t", "-w"], flags: ["-d", "-i", "-m", "-s", "-u"] },
  ionice: { valued: ["-c", "-n", "--class", "--classdata"], flags: ["-t", "--ignore"] },
  stdbuf: { valued: ["-i", "-o", "-e", "--input", "--output", "--error"], flags: [] },
};

/** Runners that run a package's binary by name: followed only to a binary the project already has. */
const RUNNERS: Readonly<Record<string, { sub?: readonly string[]; flags: readonly string[]; downloads: readonly string[] }>> = {
  npx: { flags: ["-y", "--yes", "--no", "--no-install", "-q", "--quiet"], downloads: ["-p", "--package", "-c", "--call"] },
  bunx: { flags: ["--bun"], downloads: ["-p", "--package"] },
  "npm exec": { flags: ["-y", "--yes", "--no", "-q", "--quiet"], downloads: ["-p", "--package", "-c", "--call"] },
  "npm x": { flags: ["-y", "--yes", "--no", "-q", "--quiet"], downloads: ["-p", "--package", "-c", "--call"] },
  "pnpm exec": { flags: [], downloads: ["-c", "--shell-mode"] },
  "yarn exec": { flags: [], downloads: [] },
  "bun x": { flags: ["--bun"], downloads: ["-p", "--package"] },
};

/** Runners that always fetch a package from a registry and run it, whatever the project has. */
const ALWAYS_DOWNLOADS = new Set(["pnpm dlx", "yarn dlx", "pnpx", "npm create", "npm init", "yarn create", "pnpm create", "bun create", "uvx", "pipx run", "uv tool run"]);

export function resolveProgram(argv: readonly string[], projectDir: string | null): Resolution {
  const via: string[] = [];
  let words = [...argv];
  for (let depth = 0; depth < 8; depth++) {
    const first = words[0];
    if (first === undefined) return { ok: false, refusal: "unjudgeable", reason: `nothing left to run after ${via.join(" ")}` };
    const name = programName(first);
    const two = `${name} ${words[1] ?? ""}`;
    if (ALWAYS_DOWNLOADS.has(two) || ALWAYS_DOWNLOADS.has(name)) {
      // `npm init` with no package only writes package.json; with one it downloads create-<name>.
      if (!(two === "npm init" && words.slice(2).every((w) => w.startsWith("-")))) {
        return { ok: false, refusal: "blocked", reason: `it downloads a package and runs it (${ALWAYS_DOWNLOADS.has(two) ? two : name})` };
      }
    }
    const wrapper = WRAPPERS[name];
    if (wrapper !== undefined) {
      const rest = afterOptions(words.slice(1), wrapper);
      if (typeof rest === "string") return { ok: false, refusal: "unjudgeable", reason: `${name}: ${rest}` };
      // A wrapper given nothing to run is itself the program (`time`, `nice`).
      if (rest.length === 0) return { ok: true, program: { name, args: words.slice(1), via } };
      via.push(name);
      words = rest;
      continue;
    }
    const runnerKey = RUNNERS[two] !== undefined ? two : RUNNERS[name] !== undefined ? name : undefined;
    if (runnerKey !== undefined) {
      const found = throughRunner(runnerKey, words.slice(runnerKey.split(" ").length), projectDir);
      if (!found.ok) return found;
      via.push(runnerKey);
      words = found.words;
      continue;
    }
    return { ok: true, program: { name, args: words.slice(1), via } };
  }
  return { ok: false, refusal: "unjudgeable", reason: "too many wrappers" };
}

// The words after a wrapper's options, or why they cannot be read.
function afterOptions(words: string[], grammar: WrapperGrammar): string[] | string {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") return words.slice(i + 1);
    if (!word.startsWith("-") || word === "-") return words.slice(i);
    if (grammar.numericOption && /^-\d+$/.test(word)) continue;
    const { name, value } = longOption(word);
    if (grammar.flags.includes(word)) continue;
    if (grammar.valued.includes(name)) {
      if (value === undefined) i++;
      continue;
    }
    // Attached short values: `-n10`, `-oL`.
    if (isShortCluster(word) && grammar.valued.includes(word.slice(0, 2))) continue;
    if (isShortCluster(word) && [...word.slice(1)].every((c) => grammar.flags.includes(`-${c}`))) continue;
    return `an option it does not know (${word})`;
  }
  return [];
}

function throughRunner(runner: string, words: string[], projectDir: string | null): { ok: true; words: string[] } | { ok: false; refusal: "blocked" | "unjudgeable"; reason: string } {
  const grammar = RUNNERS[runner] ?? { flags: [], downloads: [] };
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") {
      i++;
      break;
    }
    if (!word.startsWith("-")) break;
    const { name } = longOption(word);
    if (grammar.downloads.includes(name)) return { ok: false, refusal: "blocked", reason: `${runner} ${word} downloads a package or runs a shell command` };
    if (!grammar.flags.includes(word)) return { ok: false, refusal: "unjudgeable", reason: `${runner}: an option it does not know (${word})` };
  }
  const bin = words[i];
  if (bin === undefined) return { ok: false, refusal: "unjudgeable", reason: `${runner} with nothing to run` };
  if (!/^[A-Za-z0-9._-]+$/.test(bin) || bin.startsWith(".")) return { ok: false, refusal: "blocked", reason: `${runner} ${bin} would fetch a package from a registry and run it` };
  if (projectDir === null || !existsSync(join(projectDir, "node_modules", ".bin", bin))) {
    return { ok: false, refusal: "blocked", reason: `${runner} ${bin} would download and run code: ${bin} is not in this project's node_modules/.bin` };
  }
  return { ok: true, words: words.slice(i) };
}
