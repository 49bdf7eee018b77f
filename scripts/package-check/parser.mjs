// The policy's parser in the package: web-tree-sitter and the Bash grammar shipped for the app and its CLI, and the shipped CLI judging a command with them.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const GRAMMAR = "vendor/tree-sitter-bash/tree-sitter-bash.wasm";
const RUNTIME = "node_modules/web-tree-sitter/web-tree-sitter.wasm";
/** The reported attack (issue 14): a comment hid the second line from the old splitter. Only a parser finds the rm. */
const ATTACK = "npm test # run the tests\nrm -rf ../victim";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** What is wrong with a shipped copy of `file` (missing, or other bytes than the project's), or undefined. */
function sameBytes(bytes, root, file) {
  if (bytes === undefined) return "missing";
  const expected = sha256(readFileSync(join(root, file)));
  const actual = sha256(bytes);
  return actual === expected ? undefined : `sha256 ${actual}, the project's ${file} is ${expected}`;
}

/** The main process's parser: web-tree-sitter's CommonJS build and runtime wasm, the grammar and its licence, in app.asar. */
export function checkAsarParser(checks, archive, root) {
  const read = (entry) => (archive.entries.has(entry) ? archive.readBytes(entry) : undefined);
  for (const entry of ["/node_modules/web-tree-sitter/package.json", "/node_modules/web-tree-sitter/web-tree-sitter.cjs", "/vendor/tree-sitter-bash/LICENSE"]) {
    checks.check(`app.asar: ${entry}`, archive.entries.has(entry) ? undefined : "missing");
  }
  checks.check(`app.asar: /${RUNTIME} is web-tree-sitter's runtime`, sameBytes(read(`/${RUNTIME}`), root, RUNTIME));
  checks.check(`app.asar: /${GRAMMAR} is the vendored grammar (sha256)`, sameBytes(read(`/${GRAMMAR}`), root, GRAMMAR));
}

/** The shipped CLI's parser files: web-tree-sitter with its wasm, the grammar (the vendored bytes) and its licence. */
export function checkCliParserFiles(checks, cli, root) {
  const read = (file) => (existsSync(join(cli, file)) ? readFileSync(join(cli, file)) : undefined);
  for (const file of ["node_modules/web-tree-sitter/package.json", "node_modules/web-tree-sitter/web-tree-sitter.js", "vendor/tree-sitter-bash/LICENSE"]) {
    checks.check(`resources/cli/${file}`, existsSync(join(cli, file)) ? undefined : "missing");
  }
  checks.check(`resources/cli/${RUNTIME} is web-tree-sitter's runtime`, sameBytes(read(RUNTIME), root, RUNTIME));
  checks.check(`resources/cli/${GRAMMAR} is the vendored grammar (sha256)`, sameBytes(read(GRAMMAR), root, GRAMMAR));
}

/**
 * Loads the shipped files with the shipped Node the way shell-parser.ts does and parses the attack: the load time
 * (a note) and the commands found. Returns the milliseconds, or undefined when it failed (a failed check).
 */
export function checkShippedParserLoads(checks, cli) {
  const script = `
const started = performance.now();
const { Language, Parser } = await import(${JSON.stringify(pathToFileURL(join(cli, "node_modules", "web-tree-sitter", "web-tree-sitter.js")).href)});
await Parser.init();
const language = await Language.load(${JSON.stringify(join(cli, GRAMMAR))});
const loadMs = performance.now() - started;
const parser = new Parser();
parser.setLanguage(language);
const tree = parser.parse(${JSON.stringify(ATTACK)});
process.stdout.write(JSON.stringify({ loadMs, hasError: tree.rootNode.hasError, commands: tree.rootNode.descendantsOfType("command").map((n) => n.text) }));
`;
  const result = spawnSync(join(cli, "runtime", "node"), ["--input-type=module", "-e", script], { cwd: cli, env: {}, encoding: "utf8", timeout: 30_000 });
  let parsed;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    parsed = undefined;
  }
  const expected = JSON.stringify(["npm test", "rm -rf ../victim"]);
  const problem =
    parsed === undefined ? `exit ${result.status}: ${`${result.stdout}${result.stderr}`.split("\n").find((line) => /Error/.test(line)) ?? result.stderr.trim().slice(0, 200)}` : parsed.hasError ? "the tree has an ERROR node" : JSON.stringify(parsed.commands) !== expected ? `found the commands ${JSON.stringify(parsed.commands)}` : undefined;
  checks.check("the shipped Node loads the shipped parser and finds both commands of the attack text", problem);
  return problem === undefined ? parsed.loadMs : undefined;
}

