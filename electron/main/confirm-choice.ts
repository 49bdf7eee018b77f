// Native message box or the app's own window: a native box cannot scroll, so a long confirmed text goes to a window.
import type { ConfirmText } from "../../core/text/confirm-text";
import { type ConfirmWindowPage, confirmWindowPage } from "./confirm-window-page";

/** What a native message box shows: no separate subject, it is part of the detail. */
export type ConfirmBox = Omit<ConfirmText, "subject">;

/**
 * The most a native box shows of a confirmed text. macOS's NSAlert grows with its informative text and neither
 * scrolls nor lets the person resize it, so a longer text would run off the screen, unseen: beyond 600 characters or
 * 12 lines (about what a box on a 13" screen shows in full, with long lines wrapping) the app's own window is used.
 */
export const BOX_MAX_CHARS = 600;
export const BOX_MAX_LINES = 12;
/** The same for everything else in the box (the question and the surface's name come from the surface too). */
const BOX_MAX_DETAIL_CHARS = 1200;
const BOX_MAX_DETAIL_LINES = 24;

export type ConfirmChoice = { kind: "box"; box: ConfirmBox } | { kind: "window"; page: ConfirmWindowPage };

const size = (text: string) => ({ chars: Array.from(text).length, lines: text.split("\n").length });

/** The native box's text: the confirmed text, whole, between the message and the rest of the detail. */
export function boxText(text: ConfirmText): ConfirmBox {
  const { subject, ...rest } = text;
  if (subject === undefined) return rest;
  return { ...rest, detail: `${subject.label}:\n${subject.text}\n\n${text.detail}` };
}

/** A native box when everything fits in one in full; otherwise the app's own scrolling window. */
export function confirmChoice(text: ConfirmText): ConfirmChoice {
  const subject = size(text.subject?.text ?? "");
  const all = size(`${text.message}\n${boxText(text).detail}`);
  const fits = subject.chars <= BOX_MAX_CHARS && subject.lines <= BOX_MAX_LINES && all.chars <= BOX_MAX_DETAIL_CHARS && all.lines <= BOX_MAX_DETAIL_LINES;
  return fits ? { kind: "box", box: boxText(text) } : { kind: "window", page: confirmWindowPage(text) };
}
