// Runs a JXA script: on macOS through osascript (with a timeout that kills it), in tests through a simulated model.
import { spawn } from "node:child_process";
import { type JxaScriptName, jxaProgram } from "./script-text";

/** The one interface the actuator uses; tests pass the simulated runner. */
export interface JxaRunner {
  run(script: JxaScriptName, args: unknown): Promise<unknown>;
}

/** The most osascript may print: a window's reading is some KiB; a whole chat history read by mistake is cut off. */
export const MAX_OSASCRIPT_OUTPUT_CHARS = 8 * 1024 * 1024;

/**
 * The osascript runner of a Mac: script on stdin, arguments as JSON in OSA_ARGS, killed after `timeoutMs` or once it
 * printed more than {@link MAX_OSASCRIPT_OUTPUT_CHARS}. `program` stands in for osascript in tests.
 */
export function osascriptRunner(options: { timeoutMs?: number; platform?: NodeJS.Platform; program?: string } = {}): JxaRunner {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    run(script, args) {
      if ((options.platform ?? process.platform) !== "darwin") return Promise.reject(new Error("JXA needs macOS (osascript is not available here)"));
      return new Promise((resolve, reject) => {
        const child = spawn(options.program ?? "/usr/bin/osascript", ["-l", "JavaScript"], {
          env: { ...process.env, OSA_ARGS: JSON.stringify(args) },
          stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let tooLong = false;
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        const collect = (d: string, into: "stdout" | "stderr") => {
          if (tooLong) return;
          if (into === "stdout") stdout += d;
          else stderr += d;
          if (stdout.length + stderr.length <= MAX_OSASCRIPT_OUTPUT_CHARS) return;
          tooLong = true;
          child.kill("SIGKILL");
        };
        child.stdout.setEncoding("utf8").on("data", (d: string) => collect(d, "stdout"));
        child.stderr.setEncoding("utf8").on("data", (d: string) => collect(d, "stderr"));
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          if (tooLong) return reject(new Error(`osascript ${script} printed more than ${MAX_OSASCRIPT_OUTPUT_CHARS} characters`));
          if (signal !== null) return reject(new Error(`osascript ${script} did not answer within ${timeoutMs} ms`));
          if (code !== 0) return reject(new Error(`osascript ${script} failed: ${stderr.trim() || `exit ${code}`}`));
          try {
            resolve(JSON.parse(stdout) as unknown);
          } catch {
            reject(new Error(`osascript ${script} printed something that is not JSON`));
          }
        });
        child.stdin.on("error", () => undefined);
        child.stdin.end(jxaProgram(script));
      });
    },
  };
}