/** `otto-tray actuator judge` from the package: the attack's two commands are found and the rm is blocked (exit 5). */
export function checkShippedActuatorJudge(checks, cli) {
  const result = spawnSync(join(cli, "bin", "otto-tray"), ["actuator", "judge", "--auto", "--json", "--", ATTACK], { cwd: cli, env: { PATH: "/nonexistent" }, encoding: "utf8", timeout: 30_000 });
  let judged;
  try {
    judged = JSON.parse(result.stdout);
  } catch {
    judged = undefined;
  }
  const programs = JSON.stringify(judged?.commands?.map((c) => c.program) ?? null);
  const problem =
    judged === undefined ? `exit ${result.status}: ${`${result.stdout}${result.stderr}`.trim().slice(0, 200)}` : result.status !== 5 || judged.verdict !== "blocked" ? `exit ${result.status}, verdict ${judged.verdict}: ${judged.reason}` : programs !== JSON.stringify(["npm", "rm"]) ? `found the programs ${programs}` : undefined;
  checks.check("the shipped CLI's actuator judge finds the rm behind the comment and blocks it (exit 5)", problem);
}

/**
 * The shipped CLI judges through the parser: its PermissionRequest hook records the attack text as a pending request,
 * and `unstick plan` refuses it as blocked for the rm on its second line (a missing parser would say unjudgeable).
 */
export async function checkShippedCliJudges(checks, cli) {
  const work = mkdtempSync(join(tmpdir(), "otto-package-judge-"));
  const home = join(work, "home");
  const bus = join(work, "bus");
  const project = join(work, "project");
  const emptyPath = join(work, "empty-path");
  for (const dir of [home, bus, project, emptyPath]) mkdirSync(dir, { recursive: true });
  chmodSync(bus, 0o700);
  const bin = join(cli, "bin", "otto-tray");
  const env = { PATH: emptyPath, HOME: work };
  const where = ["--home", home, "--bus-dir", bus];
  const cliRun = (...args) => spawnSync(bin, [...args, ...where], { env, encoding: "utf8", timeout: 30_000 });
  let hook;
  try {
    const on = cliRun("actuator", "on", "--confirm");
    if (on.status !== 0) return checks.check("the shipped CLI judges a command through the parser", `actuator on --confirm: exit ${on.status} ${on.stderr.trim()}`);
    const event = { session_id: "package-check", hook_event_name: "PermissionRequest", cwd: project, tool_name: "Bash", tool_input: { command: ATTACK, description: "Run the tests" } };
    hook = spawn(bin, ["hook", "--surface", "otto-cli", ...where], { env, stdio: ["pipe", "pipe", "ignore"] });
    let printed = "";
    hook.stdout.setEncoding("utf8").on("data", (d) => (printed += d));
    const exited = new Promise((resolve) => hook.on("exit", resolve));
    hook.stdin.end(JSON.stringify(event));
    // The policy refuses the request, so the hook does not wait on it: it ends by itself (bounded here), printing
    // nothing, and the audit names the rm on the second line.
    const timer = setTimeout(() => hook.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(timer);
    const audit = cliRun("audit", "--json");
    let entries = [];
    try {
      entries = JSON.parse(audit.stdout);
    } catch {
      entries = [];
    }
    const judged = entries.some((e) => e.decision === "refused" && /blocked: .*\(rm\)/.test(e.reason ?? ""));
    const problem = code !== 0 ? `the hook did not end by itself (exit ${code})` : printed !== "" ? `the hook printed ${printed}` : judged ? undefined : `the audit has no blocked refusal for the rm: ${audit.stdout.trim().slice(0, 500)}`;
    checks.check("the shipped CLI judges a command through the parser (the attack is blocked for its rm)", problem);
  } finally {
    if (hook !== undefined && hook.exitCode === null) hook.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
}
