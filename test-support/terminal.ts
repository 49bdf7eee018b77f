// Drives a program in a real terminal (tmux on a private socket): type, press keys, read the screen, wait for it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** How to start the terminal. */
export interface TerminalOptions {
  /** Directory for tmux's socket (a temp dir the caller removes). */
  dir: string;
  /** The command line, run by `sh -c` inside the terminal. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  width?: number;
  height?: number;
}

/** Waits for `check` to return something other than undefined/false, polling; throws with `describe()` on timeout. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}${options.describe === undefined ? "" : `\n${options.describe()}`}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** Where tmux is; undefined when it is not installed. */
export function findTmux(): string | undefined {
  for (const path of ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]) if (existsSync(path)) return path;
  try {
    return execFileSync("sh", ["-c", "command -v tmux"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A program running in a tmux session of its own, on its own server (socket), so tests never touch a user's tmux. */
export class Terminal {
  private readonly tmux: string;
  private readonly socket: string;
  private readonly session = "otto-test";

  private constructor(tmux: string, socket: string) {
    this.tmux = tmux;
    this.socket = socket;
  }

  /** Starts `options.command` in a new detached session of `width`×`height` (default 120×40). */
  static start(options: TerminalOptions): Terminal {
    const tmux = findTmux();
    if (tmux === undefined) throw new Error("tmux is not installed: the real-terminal tests need it (apt-get install tmux / brew install tmux)");
    const terminal = new Terminal(tmux, join(options.dir, "tmux.sock"));
    const env = Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined);
    terminal.run([
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-s",
      terminal.session,
      "-x",
      String(options.width ?? 120),
      "-y",
      String(options.height ?? 40),
      "-c",
      options.cwd,
      ...env.flatMap(([key, value]) => ["-e", `${key}=${value}`]),
      options.command,
    ], options.env);
    // Keep the pane after the program exits, so its last screen can be read.
    terminal.run(["set-option", "-t", terminal.session, "remain-on-exit", "on"]);
    return terminal;
  }

  private run(args: string[], env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync(this.tmux, ["-S", this.socket, ...args], { encoding: "utf8", env, timeout: 10_000, stdio: ["ignore", "pipe", "pipe"] });
  }

  /** The screen as text (trailing blanks trimmed per line). */
  screen(): string {
    try {
      return this.run(["capture-pane", "-p", "-t", this.session]).replace(/[ \t]+$/gm, "");
    } catch (error) {
      return `(cannot capture the pane: ${(error as Error).message})`;
    }
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.run(["send-keys", "-t", this.session, "-l", text]);
  }

  /** Presses keys by tmux name: Enter, Escape, Up, Down, C-c, "1"... */
  press(...keys: string[]): void {
    this.run(["send-keys", "-t", this.session, ...keys]);
  }

  /**
   * Answers an on-screen dialog with `key` the way a person does: after a moment (Claude Code takes keys only once
   * its dialog has settled), and again if the key was not taken, until `dialog` is gone (bounded).
   */
  async answer(dialog: RegExp, key: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (dialog.test(this.screen())) {
      if (Date.now() > deadline) throw new Error(`the dialog never took ${key}:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 700));
      if (dialog.test(this.screen())) this.press(key);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
  }

  /** Waits until the screen matches. */
  async waitForScreen(pattern: RegExp, what: string, timeoutMs = 60_000): Promise<string> {
    return waitFor(() => {
      const screen = this.screen();
      return pattern.test(screen) ? screen : undefined;
    }, `${what} (${pattern}) on screen`, { timeoutMs, describe: () => `screen:\n${this.screen()}` });
  }

  /** The pid of the pane's first process (the command started in it); undefined once it has exited. */
  panePid(): number | undefined {
    try {
      const [pid, dead] = this.run(["display-message", "-p", "-t", this.session, "#{pane_pid} #{pane_dead}"]).trim().split(" ");
      return dead === "1" ? undefined : Number(pid);
    } catch {
      return undefined;
    }
  }

  /** True once the program in the pane has exited. */
  exited(): boolean {
    try {
      return this.run(["display-message", "-p", "-t", this.session, "#{pane_dead}"]).trim() === "1";
    } catch {
      return true;
    }
  }

  /**
   * Ends the program the way a person would (Ctrl-C until it exits, bounded), then whatever is left with SIGKILL,
   * then the tmux server: nothing keeps writing into the test's directories after the test.
   */
  async close(timeoutMs = 15_000): Promise<void> {
    const pid = this.panePid();
    const deadline = Date.now() + timeoutMs;
    while (!this.exited() && Date.now() < deadline) {
      this.press("C-c");
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    this.kill();
  }

  /** Ends the tmux server and everything in it. Safe to call twice. */
  kill(): void {
    try {
      this.run(["kill-server"]);
    } catch {
      // Already gone.
    }
  }
}
