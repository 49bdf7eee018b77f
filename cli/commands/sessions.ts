// `otto-tray sessions`: the sessions hosted by `otto-tray run`, with what their screens show now.
import { requestControl } from "../../core/actuator/pty/control-socket";
import { listSessionRecords } from "../../core/actuator/pty/session-paths";
import type { ScreenReading } from "../../core/actuator/screen/types";
import { isProcessAlive } from "../../core/process-liveness";
import { noPositionals, parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { formatTable, writeJson } from "../output";

const USAGE = "usage: otto-tray sessions [--json]\n";

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "sessions");
  const records = listSessionRecords(resolveContext(values, io.env).homeDir);
  const sessions = await Promise.all(
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
      return { surface: r.surface, sessionId: r.sessionId, pid: r.childPid, hostPid: r.host.pid, alive, command: r.command, prompt, lastOutputAt };
    }),
  );
  if (values.json) writeJson(io.stdout, sessions, true);
  else {
    const rows = sessions.map((s) => [s.surface, String(s.pid), s.alive ? "yes" : "no", s.prompt === null ? "-" : String((s.prompt as { question: string }).question), s.lastOutputAt ?? "-"]);
    io.stdout.write(formatTable(["SURFACE", "PID", "ALIVE", "PROMPT", "LAST OUTPUT"], rows));
  }
  return 0;
}
