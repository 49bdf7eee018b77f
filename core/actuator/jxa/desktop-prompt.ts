// Recognises Claude Desktop's permission prompt in a window listing (from list-ui.js): web-content buttons such as
// "Allow once", "Allow for This Chat" and "Deny", with the texts around them. Anything else is not a prompt.
import { optionMeaning } from "../screen/option-meaning";
import type { PromptOption } from "../screen/types";

export interface UiListing {
  ok: true;
  running: boolean;
  windows: { index: number; name: string; texts: string[]; buttons: { name: string; path: number[] }[] }[];
  truncated: boolean;
}

export interface DesktopOption extends PromptOption {
  path: number[];
}

export interface DesktopPrompt {
  window: { index: number; name: string };
  /** The texts of the window, which the press re-checks are still there. */
  texts: string[];
  options: DesktopOption[];
}

/** The one permission prompt in `listing`, or a reason there is none (several prompts are not answered either). */
export function findDesktopPrompt(listing: UiListing): DesktopPrompt | { none: string } {
  if (!listing.running) return { none: "Claude Desktop is not running" };
  if (listing.truncated) return { none: "the window has more elements than were read: not judged" };
  const prompts = listing.windows.flatMap((w) => {
    const options = w.buttons.map((b): DesktopOption => ({ label: b.name, number: null, highlighted: false, meaning: optionMeaning(b.name), path: b.path }));
    const once = options.filter((o) => o.meaning === "allow-once");
    const deny = options.filter((o) => o.meaning === "deny");
    if (once.length === 0 || deny.length === 0) return [];
    return [{ window: { index: w.index, name: w.name }, texts: w.texts, options: options.filter((o) => o.meaning !== "other") }];
  });
  if (prompts.length === 0) return { none: "no permission prompt in any window" };
  if (prompts.length > 1) return { none: "more than one permission prompt on screen: not judged" };
  return prompts[0] as DesktopPrompt;
}
