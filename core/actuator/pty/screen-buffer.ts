// The screen a person would see, kept by a headless terminal emulator fed with everything the program printed.
import { createRequire } from "node:module";
import type { Terminal as TerminalType } from "@xterm/headless";

// @xterm/headless is CommonJS: load it through require so both the bundle and the tests get the same class.
const { Terminal } = createRequire(import.meta.url)("@xterm/headless") as { Terminal: typeof TerminalType };

export class ScreenBuffer {
  private readonly terminal: TerminalType;
  private pending: Promise<void> = Promise.resolve();

  constructor(cols: number, rows: number) {
    this.terminal = new Terminal({ cols, rows, scrollback: 200, allowProposedApi: true });
  }

  /** Feeds output; `settled()` resolves once everything written so far is on the screen. */
  write(data: string): void {
    this.pending = new Promise((resolve) => this.terminal.write(data, resolve));
  }

  settled(): Promise<void> {
    return this.pending;
  }

  resize(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
  }

  /** The visible rows as text, trailing spaces trimmed, one row per line. */
  text(): string {
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + this.terminal.rows; y++) rows.push(buffer.getLine(y)?.translateToString(true) ?? "");
    return rows.join("\n");
  }

  dispose(): void {
    this.terminal.dispose();
  }
}
