// `otto-tray sessions`: every Claude Code session (its own registry) and every session `otto-tray run` hosts, in one list.
import { requestControl } from "../../core/actuator/pty/control-socket";
import { listSessionRecords } from "../../core/actuator/pty/session-paths";
import type { ScreenReading } from "../../core/actuator/screen/types";
import { isProcessAlive } from "../../core/process-liveness";
import { joinHosted } from "../../core/sessions/join-hosted";
import { registrySessionRows } from "../../core/sessions/session-rows";
import { terminalSafe } from "../../core/text/terminal-safe";
import { noPositionals, parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { formatTable, writeJson } from "../output";

const USAGE = "usage: otto-tray sessions [--json] [--config FILE] [--home DIR]\n";

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "sessions");
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const records = listSessionRecords(context.homeDir);
  const hosted = await Promise.all(
    records.map(async (r) => {
      const alive = isProcessAlive(r.host);
      let prompt: unknown = null;
      let lastOutputAt: string | null = null;
      if (alive) {
        try {
          const seen = (await requestControl(r.socket, { op: "screen" }, 3_000)) as { reading: ScreenReading; lastOutputAt: string };
          lastOutputAt = seen.lastOutputAt;
          const reading = seen.reading;
          if (reading.kind === "permission") prompt = { kind: "permission", question: reading.question, subject: reading.subject, options: reading.options.map((o) => o.label) };
          else if (reading.kind === "other-dialog") prompt = { kind: "dialog", question: reading.question, subject: null, options: reading.options.map((o) => o.label) };
        } catch {
          // A host that does not answer is listed without a prompt.
        }
      }
      return { surface: r.surface, sessionId: r.sessionId, pid: r.childPid, hostPid: r.host.pid, alive, command: r.command, prompt, lastOutputAt, cwd: r.cwd };
    }),
  );
  const registry = registrySessionRows(io.env, await context.prefs());
  const hostOf = new Map(hosted.map((h) => [h.pid, h]));
  const sessions = joinHosted(registry.rows, hosted.map((h) => ({ ...h, childPid: h.pid }))).map((row) => {
    const host = row.source.includes("pty-host") ? hostOf.get(row.pid) : undefined;
    return { ...row, alive: row.state !== "ended", hostPid: host?.hostPid ?? null, command: host?.command ?? null, prompt: host?.prompt ?? null, lastOutputAt: host?.lastOutputAt ?? null };
  });
  for (const problem of registry.problems) io.stderr.write(`otto-tray sessions: ${terminalSafe(problem)}\n`);
  if (values.json) writeJson(io.stdout, sessions, true);
  else {
    const rows = sessions.map((s) => [
      s.surface ?? "(other)",
      String(s.pid),
      s.state,
      terminalSafe(s.name ?? "-"),
      s.prompt === null ? terminalSafe(s.waitingFor ?? "-") : terminalSafe(String((s.prompt as { question: string }).question)),
      s.source.join("+"),
    ]);
    io.stdout.write(formatTable(["SURFACE", "PID", "STATE", "NAME", "WAITING / PROMPT", "SOURCE"], rows));
  }
  return 0;
}
