// One judgement of a command text for a person to read (`otto-tray actuator judge`, the preferences' "try a command"):
// the same judge, context and parser the actuator uses, so what it says is what auto and manual mode would do.
import { type ActuatorPolicy, policyContextFor } from "./context";
import { judgeCommandText, type TextJudgement } from "./judge";
import { loadShellParser } from "./shell-parser";

export interface TextJudgementView extends TextJudgement {
  mode: "manual" | "auto";
  projectDir: string | null;
}

/** Judges `text` as `mode` would in `projectDir` (null: unknown, so every write is outside) under `policy`. */
export async function judgeText(text: string, options: { policy: ActuatorPolicy; mode: "manual" | "auto"; projectDir: string | null }): Promise<TextJudgementView> {
  await loadShellParser();
  const judged = judgeCommandText(text, policyContextFor(options.policy, options.projectDir, options.mode));
  return { mode: options.mode, projectDir: options.projectDir, ...judged };
}
