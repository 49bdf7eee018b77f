// `otto-tray hooks install|uninstall|status`: merges the hook handler into Claude Code's settings.json (under a lock), takes it out, or reports it.
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SHIPPED_CLI_MANIFEST, stableCliPath, stableCliPointsAt } from "../../core/app/cli-link";
import { userHome } from "../../core/fs/user-home";
import { describeError, ExitCode, OttoError, UsageError } from "../../core/errors";
import { parseSurfaceId } from "../../core/ids";
import { defaultSettingsFile, readSettings } from "../../core/hooks/settings-file";
import { type HookTransport, shellQuote } from "../../core/hooks/settings";
import { installSurfaceHooks, type SurfaceHooksResult, uninstallSurfaceHooks } from "../../core/hooks/install";
import { inspectHooks, type PermissionModeAdvice, permissionModeAdvice } from "../../core/hooks/status";
import { HANDLED_EVENTS } from "../../core/hooks/map";
import { hookPortFrom, hookUrl, parseHookUrl } from "../../core/hooks/http/hook-url";
import { type HookEndpointProbe, probeHookEndpoint } from "../../core/hooks/http/probe";
import { ensureHookToken, hookTokenFile, readHookToken } from "../../core/hooks/http/token";
import { worktreeHooksOf } from "../../core/hooks/worktree-settings";
import { parseCommandArgs, requireOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { AGENTS, type Agent } from "../../core/agents";
import { requireKnownSurface } from "../known-surface";
import { agentHooksCurrent, agentHooksStatus, type AgentHooksStatus, agentSettingsFile } from "../../core/hooks/agents/agent-install";
import { runAgentHooks } from "./hooks-agent";
import { writeJson } from "../output";
import { unknownNameHint } from "../suggest";

export const USAGE = `usage: otto-tray hooks install   --surface ID [--agent NAME] [--settings FILE] [--command CMD] [--transport command|http]
                                 [--worktrees] [--allow-new-surface] [--json]
       otto-tray hooks uninstall --surface ID [--agent NAME] [--settings FILE] [--json]
       otto-tray hooks status    [--surface ID] [--settings FILE] [--json]

install refuses a surface the preferences do not list (nor the defaults) unless --allow-new-surface.
install adds to Claude Code's settings a handler that runs
\`otto-tray hook --surface ID --pid "$PPID"\` on ${HANDLED_EVENTS.join(", ")}.
Every other hook and setting is kept; the file is replaced atomically under a lock (FILE.otto-tray.lock,
so installs for several surfaces at once all land) and its previous content saved as
FILE.otto-tray.bak. Installing twice changes nothing; installing over an older install adds the
events it missed and updates its entries in place. uninstall removes only the entries install
added for that surface.

install and status also read permissions.defaultMode: unset or "auto" is Claude Code's auto mode
(the default of 2.1.330), in which a dialog sends no PermissionRequest; they say what to change.

status lists, per surface with entries in FILE (or only ID), whether they are current: every
event handled, with today's matcher and timeout.

  --surface ID      the surface the heartbeats are for (e.g. otto-cli)
  --agent NAME      claude-code, codex or gemini (default: the surface's agent in the preferences, else
                    claude-code). Codex: one marked block in $CODEX_HOME/config.toml (default ~/.codex), the
                    rest of the TOML kept byte for byte; Gemini: ~/.gemini/settings.json. --settings names
                    the file for any agent; --transport and --worktrees are Claude Code's only.
  --settings FILE   default $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json
  --command CMD     what runs otto-tray, as shell text (default: this node and this checkout's
                    bin/otto-tray, both by absolute path, so the hook does not depend on PATH; for the
                    otto-tray shipped inside Otto Tray.app, the app's stable link when it points at
                    this copy, else this copy's bin/otto-tray, which brings its own Node)
  --transport T     command (the default): a process per event. http: every event but SessionStart is
                    POSTed to the endpoint the app or \`otto-tray serve\` opens on 127.0.0.1:<hookHttpPort>
                    (preferences; default 47652), with a token of its own (<home>/hook-token) in a header,
                    so the settings file is made private (0600). No process per event, but while neither
                    runs Claude Code shows "hook failed" on every event; status says whether it answers.
  --worktrees       also serve \`claude --worktree NAME\` from the pool: WorktreeCreate leases a sidetick
                    (\`otto-tray hook worktree-create\`), WorktreeRemove rescues and frees it, SessionEnd
                    keeps a kept one for 24 h; refused when another surface has them in FILE
  --json            print the result as JSON
  --bus-dir, --home, --config given to install are passed on to the handler (as absolute paths).

A settings file that is a symlink is written through at its target. One that is read-only (by
its mode bits), a symlink whose target does not exist, or not a regular file is refused.

Exit 0 done (or nothing to do; status: every surface listed is current), 2 bad arguments or a
settings file that is not a JSON object, read-only or a dangling symlink (left untouched), 1 the
file could not be read, written or locked, 6 (status) a surface is not installed or not current, or its HTTP endpoint does not answer
(\`hooks install\` updates it).
`;

export { defaultSettingsFile };

/**
 * The checkout's `bin/otto-tray`: the first ancestor of this module holding it. The module is a chunk under
 * dist/cli/ when bundled and cli/commands/ in tests, so the depth differs; searching covers both.
 */
export function resolveOttoTrayBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "bin", "otto-tray");
    if (existsSync(candidate)) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const invoked = process.argv[1];
  if (invoked !== undefined && existsSync(invoked)) return realpathSync(invoked);
  throw new UsageError("cannot find bin/otto-tray next to this build", "pass --command with the command that runs otto-tray");
}

