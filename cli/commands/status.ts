// `otto-tray status`: a one-shot snapshot of every surface, as a table or JSON.
import { lstatSync, opendirSync, statSync } from "node:fs";
import { listSessionRecords } from "../../core/actuator/pty/session-paths";
import { remoteForStatus, renderRemote } from "../../core/bridge/remote-status";
import { hookWarnings } from "../../core/hooks/installed-record";
import { isProcessAlive } from "../../core/process-liveness";
import { ExitCode } from "../../core/errors";
import { evaluateBusOnce } from "../../core/service";
import { joinHosted } from "../../core/sessions/join-hosted";
import { registrySessionRows, type SessionRow } from "../../core/sessions/session-rows";
import { registrySessionSource } from "../../core/sessions/session-source";
import type { Snapshot } from "../../core/snapshot";
import { noPositionals, parseCommandArgs, parseTimeOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { terminalSafe, terminalSafeLines } from "../../core/text/terminal-safe";
import { formatAge, formatTable, writeJson } from "../output";

const USAGE = `usage: otto-tray status [--json] [--now ISO] [--bus-dir DIR] [--config FILE] [--home DIR]
  --now ISO   evaluate at a fixed time (e.g. to read an old bus directory)
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" }, now: { type: "string" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "status");
  const now = (parseTimeOption(values.now, "now") ?? new Date()).getTime();
  // A key of the preferences that fell back is named on stderr (as every command does) and in --json.
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = await context.prefs();
  const prefsProblems = (await context.prefsProblems()).map((p) => p.line);
  // Each surface with Claude Code sessions follows them (their registry, read with this command's environment);
  // not at another time (--now): the sessions are as they are now.
  const followed = values.now === undefined ? { sessions: registrySessionSource(io.env, prefs).sessions } : {};
  const busDir = await context.busDir();
  const bus = busReadability(busDir);
  const { snapshot } = evaluateBusOnce({ busDir, prefs, now, publishEscalations: false, ...followed });
  // Claude Code's own auto mode sends no PermissionRequest: its dialogs reach the hooks late or never. Say so.
  const hooks = hookWarnings(context.homeDir);
  // Every Claude Code session, found in its own registry (no hooks needed) and joined with the hosted ones.
  const registry = registrySessionRows(io.env, prefs);
  const hosted = listSessionRecords(context.homeDir).map((r) => ({ surface: r.surface, sessionId: r.sessionId, childPid: r.childPid, alive: isProcessAlive(r.host), cwd: r.cwd }));
  const sessions = joinHosted(registry.rows, hosted);
  // Other machines, as this state directory's bridge last heard them (surface ids repeat across machines: apart).
  const remote = remoteForStatus(context.homeDir);
  if (values.json) writeJson(io.stdout, { ...snapshot, sessions, sessionProblems: registry.problems, hookWarnings: hooks, prefsProblems, ...remote }, true);
  else
    io.stdout.write(
      `${renderSnapshot(snapshot, now, bus)}${renderSessions(sessions, now)}${registry.problems.map((p) => `session record skipped: ${terminalSafe(p)}\n`).join("")}${hooks.map((w) => `hooks of ${w.surface}: ${terminalSafe(w.advice)}\n`).join("")}${terminalSafeLines(renderRemote(remote))}`,
    );
  // A bus that cannot be read is a failure (the snapshot above shows nothing); one that does not exist yet is not.
  if (bus.kind !== "unreadable") return 0;
  io.stderr.write(`otto-tray status: the bus cannot be read: ${terminalSafe(bus.why)}\n`);
  return ExitCode.failure;
}

/** What status makes of the bus directory: not there yet (no heartbeats yet), in the way of reading, or readable. */
export type BusReadability = { kind: "readable" } | { kind: "absent" } | { kind: "unreadable"; why: string };

export function busReadability(dir: string): BusReadability {
  const unreadable = (why: string): BusReadability => ({ kind: "unreadable", why });
  try {
    if (!statSync(dir).isDirectory()) return unreadable(`${dir} is not a directory (a file is in its place)`);
    opendirSync(dir).closeSync();
    return { kind: "readable" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") return unreadable(`${dir} cannot be opened (${code ?? "error"})`);
    try {
      lstatSync(dir);
      return unreadable(`${dir} is a dangling symlink`);
    } catch {
      return { kind: "absent" };
    }
  }
}

/** A path with the home directory shown as ~ and only its last three parts when long. */
function shortPath(path: string, home: string | undefined): string {
  const homed = home !== undefined && home !== "" && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
  const parts = homed.split("/");
  return parts.length > 4 ? `…/${parts.slice(-3).join("/")}` : homed;
}

/** The sessions, one row each: surface (or "other sessions"), state and for how long, name, cwd, branch, what it waits for. */
export function renderSessions(sessions: readonly SessionRow[], now: number, home: string | undefined = process.env.HOME): string {
  if (sessions.length === 0) return "sessions: none found\n";
  const rows = sessions.map((s) => [
    s.surface ?? "(other)",
    s.since === null ? s.state : `${s.state} ${formatAge(now - Date.parse(s.since))}`,
    String(s.pid),
    terminalSafe(s.name ?? "-"),
    terminalSafe(shortPath(s.cwd, home)),
    terminalSafe(s.branch ?? "-"),
    terminalSafe(s.waitingFor ?? ""),
  ]);
  return formatTable(["SESSION OF", "STATE", "PID", "NAME", "CWD", "BRANCH", "WAITING FOR"], rows);
}

/** The readable form of a snapshot. */
export function renderSnapshot(snapshot: Snapshot, now: number, busState: BusReadability = { kind: "readable" }): string {
  const rows = snapshot.surfaces.map((s) => [
    s.id,
    s.state,
    s.lastHeartbeatAt === null ? "-" : `${formatAge(now - Date.parse(s.lastHeartbeatAt))} ago`,
    String(s.briefAckStreak),
    s.pid === null ? "-" : `${s.pid}${s.alive === false ? " (gone)" : ""}`,
    s.waiting ?? s.note ?? "",
  ]);
  const lines = [formatTable(["SURFACE", "STATE", "LAST BEAT", "STREAK", "PID", "WAITING / NOTE"], rows)];
  const q = snapshot.quorum;
  lines.push(q.active ? `quorum: ${terminalSafe(q.surfaces.join(", "))} idle since ${q.since}\n` : "quorum: none\n");
  const b = snapshot.bus;
  lines.push(`bus: ${terminalSafe(snapshot.busDir)} — ${b.envelopes} envelopes (${b.foreign} foreign), ${b.rejected} rejected\n`);
  if (busState.kind === "absent") lines.push(`no heartbeats yet: ${terminalSafe(snapshot.busDir)} does not exist yet (the first heartbeat makes it)\n`);
  else if (busState.kind === "unreadable") lines.push(`bus cannot be read: ${terminalSafe(busState.why)} (nothing is acted on)\n`);
  else if (!snapshot.busTrusted) lines.push(`bus NOT trusted: ${terminalSafe(snapshot.busProblem ?? "unknown reason")} (nothing is acted on)\n`);
  if (snapshot.wakeGraceUntil !== null) lines.push(`woke from sleep: hung detection resumes at ${snapshot.wakeGraceUntil}\n`);
  return lines.join("");
}
