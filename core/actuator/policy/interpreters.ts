// Interpreters judged by what code they would run: code given inline (`-c`, `-e`, `--eval=`, in any option cluster)
// or read from their input (no script named) cannot be judged, so they are blocked.
import { isShortCluster, longOption } from "./program-names";
import type { RuleVerdict } from "./git-rules";

interface InterpreterGrammar {
  /** Short option letters that take inline code, alone or inside a cluster (`-Ic`, `-pe`). */
  codeLetters: string;
  /** Long options that take inline code (`--eval`, `--eval=…`, `--print`). */
  codeOptions: readonly string[];
  /** Options whose value is the next word (so that word is not the script). */
  valued: readonly string[];
  /** Options after which no script is needed (`--version`, `--test`). */
  standalone: readonly string[];
  /** Subcommands that take inline code (`deno eval`). */
  codeSubcommands?: readonly string[];
}

const INFO = ["--version", "-v", "-V", "-VV", "--help", "-h"];
const NODE: InterpreterGrammar = { codeLetters: "ep", codeOptions: ["--eval", "--print"], valued: ["-r", "--require", "--import", "--loader", "--experimental-loader", "--input-type", "-C", "--conditions", "--title", "--env-file"], standalone: [...INFO, "--test", "--v8-options"] };
const PYTHON: InterpreterGrammar = { codeLetters: "c", codeOptions: ["--command"], valued: ["-W", "-X", "--check-hash-based-pycs"], standalone: [...INFO, "-m"] };
const GRAMMARS: Readonly<Record<string, InterpreterGrammar>> = {
  node: NODE,
  nodejs: NODE,
  bun: { ...NODE, standalone: [...INFO, "test", "run", "install", "add", "build"] },
  tsx: NODE,
  "ts-node": NODE,
  perl: { codeLetters: "eEM", codeOptions: [], valued: ["-I", "-x"], standalone: INFO },
  ruby: { codeLetters: "e", codeOptions: [], valued: ["-I", "-r", "-C"], standalone: INFO },
  irb: { codeLetters: "", codeOptions: [], valued: [], standalone: INFO },
  php: { codeLetters: "rBRFE", codeOptions: [], valued: ["-c", "-d", "-z"], standalone: [...INFO, "-l", "-i", "-m"] },
  lua: { codeLetters: "e", codeOptions: [], valued: ["-l"], standalone: INFO },
  luajit: { codeLetters: "e", codeOptions: [], valued: ["-l"], standalone: INFO },
  rscript: { codeLetters: "e", codeOptions: ["--expr"], valued: [], standalone: INFO },
  julia: { codeLetters: "eE", codeOptions: ["--eval", "--print"], valued: ["-p", "--project", "-t", "--threads"], standalone: INFO },
  deno: { codeLetters: "", codeOptions: [], valued: [], standalone: [...INFO, "test", "run", "fmt", "lint", "check", "task"], codeSubcommands: ["eval", "repl"] },
  tclsh: { codeLetters: "", codeOptions: [], valued: [], standalone: INFO },
};

/** The grammar for `name` (python, python3, python3.12, pypy3 … share one), or undefined for other programs. */
function grammarFor(name: string): InterpreterGrammar | undefined {
  if (/^(python|pypy)(\d+(\.\d+)*)?$/.test(name)) return PYTHON;
  return GRAMMARS[name];
}

export function interpreterVerdict(name: string, args: readonly string[]): RuleVerdict {
  const grammar = grammarFor(name);
  if (grammar === undefined) return undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") return args[i + 1] === undefined ? noScript(name) : undefined;
    if (!arg.startsWith("-") || arg === "-") {
      if (arg === "-") return noScript(name);
      if (grammar.codeSubcommands?.includes(arg)) return { refusal: "blocked", reason: `it runs code given inline (${name} ${arg})` };
      return undefined;
    }
    const { name: option, value } = longOption(arg);
    if (grammar.codeOptions.includes(option)) return { refusal: "blocked", reason: `it runs code given inline (${name} ${option})` };
    if (isShortCluster(arg) && !arg.startsWith("--")) {
      const letters = arg.slice(1);
      const code = [...letters].find((l) => grammar.codeLetters.includes(l));
      // A valued option ends the cluster (`-Wignore`), so only letters before it count.
      const valuedAt = [...letters].findIndex((l) => grammar.valued.includes(`-${l}`));
      if (code !== undefined && (valuedAt < 0 || letters.indexOf(code) < valuedAt)) return { refusal: "blocked", reason: `it runs code given inline (${name} -${code})` };
    }
    if (/^(data|https?|file):/i.test(value ?? "")) return { refusal: "blocked", reason: `it loads code from a URL (${name} ${option})` };
    if (grammar.standalone.includes(arg)) return undefined;
    if (grammar.valued.includes(option) && value === undefined) {
      const next = args[++i] ?? "";
      if (/^(data|https?|file):/i.test(next)) return { refusal: "blocked", reason: `it loads code from a URL (${name} ${option})` };
    }
  }
  return noScript(name);
}

function noScript(name: string): RuleVerdict {
  return { refusal: "blocked", reason: `it runs code read from its input (${name} with no script named)` };
}