/**
 * What hooks run when `--command` is not given. A checkout runs this Node on its bin/otto-tray. The copy shipped inside
 * the app (its manifest beside bin/) brings its own Node, so its wrapper runs alone; through the stable link the app
 * keeps pointing at itself when that link leads here, so the hooks survive the app being moved.
 */
export function defaultHookCommand(env: NodeJS.ProcessEnv): string {
  const bin = resolveOttoTrayBin();
  if (existsSync(join(dirname(dirname(bin)), SHIPPED_CLI_MANIFEST))) {
    const stable = stableCliPath(userHome(env));
    return shellQuote(stableCliPointsAt(stable, bin) ? stable : bin);
  }
  return `${shellQuote(process.execPath)} ${shellQuote(bin)}`;
}

/** The global options given to install, passed on to the handler as absolute paths. */
function passOnOptions(values: { "bus-dir"?: string | undefined; home?: string | undefined; config?: string | undefined }): string[] {
  const passOn: string[] = [];
  for (const name of ["bus-dir", "home", "config"] as const) {
    const value = values[name];
    if (value !== undefined && value !== "") passOn.push(`--${name}`, resolve(value));
  }
  return passOn;
}

/** `--agent` when given (checked), else the surface's agent in the preferences, else Claude Code. */
function hooksAgent(given: string | undefined, fromPrefs: Agent | undefined): Agent {
  if (given === undefined) return fromPrefs ?? "claude-code";
  if ((AGENTS as readonly string[]).includes(given)) return given as Agent;
  throw new UsageError(`--agent: ${JSON.stringify(given)} is not one of ${AGENTS.join(", ")}`, "name the agent that runs on the surface (or set it in the preferences' surfaces)");
}

function list(events: readonly string[]): string {
  return events.length === 0 ? "-" : events.join(", ");
}

