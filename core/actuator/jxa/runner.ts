// Runs a JXA script: on macOS through osascript (with a timeout that kills it), in tests through a simulated model.
import { spawn } from "node:child_process";
import { type JxaScriptName, jxaProgram } from "./script-text";

/** The one interface the actuator uses; tests pass the simulated runner. */
export interface JxaRunner {
  run(script: JxaScriptName, args: unknown): Promise<unknown>;
}

/** The osascript runner of a Mac: script on stdin, arguments as JSON in OSA_ARGS, killed after `timeoutMs`. */
export function osascriptRunner(options: { timeoutMs?: number; platform?: NodeJS.Platform } = {}): JxaRunner {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    run(script, args) {
      if ((options.platform ?? process.platform) !== "darwin") return Promise.reject(new Error("JXA needs macOS (osascript is not available here)"));
      return new Promise((resolve, reject) => {
        const child = spawn("/usr/bin/osascript", ["-l", "JavaScript"], {
          env: { ...process.env, OSA_ARGS: JSON.stringify(args) },
          stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
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
