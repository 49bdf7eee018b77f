// What the screen reader sees: a permission prompt with labelled options, another dialog, busy, idle, or unrecognised.

/** What answering an option would do, judged from its label alone. */
export type OptionMeaning =
  /** A single-use yes: allows exactly the action on screen. */
  | "allow-once"
  /** A yes that also widens future permissions ("don't ask again", "always allow"). */
  | "allow-always"
  /** A yes that switches the session to a more permissive mode (auto mode, accept edits). */
  | "switch-mode"
  | "deny"
  | "other";

export interface PromptOption {
  /** The label as shown, without the number or the highlight marker. */
  label: string;
  /** The digit that answers it at once, or null in dialogs without numbers (arrow keys, then Enter). */
  number: number | null;
  highlighted: boolean;
  meaning: OptionMeaning;
}

/** What a permission prompt is about. */
export type PromptTool = "bash" | "create-file" | "edit-file" | "other";

/** A Claude Code permission prompt, read the way a person reads it. */
export interface PermissionPrompt {
  kind: "permission";
  tool: PromptTool;
  /** The dialog's title ("Bash command", "Edit file", "Create file"). */
  title: string;
  /** The command (bash) or the file (edits) the prompt is about. */
  subject: string;
  /** Claude Code's one-line description of a command, when shown. */
  description: string | null;
  /** The question ("Do you want to proceed?"). */
  question: string;
  options: PromptOption[];
  /**
   * Set when the reader cannot be sure the subject is the whole command or file (a dialog clipped by the screen or
   * scrolled, a command cut short with `…` or possibly wrapped): the reason, in plain words. Such a prompt is never
   * answered (the policy refuses it as unjudgeable).
   */
  incomplete?: string;
}

/** A dialog that is not a permission prompt (trust this folder, use this API key, make auto mode the default). */
export interface OtherDialog {
  kind: "other-dialog";
  question: string;
  options: PromptOption[];
}

export type ScreenReading =
  | PermissionPrompt
  | OtherDialog
  | { kind: "busy"; reason: string }
  | { kind: "idle"; reason: string }
  | { kind: "unrecognised"; reason: string };