/** The subcommands, for the dispatcher's error prefix. */
export const subcommands = ["install", "uninstall", "status"] as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    surface: { type: "string" },
    settings: { type: "string" },
    command: { type: "string" },
    json: { type: "boolean" },
    worktrees: { type: "boolean" },
    transport: { type: "string" },
    agent: { type: "string" },
    "allow-new-surface": { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action !== "install" && action !== "uninstall" && action !== "status") {
    const hint = action === undefined ? "run otto-tray hooks --help" : unknownNameHint(action, subcommands, "otto-tray hooks --help");
    throw new UsageError(`expected install, uninstall or status, got ${JSON.stringify(action ?? null)}`, hint);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, "run otto-tray hooks --help");
  const settingsFile = resolve(values.settings ?? defaultSettingsFile(io.env));
  if (values.transport !== undefined && values.transport !== "command" && values.transport !== "http") {
    throw new UsageError(`--transport: expected command or http, got ${JSON.stringify(values.transport)}`, "command is the default; http needs the app or otto-tray serve running");
  }
  if (values.transport !== undefined && action !== "install") throw new UsageError("--transport: only install takes it", "uninstall and status find every entry of the surface, whatever its transport");
  // One context: the preferences are read once, whatever needs them.
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  if (action === "status") {
    if (values.command !== undefined) throw new UsageError("--command: only install takes it", "run otto-tray hooks --help");
    const only = values.surface === undefined ? undefined : parseSurfaceId(values.surface, "--surface");
    const prefs = await context.prefs();
    // Codex and Gemini surfaces have hooks in their own files: each read where install would write it.
    const agentSurfaces = prefs.surfaces.filter((s) => s.agent !== "claude-code" && (only === undefined || s.id === only));
    const agents = agentSurfaces.map((s) => agentHooksStatus(s.agent as Exclude<Agent, "claude-code">, agentSettingsFile(s.agent as Exclude<Agent, "claude-code">, io.env, values.settings), s.id));
    return status(settingsFile, only, values.json === true, io, prefs.actuator.permissionWaitSeconds, context.homeDir, agents);
  }
  const surface = parseSurfaceId(requireOption(values.surface, "surface", "ID"), "--surface");
  if (action === "uninstall" && values.command !== undefined) throw new UsageError("--command: only install takes it", "uninstall finds its entries by surface");
  if (values.command !== undefined && values.command.trim() === "") throw new UsageError("--command: must not be empty", "e.g. --command /opt/otto-tray/bin/otto-tray");
  if (action === "install") await requireKnownSurface(surface, context, values["allow-new-surface"] === true);
  const prefs = await context.prefs();
  const waitSeconds = prefs.actuator.permissionWaitSeconds;
  const home = context.homeDir;
  const agent = hooksAgent(values.agent, prefs.surfaces.find((s) => s.id === surface)?.agent);
  if (agent !== "claude-code") {
    const claudeOnly = [values.transport !== undefined ? "--transport" : "", values.worktrees === true ? "--worktrees" : ""].filter(Boolean);
    return runAgentHooks({ action, agent, surface, settings: values.settings, executable: values.command ?? defaultHookCommand(io.env), passOn: passOnOptions(values), homeDir: home, json: values.json === true, claudeOnly }, io);
  }
  let result: SurfaceHooksResult;
  let command: string | undefined;
  let mode: PermissionModeAdvice | undefined;
  let endpoint: { url: string; probe: HookEndpointProbe } | undefined;
  if (action === "install") {
    const passOn = passOnOptions(values);
    // Absolute paths: Claude Code runs hooks with its own PATH (a GUI launch, tmux), which may not hold node.
    let transport: HookTransport = { kind: "command" };
    if (values.transport === "http") {
      const port = hookPortFrom(prefs.hookHttpPort, io.env);
      if (port === 0) throw new UsageError("--transport http: $OTTO_TRAY_HOOK_PORT is 0, so no endpoint would be opened", "unset OTTO_TRAY_HOOK_PORT (or set it to the port the app uses)");
      let token: string;
      try {
        token = ensureHookToken(home);
      } catch (error) {
        throw new OttoError(`--transport http: the endpoint's token cannot be used: ${describeError(error)}`);
      }
      transport = { kind: "http", url: hookUrl(port, surface), token };
      endpoint = { url: transport.url, probe: await probeHookEndpoint(port) };
    }
    const installed = await installSurfaceHooks({ settingsFile, surface, executable: values.command ?? defaultHookCommand(io.env), passOn, waitSeconds, homeDir: home, worktrees: values.worktrees === true, transport });
    result = installed;
    command = installed.command;
    mode = installed.permissionMode;
  } else {
    result = await uninstallSurfaceHooks({ settingsFile, surface, homeDir: home });
  }
  const { change, backup, settingsFile: written } = result;

  if (values.json) {
    writeJson(io.stdout, {
      action,
      surface,
      settingsFile: written,
      changed: change.changed,
      added: change.added,
      updated: change.updated,
      removed: change.removed,
      backup: backup ?? null,
      command: command ?? null,
      transport: values.transport ?? "command",
      ...(endpoint === undefined ? {} : { endpoint: { url: endpoint.url, ...endpoint.probe } }),
      ...(mode === undefined ? {} : { permissionMode: mode }),
    });
    return 0;
  }
  const verb = action === "install" ? "installed" : "uninstalled";
  const lines: string[] = [];
  if (!change.changed) {
    lines.push(`hooks for ${surface} already ${verb} in ${written}; nothing changed`);
  } else {
    lines.push(`hooks for ${surface} ${verb} in ${written}`);
    if (action === "install") lines.push(`  added:   ${list(change.added)}`, `  updated: ${list(change.updated)}`, `  command: ${command ?? ""}`);
    else lines.push(`  removed from: ${list(change.removed)}`);
    if (endpoint !== undefined) lines.push(`  http:    every event but SessionStart posts to ${endpoint.url}; ${written} is private (0600): it holds the endpoint's token`);
    if (backup !== undefined) lines.push(`  backup:  ${backup}`);
  }
  if (endpoint !== undefined) lines.push(endpointLine(endpoint.probe));
  if (mode?.advice != null) lines.push(`note: ${mode.advice}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** Whether the HTTP hooks have someone to post to: Claude Code prints an error on every event while nothing answers. */
function endpointLine(probe: HookEndpointProbe): string {
  if (probe.answers) return `  endpoint: answers (${probe.owner}, pid ${probe.pid})`;
  return `note: the endpoint does not answer (${probe.reason}): until the Otto Tray app or \`otto-tray serve\` runs, Claude Code shows "hook failed" on every event`;
}

