// Runs the built `otto-tray serve` as a real process and talks to it over real HTTP (Host and Origin settable).
// No test runner attached (vitest and Playwright use it): callers end leftovers with stopAllServes.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { CLI_BIN, REPO_ROOT } from "./cli";

const running: ChildProcess[] = [];
/** Ends every serve process still running (call it after the tests). */
export function stopAllServes(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGTERM");
}

export interface ServeProcess {
  child: ChildProcess;
  /** The first line printed, exactly. */
  firstLine: string;
  /** The printed URL: `http://127.0.0.1:PORT/#token=TOKEN`. */
  url: string;
  port: number;
  token: string;
  /** Everything printed on stdout so far (the lines after the first included). */
  stdout(): string;
  stop(): Promise<void>;
}

/** Starts `otto-tray serve --port 0 ARGS` and waits for its first line. */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_BIN, "serve", "--port", "0", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 20 s: ${stderr}`)), 20_000);
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      const firstLine = out.slice(0, newline);
      const url = firstLine.replace(/^Dashboard: /, "");
      const parsed = new URL(url);
      resolve({
        child,
        firstLine,
        url,
        port: Number(parsed.port),
        token: new URLSearchParams(parsed.hash.slice(1)).get("token") ?? "",
        stdout: () => out,
        stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once("exit", () => done()), child.kill("SIGTERM")))),
      });
    });
  });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

/** One HTTP request to 127.0.0.1:port with exactly the given headers (a test can forge Host and Origin). */
export function http(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
