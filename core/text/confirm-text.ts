// The words of every confirmation (safety switch, auto mode, unstick, installing hooks), shared by the app's native dialogs and the page's dialog.
// Imports only types from core/api.ts and the visible-text module, so the renderer's tsconfig compiles it too.
import { AGENT_DISPLAY_NAMES, type Agent } from "../agents";
import type { z } from "zod";
import type { planSchema } from "../api";
import { VISIBLE_TOKEN, visibleLine, visibleText } from "./visible-text";

/** What a plan is: one prepared answer to one prompt in one surface, waiting for a person's yes. */
export type Plan = z.infer<typeof planSchema>;

/** One confirmation: a dialog's title, its question, what exactly is confirmed, the detail under it, and its two buttons. */
export interface ConfirmText {
  title: string;
  message: string;
  /**
   * The exact text the person confirms (a command, a file), whole and never cut, every control or invisible
   * character shown as a token (core/text/visible-text.ts); line feeds separate its lines. Shown in its own block.
   */
  subject?: { label: string; text: string };
  detail: string;
  confirmLabel: string;
  cancelLabel: string;
}

/** Untrusted text for one line of a dialog (a surface, a title, a button): every character visible, nothing cut. */
const shown = visibleLine;

/** The label over a confirmed text: how many lines and characters it has, and a warning when it holds tokens. */
function subjectLabel(title: string, text: string): string {
  const lines = text.split("\n").length;
  const chars = Array.from(text).length;
  const size = `${lines} ${lines === 1 ? "line" : "lines"}, ${chars} ${chars === 1 ? "character" : "characters"}, shown whole`;
  const tokens = visibleText(text).match(VISIBLE_TOKEN)?.length ?? 0;
  const warning = tokens === 0 ? "" : `; WARNING: ${tokens} ${tokens === 1 ? "character is" : "characters are"} shown as marks such as ␛ ␍ ␉ <U+200B>: control or invisible characters, or text that could pass for a mark`;
  return `${title} (${size}${warning})`;
}

/** "1 hour", "30 minutes", "2.5 hours". */
export function hoursText(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} minutes`;
  return hours === 1 ? "1 hour" : `${Number(hours.toFixed(2))} hours`;
}

/** "1 h", "30 min": for buttons. */
function hoursShort(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Number(hours.toFixed(2))} h`;
}

/** Turning the safety switch on. */
export function switchOnConfirm(): ConfirmText {
  return {
    title: "Turn the safety switch on?",
    message: "Otto Tray may then answer a stuck surface's prompt — each time only after you confirm the exact answer.",
    detail: "Nothing is pressed or typed until you confirm one answer to one prompt. Turn the switch off at any time in the popover or with `otto-tray actuator off`.",
    confirmLabel: "Turn on",
    cancelLabel: "Cancel",
  };
}

/** Arming auto mode for `hours`. */
export function autoOnConfirm(hours: number, allowlist: readonly string[] = []): ConfirmText {
  const span = hoursText(hours);
  // What is armed is exactly this allowlist (a later widening disarms auto mode until it is confirmed again). The
  // box names its commands; each template's options are in the preferences, and `actuator judge --auto` tries one.
  const commands = [...new Set(allowlist.map((entry) => visibleText(entry.split(/ \[| -/)[0] ?? entry)))];
  const listed = allowlist.length === 0 ? "The allowlist is empty: auto mode will answer nothing." : `It answers only a text that is exactly one of these commands, with only the options and arguments its template allows: ${commands.join(", ")}.`;
  return {
    title: `Arm auto mode for ${span}?`,
    message: `For ${span} Otto Tray answers "Yes" without asking to prompts that stood unanswered, only for commands on the auto allowlist.`,
    detail: `${listed}\n\nIt turns itself off after ${span}, or when you turn it or the safety switch off, or when the allowlist is widened or the blocklist narrowed. Every answer it gives is written to the audit log.`,
    confirmLabel: `Arm for ${hoursShort(hours)}`,
    cancelLabel: "Cancel",
  };
}

/** How the answer reaches the surface, per backend: which keys in which window, or which hook decision. */
function howText(plan: Plan, surface: string, keys: string): string {
  switch (plan.backend) {
    case "pty":
      return `Otto Tray will press ${keys} in the terminal that otto-tray run hosts for ${surface}.`;
    case "hook":
      return `Otto Tray will answer through ${surface}'s PermissionRequest hook (${keys}); nothing is typed.`;
    case "jxa":
      return `Otto Tray will press ${keys} in ${surface}'s window, through macOS Accessibility.`;
    default:
      return `Otto Tray will send ${keys} to ${surface} through ${shown(plan.backend)}.`;
  }
}

/**
 * Unsticking one surface: names the surface, the prompt (its title, subject and question), the answer, and exactly
 * what will be pressed or sent where. `formatTime` shows the plan's expiry (the native dialog and the page both pass
 * the local clock time; tests pass a fixed format).
 */
export function unstickConfirm(plan: Plan, formatTime: (iso: string) => string = (iso) => new Date(iso).toLocaleTimeString()): ConfirmText {
  const surface = shown(plan.surface);
  const answer = shown(plan.action.answer);
  const keys = shown(plan.action.keys);
  const lines = [
    `Question: ${shown(plan.prompt.question)}`,
    `Answer: ${answer}`,
    howText(plan, surface, keys),
    `This plan expires at ${formatTime(plan.expiresAt)}; after that nothing is done.`,
  ];
  if (!plan.switchOn) lines.push("The safety switch is off: this will be refused until you turn it on.");
  return {
    title: `Unstick ${surface}?`,
    message: `Answer "${answer}" to ${surface}'s prompt?`,
    subject: { label: subjectLabel(`Prompt: ${shown(plan.prompt.title)}`, plan.prompt.subject), text: visibleText(plan.prompt.subject) },
    detail: lines.join("\n"),
    confirmLabel: `Answer "${answer}"`,
    cancelLabel: "Cancel",
  };
}

/**
 * Installing one surface's Claude Code hooks from the app: it changes another program's settings file, so it names the
 * file, the command Claude Code will run on every event, and what is kept.
 */
export function hooksInstallConfirm(surface: string, settingsFile: string, command: string, agent: Agent = "claude-code"): ConfirmText {
  const name = shown(surface);
  const agentName = AGENT_DISPLAY_NAMES[agent];
  const note = agent === "codex" ? ' Codex runs new hooks only once you trust them: start codex and choose "Trust all and continue".' : "";
  return {
    title: `Install ${agentName} hooks for ${name}?`,
    message: `Add Otto Tray's hooks for ${name} to ${shown(settingsFile)}?`,
    subject: { label: subjectLabel(`${agentName} will run this command on each of its events (tool calls, prompts, the end of a turn) in every session that reads this file`, command), text: visibleText(command) },
    detail: [
      `Every other hook and setting in the file is kept; its previous content is saved as ${shown(settingsFile)}.otto-tray.bak. Entries for ${name} from an older install are updated in place. Remove them with \`otto-tray hooks uninstall --surface ${name}\`.${note}`,
    ].join("\n"),
    confirmLabel: "Install hooks",
    cancelLabel: "Cancel",
  };
}
