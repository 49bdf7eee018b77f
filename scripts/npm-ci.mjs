// `npm ci ARGS` for scripts/setup: npm's output as it comes, minus the harmless engine warnings (one line says why).
// Usage: node scripts/npm-ci.mjs [NPM CI ARGS...]; exits as npm did. Needs only Node's own modules (runs before npm ci).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { engineWarningFilter, harmlessEngineLines } from "./npm-engine-warnings.mjs";

const child = spawn("npm", ["ci", ...process.argv.slice(2)], { stdio: ["inherit", "inherit", "pipe"] });
const filter = engineWarningFilter();
const write = (lines) => {
  for (const line of lines) process.stderr.write(`${line}\n`);
};
const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
lines.on("line", (line) => write(filter.push(line)));
const stderrDone = new Promise((resolve) => lines.on("close", resolve));
// A terminal's Ctrl-C reaches npm itself (same process group): we wait for it to end. A SIGTERM or SIGHUP sent to this
// wrapper alone is passed on.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`setup: could not run npm ci: ${error.message}`);
  process.exit(1);
});
child.on("close", async (code, signal) => {
  await stderrDone;
  write(filter.end());
  for (const note of harmlessEngineLines(filter.dropped)) console.log(note);
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
