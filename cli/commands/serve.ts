// `otto-tray serve`: the app service and the React dashboard on localhost, behind a random token.
import { spawn } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import type { AppSnapshot } from "../../core/api";
import { AppService } from "../../core/app-service";
import { describeError, ExitCode, UsageError } from "../../core/errors";
import { noPositionals, parseCommandArgs, parseIntOption } from "../args";
import type { CliIO } from "../context";
import { startDashboard } from "../serve/http-server";
import { newToken } from "../serve/security";
import { findRendererDir } from "../serve/static-files";
import { defaultHookCommand } from "./hooks";

const USAGE = `usage: otto-tray serve [--port N] [--host 127.0.0.1] [--open] [--bus-dir DIR] [--config FILE] [--home DIR]
  Serves the dashboard (the popover and preferences) on localhost. The first line printed is its URL with a random
  token after #token= (the page keeps it and sends it on every API call). --port 0 (the default) picks a free port.
  It also opens the HTTP hook endpoint on 127.0.0.1:<hookHttpPort> (preferences; $OTTO_TRAY_HOOK_PORT overrides,
  0 opens none) unless the app or another serve holds it; a line says which.
  --open opens it in the browser.
`;

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { port: { type: "string" }, host: { type: "string" }, open: { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "serve");
  const port = parseIntOption(values.port, "port", 0, 65_535) ?? 0;
  const host = values.host ?? "127.0.0.1";
  if (!LOCAL_HOSTS.has(host)) throw new UsageError(`--host ${JSON.stringify(host)}: the dashboard listens only on this machine`, "use --host 127.0.0.1 (or ::1)");
  keepYoungGenerationSmall();
  // Hooks installed from the dashboard run what `otto-tray hooks install` would write from this shell.
  const service = new AppService({ home: values.home, config: values.config, busDir: values["bus-dir"], env: io.env, hookCommand: hookCommandOrNone(io), owner: "serve" });
  await service.start();
  service.on("problem", (message) => io.stderr.write(`otto-tray serve: ${message}\n`));
  const token = newToken();
  const dashboard = await startDashboard({ service, token, host, port, rendererDir: findRendererDir() });
  io.stdout.write(`Dashboard: ${dashboard.url}\n`);
  const { paths, hookEndpoint } = service.snapshot();
  io.stdout.write(`bus ${paths.busDir} (${paths.busSource}); state ${paths.homeDir}; preferences ${paths.prefsFile}\n`);
  io.stdout.write(`${hookEndpointLine(hookEndpoint)}\n`);
  if (values.open) openBrowser(dashboard.url, io);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await dashboard.close();
  await service.stop();
  return ExitCode.ok;
}

/** Whether this serve answers HTTP hooks (`hooks install --transport http`), or who does. */
function hookEndpointLine(view: AppSnapshot["hookEndpoint"]): string {
  if (view.state === "owned") return `hook endpoint: http://127.0.0.1:${view.port}/hook (HTTP hooks answered here)`;
  if (view.state === "elsewhere") return `hook endpoint: 127.0.0.1:${view.port} ${view.detail ?? "is owned by another otto-tray"}; HTTP hooks are answered there`;
  return `hook endpoint: ${view.state}${view.detail === null ? "" : ` (${view.detail})`}`;
}

/** The command `hooks install` would use; none (the dashboard then says to install from a shell) when it cannot be found. */
function hookCommandOrNone(io: CliIO): string | undefined {
  try {
    return defaultHookCommand(io.env);
  } catch (error) {
    io.stderr.write(`otto-tray serve: hooks cannot be installed from the dashboard: ${describeError(error)}\n`);
    return undefined;
  }
}

function openBrowser(url: string, io: CliIO): void {
  const command = process.platform === "darwin" ? "open" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", (error) => io.stderr.write(`otto-tray serve: could not open a browser (${error.message}); open the URL above\n`));
  child.unref();
}

/**
 * Keeps V8's young generation at its starting size in this long-running process. Reading a bus of 20,000 envelopes
 * at start keeps a few MB alive, and V8 answers that by growing the young generation to 32 MB, which it then keeps
 * until a memory-reducing collection long after: that was a third of the dashboard's resident memory while idle.
 * The flag is read each time V8 would grow the space, so setting it now works; the cost is more (tiny) young
 * collections while the bus is first read.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}