async function status(settingsFile: string, only: string | undefined, json: boolean, io: CliIO, waitSeconds: number, homeDir: string, agents: AgentHooksStatus[] = []): Promise<number> {
  const document = readSettings(settingsFile);
  const token = readHookToken(homeDir);
  // An entry whose program is gone (node upgraded, checkout moved) runs nothing: not current.
  const found = inspectHooks(document.value, only, waitSeconds, token.ok ? token.token : undefined);
  const worktrees = worktreeHooksOf(document.value);
  const probes = new Map<number, HookEndpointProbe>();
  for (const url of new Set(found.flatMap((s) => s.urls))) {
    const port = parseHookUrl(url)?.port;
    if (port !== undefined && !probes.has(port)) probes.set(port, await probeHookEndpoint(port));
  }
  // The token sits in the file: one that others can read gives them the endpoint.
  const exposed = (document.mode & 0o077) !== 0;
  const surfaces = found.map((s) => {
    const missingPrograms = [...new Set(s.commands.flatMap(absolutePrograms).filter((path) => !existsSync(path)))];
    const endpoints = s.urls.map((url) => ({ url, ...(probes.get(parseHookUrl(url)?.port ?? -1) ?? { answers: false as const, reason: "not a loopback URL" }) }));
    const tokenProblem = s.transport !== "http" ? null : !token.ok ? token.reason : s.tokenCurrent === false ? `the token in ${document.path} is not the endpoint's (${hookTokenFile(homeDir)}); the endpoint answers it with 401` : exposed ? `${document.path} holds the endpoint's token but others can read it (chmod 600 it)` : null;
    return { ...s, current: s.current && missingPrograms.length === 0 && tokenProblem === null, missingPrograms, endpoints, tokenProblem, worktrees: worktrees.get(s.surface) ?? [] };
  });
  const mode: PermissionModeAdvice = permissionModeAdvice(document.value, document.path);
  // An endpoint that does not answer is a problem left: Claude Code shows "hook failed" on every event meanwhile.
  // A Codex or Gemini surface the preferences list counts too: every event there, every program it runs present.
  const agentViews = agents.map((a) => {
    const missingPrograms = [...new Set(a.commands.flatMap(absolutePrograms).filter((path) => !existsSync(path)))];
    return { ...a, current: agentHooksCurrent(a) && missingPrograms.length === 0, missingPrograms };
  });
  const ok = surfaces.every((s) => s.current && s.endpoints.every((e) => e.answers)) && agentViews.every((a) => a.current);
  if (json) {
    writeJson(io.stdout, { settingsFile: document.path, exists: document.exists, surfaces, permissionMode: mode, agents: agentViews });
    return ok ? 0 : ExitCode.problemsLeft;
  }
  const lines: string[] = [];
  if (surfaces.length === 0) lines.push(`no Otto Tray hooks in ${document.path}`);
  for (const a of agentViews) {
    const name = a.agent === "codex" ? "Codex" : "Gemini CLI";
    if (a.problem !== null) lines.push(`${a.surface} (${name}): ${a.settingsFile} cannot be read: ${a.problem}`);
    else if (a.installed.length === 0) lines.push(`${a.surface} (${name}): not installed in ${a.settingsFile}; run otto-tray hooks install --surface ${a.surface}`);
    else lines.push(`${a.surface} (${name}): ${a.current ? "current" : `out of date; run otto-tray hooks install --surface ${a.surface}`} in ${a.settingsFile}`);
    if (a.installed.length > 0 && a.missing.length > 0) lines.push(`  missing:  ${list(a.missing)}`);
    if (a.outdated.length > 0) lines.push(`  outdated: ${list(a.outdated)}`);
    for (const path of a.missingPrograms) lines.push(`  missing program: ${path}`);
  }
  for (const s of surfaces) {
    if (s.installed.length === 0 && s.outdated.length === 0) {
      lines.push(`${s.surface}: not installed in ${document.path}; run otto-tray hooks install --surface ${s.surface}`);
      continue;
    }
    lines.push(`${s.surface}: ${s.current ? "current" : `out of date; run otto-tray hooks install --surface ${s.surface} to update it in place`} (transport: ${s.transport})`);
    if (s.missing.length > 0) lines.push(`  missing:  ${list(s.missing)}`);
    if (s.outdated.length > 0) lines.push(`  outdated: ${list(s.outdated)}`);
    for (const path of s.missingPrograms) lines.push(`  missing program: ${path}`);
    for (const c of s.commands) lines.push(`  command:  ${c}`);
    for (const e of s.endpoints) lines.push(`  http:     ${e.url}: ${e.answers ? `answers (${e.owner}, pid ${e.pid})` : `does not answer (${e.reason}); Claude Code shows "hook failed" on every event until the app or otto-tray serve runs`}`);
    if (s.tokenProblem !== null) lines.push(`  token:    ${s.tokenProblem}; run otto-tray hooks install --transport http --surface ${s.surface}`);
    if (s.worktrees.length > 0) lines.push(`  worktrees: ${s.worktrees.join(", ")} (claude --worktree is served from the pool)`);
  }
  // The note concerns installed hooks only: none (or only other surfaces') in this file, and it does not apply.
  const concerned = surfaces.some((s) => s.installed.length > 0 || s.outdated.length > 0);
  if (mode.advice !== null && concerned) lines.push(`note: ${mode.advice}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return ok ? 0 : ExitCode.problemsLeft;
}

/** The absolute paths a command starts with (`node` and `bin/otto-tray`, as install writes them), unquoted. */
function absolutePrograms(command: string): string[] {
  const head = command.slice(0, Math.max(0, command.indexOf(" hook --surface ")));
  const words = [...head.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string)));
  return words.filter((word) => word.startsWith("/"));
}
