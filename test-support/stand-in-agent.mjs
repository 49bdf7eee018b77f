#!/usr/bin/env node
// A small stand-in for Claude Code's terminal UI, for prompts a real session cannot produce on demand: it draws a
// permission dialog laid out like Claude Code 2.1.330's, takes keys the same way, and logs what was answered.
// Environment: STANDIN_MODE = numbered | no-first | no-first-far | busy; STANDIN_COMMAND; STANDIN_LOG (a file answers
// are appended to); STANDIN_KEYS (a file every key taken is appended to). SIGUSR1 replaces the command on screen with
// STANDIN_COMMAND_2 (a prompt that changed); so does the first arrow key when STANDIN_CHANGE_ON_ARROW=1.
import { appendFileSync } from "node:fs";

const mode = process.env.STANDIN_MODE ?? "numbered";
let command = process.env.STANDIN_COMMAND ?? "npm test";
const log = (line) => process.env.STANDIN_LOG && appendFileSync(process.env.STANDIN_LOG, `${line}\n`);
const RULE = "─".repeat(100);
const DASH = "╌".repeat(100);
const options =
  mode === "no-first"
    ? [{ label: "No", answer: "denied" }, { label: "Yes", answer: "allowed" }]
    : mode === "no-first-far"
      ? [{ label: "No", answer: "denied" }, { label: "No, and tell Claude what to do differently", answer: "denied" }, { label: "Yes", answer: "allowed" }]
      : [
        { label: "1. Yes", answer: "allowed" },
        { label: `2. Yes, and don’t ask again for: ${command} *`, answer: "always" },
        { label: "3. Yes, and switch to auto mode · auto mode handles these prompts for you", answer: "auto-mode" },
        { label: "4. No", answer: "denied" },
      ];
let highlighted = 0;
let answered = false;
let frame = 0;
let changedOnArrow = false;
const logKey = (key) => process.env.STANDIN_KEYS && appendFileSync(process.env.STANDIN_KEYS, `${key}\n`);

function draw(lines) {
  process.stdout.write(`\u001b[2J\u001b[H${lines.join("\r\n")}`);
}

function drawDialog() {
  draw([
    " ▐▛███▛█   Claude Code v2.1.330 (stand-in)",
    "",
    "● Running a command",
    `  ⎿  $ ${command}`,
    RULE,
    " Bash command",
    " Run a command",
    DASH,
    ` ${command}`,
    DASH,
    " Do you want to proceed?",
    ...options.map((o, i) => `${i === highlighted ? " ❯ " : "   "}${o.label}`),
    "",
    " Esc to cancel · Tab to amend",
  ]);
}

function drawIdle(note) {
  draw([" ▐▛███▛█   Claude Code v2.1.330 (stand-in)", "", `● ${note}`, "", RULE, "❯ ", RULE, "  ⏸ manual mode on · ? for shortcuts"]);
}

function answer(index) {
  const option = options[index];
  if (!option || answered) return;
  answered = true;
  log(`${option.answer} ${command}`);
  drawIdle(`${option.answer}: ${command}`);
}

if (mode === "busy") {
  setInterval(() => {
    const spin = ["·", "✢", "✳", "✶", "✻", "✽"][frame++ % 6];
    draw([" ▐▛███▛█   Claude Code v2.1.330 (stand-in)", "", `${spin} Jitterbugging…`, RULE, "❯ ", RULE, "  ⏸ manual mode on · esc to interrupt"]);
  }, 120);
} else drawDialog();

function changeCommand() {
  command = process.env.STANDIN_COMMAND_2 ?? `${command} --changed`;
}

process.on("SIGUSR1", () => {
  changeCommand();
  if (!answered) drawDialog();
});
process.on("SIGTERM", () => process.exit(0));

if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.setEncoding("utf8");
process.stdin.on("data", (keys) => {
  if (mode === "busy") return;
  for (let i = 0; i < keys.length; i++) {
    const rest = keys.slice(i);
    if (rest.startsWith("\u001b[A") || rest.startsWith("\u001b[B")) {
      logKey(rest[2] === "A" ? "up" : "down");
      highlighted = Math.max(0, Math.min(options.length - 1, highlighted + (rest[2] === "A" ? -1 : 1)));
      i += 2;
      // Another prompt takes the dialog's place just as the first arrow arrives (the race the carry-out must lose).
      if (process.env.STANDIN_CHANGE_ON_ARROW === "1" && !changedOnArrow) {
        changedOnArrow = true;
        changeCommand();
      }
      if (!answered) drawDialog();
    } else if (rest[0] === "\u001b") {
      logKey("escape");
      answer(options.findIndex((o) => o.answer === "denied"));
    } else if (rest[0] === "\r") {
      logKey("enter");
      answer(highlighted);
    } else if (mode === "numbered" && /[1-9]/.test(rest[0])) {
      logKey(rest[0]);
      answer(Number(rest[0]) - 1);
    } else if (rest[0] === "q") process.exit(0);
  }
});
