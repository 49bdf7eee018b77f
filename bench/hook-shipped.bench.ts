// Benchmark: `otto-tray hook` (PreToolUse, PermissionRequest) through the CLI as the app ships it (stable symlink → sh wrapper → bundled Node) against `node bin/otto-tray`, interleaved; prints one JSON object.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureStableCli, stableCliPath } from "../core/app/cli-link";
import { intEnv, round, summarize } from "./stats";

const RUNS = intEnv("HOOK_BENCH_RUNS", 30);
const WARMUP = intEnv("HOOK_BENCH_WARMUP", 3);

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_BIN = join(REPO_ROOT, "bin", "otto-tray");
const EVENTS = join(REPO_ROOT, "test-support", "fixtures", "claude-code", "hook-events");

interface Case {
  command: string;
  args: string[];
  input: string;
}

/** Wall time of one process from spawn to exit, in milliseconds; fails loudly unless it succeeded quietly (as a hook must). */
function time(c: Case): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(c.command, c.args, { input: c.input, encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: process.env.HOME ?? "/" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 || result.stdout !== "" || result.stderr !== "") {
    throw new Error(`${c.command} ${c.args.join(" ")} failed: ${JSON.stringify({ status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error?.message })}`);
  }
  return ms;
}

function main(): void {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
  const work = mkdtempSync(join(tmpdir(), "otto-hook-shipped-bench-"));
  try {
    // The app's layout and the stable link the app keeps, exactly as hooks installed from the app run it.
    const cli = join(work, "Otto Tray.app", "Contents", "Resources", "cli");
    const staged = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "stage-cli.mjs"), "--out", cli], { encoding: "utf8" });
    if (staged.status !== 0) throw new Error(`stage-cli failed: ${staged.stderr}`);
    const stableLink = stableCliPath(join(work, "home"), process.platform, {});
    const linked = ensureStableCli({ stableLink, target: join(cli, "bin", "otto-tray") });
    if (linked.status !== "created") throw new Error(linked.message);

    const bus = join(work, "bus");
    const home = join(work, "state");
    const hookArgs = ["hook", "--surface", "otto-cli", "--pid", String(process.pid), "--bus-dir", bus, "--home", home];
    const preToolUse = readFileSync(join(EVENTS, "pre-tool-use.json"), "utf8");
    const permissionRequest = readFileSync(join(EVENTS, "permission-request.json"), "utf8");
    const cases = {
      nodeBaseline: { command: process.execPath, args: ["-e", "0"], input: "" },
      checkoutPreToolUse: { command: process.execPath, args: [CLI_BIN, ...hookArgs], input: preToolUse },
      shippedPreToolUse: { command: stableLink, args: hookArgs, input: preToolUse },
      checkoutPermissionRequest: { command: process.execPath, args: [CLI_BIN, ...hookArgs], input: permissionRequest },
      shippedPermissionRequest: { command: stableLink, args: hookArgs, input: permissionRequest },
    } satisfies Record<string, Case>;
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof cases, number[]>;

    for (let i = 0; i < WARMUP; i++) for (const name of names) time(cases[name]);
    // Interleaved so that machine noise lands on every side alike.
    for (let i = 0; i < RUNS; i++) for (const name of names) samples[name].push(time(cases[name]));

    const published = existsSync(bus) ? readdirSync(bus).filter((n) => n.endsWith(".json")).length : 0;
    if (published !== (WARMUP + RUNS) * 4) throw new Error(`expected ${(WARMUP + RUNS) * 4} heartbeats, found ${published}`);
    if (existsSync(join(home, "logs", "hook.log"))) throw new Error(`the hook logged errors: ${readFileSync(join(home, "logs", "hook.log"), "utf8")}`);

    const s = Object.fromEntries(names.map((name) => [name, summarize(samples[name], 2)])) as Record<keyof typeof cases, ReturnType<typeof summarize>>;
    const ratio = (a: number, b: number) => round(a / b, 2);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "hook-shipped",
        runs: RUNS,
        how: "spawned directly (Claude Code's sh -c costs both sides alike); shipped = stable symlink -> sh wrapper -> bundled node; safety switch off",
        nodeBaseline: s.nodeBaseline,
        preToolUse: { checkout: s.checkoutPreToolUse, shipped: s.shippedPreToolUse, ratioP50: ratio(s.shippedPreToolUse.p50, s.checkoutPreToolUse.p50), extraMsP50: round(s.shippedPreToolUse.p50 - s.checkoutPreToolUse.p50, 2) },
        permissionRequest: {
          checkout: s.checkoutPermissionRequest,
          shipped: s.shippedPermissionRequest,
          ratioP50: ratio(s.shippedPermissionRequest.p50, s.checkoutPermissionRequest.p50),
          extraMsP50: round(s.shippedPermissionRequest.p50 - s.checkoutPermissionRequest.p50, 2),
        },
      })}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
