// Screen readings the actuator's gate tests start from: a recognised Bash permission prompt with its single-use Yes.
import type { ScreenReading } from "../core/actuator/screen/types";

/** A numbered Bash permission dialog for `npm test`, as the screen reader reports it. */
export const BASH_PERMISSION_READING: ScreenReading = {
  kind: "permission",
  tool: "bash",
  title: "Bash command",
  subject: "npm test",
  description: null,
  question: "Do you want to proceed?",
  options: [{ label: "Yes", number: 1, highlighted: true, meaning: "allow-once" }],
};
