// Which confirmations fit a native box, and what the app's own window shows for those that do not: all of it.
import { describe, expect, it } from "vitest";
import { hooksInstallConfirm, type Plan, switchOnConfirm, unstickConfirm } from "../../core/text/confirm-text";
import { BOX_MAX_CHARS, BOX_MAX_LINES, boxText, confirmChoice } from "./confirm-choice";
import { CANCEL_HASH, CONFIRM_HASH, confirmWindowPage } from "./confirm-window-page";

const plan = (subject: string): Plan => ({
  planId: "p1",
  surface: "otto-cli",
  backend: "hook",
  expiresAt: "2026-05-16T10:02:30Z",
  switchOn: true,
  prompt: { title: "Bash command", subject, question: "Do you want to proceed?" },
  action: { answer: "Yes", keys: "PermissionRequest decision: allow" },
});
const confirm = (subject: string) => unstickConfirm(plan(subject), () => "10:02:30");

describe("confirmChoice", () => {
  it("keeps a short command in the native box, whole, between the message and the detail", () => {
    const choice = confirmChoice(confirm("npm test\nnpm run lint\u200b"));
    expect(choice.kind).toBe("box");
    if (choice.kind !== "box") return;
    expect(choice.box.detail).toBe(
      [
        "Prompt: Bash command (2 lines, 22 characters, shown whole; WARNING: 1 character is shown as marks such as ␛ ␍ ␉ <U+200B>: control or invisible characters, or text that could pass for a mark):",
        "npm test",
        "npm run lint<U+200B>",
        "",
        "Question: Do you want to proceed?",
        "Answer: Yes",
        "Otto Tray will answer through otto-cli's PermissionRequest hook (PermissionRequest decision: allow); nothing is typed.",
        "This plan expires at 10:02:30; after that nothing is done.",
      ].join("\n"),
    );
    expect(choice.box).not.toHaveProperty("subject");
  });

  it("takes a command over the box's limits to the app's own window", () => {
    const atLimit = "x".repeat(BOX_MAX_CHARS);
    expect(confirmChoice(confirm(atLimit)).kind).toBe("box");
    expect(confirmChoice(confirm(`${atLimit}y`)).kind).toBe("window");
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `echo ${i}`).join("\n");
    expect(confirmChoice(confirm(lines(BOX_MAX_LINES))).kind).toBe("box");
    expect(confirmChoice(confirm(lines(BOX_MAX_LINES + 1))).kind).toBe("window");
    // Invisible characters count as the tokens that show them.
    expect(confirmChoice(confirm("\u200b".repeat(100))).kind).toBe("window");
  });

  it("keeps confirmations without a command text in the box, as they were", () => {
    expect(confirmChoice(switchOnConfirm())).toEqual({ kind: "box", box: switchOnConfirm() });
    const hooks = hooksInstallConfirm("otto-cli", "/Users/me/.claude/settings.json", "'/x/otto-tray' hook --surface otto-cli");
    expect(boxText(hooks).detail).toContain("'/x/otto-tray' hook --surface otto-cli");
  });
});

describe("confirmWindowPage", () => {
  const subject = Array.from({ length: 40 }, (_, i) => `echo 'line ${i} <b>${"x".repeat(110)}'${i === 3 ? "\u001b[31m" : ""}${i === 20 ? "\u202e" : ""}`).join("\n");
  const page = confirmWindowPage(confirm(subject));

  it("holds every line, each escaped as text and its tokens marked, with both buttons and no script", () => {
    expect(page.html.match(/<li>/g)).toHaveLength(40);
    expect(page.html).toContain(`<li>echo &#39;line 3 &lt;b&gt;${"x".repeat(110)}&#39;<mark title="ESC, U+001B">␛</mark>[31m</li>`);
    expect(page.html).toContain(`&#39;<mark title="U+202E">&lt;U+202E&gt;</mark></li>`);
    expect(page.html).toContain(`<li>echo &#39;line 39 &lt;b&gt;`);
    expect(page.html).toContain(`href="${CANCEL_HASH}" role="button" autofocus>Cancel</a>`);
    expect(page.html).toContain(`href="${CONFIRM_HASH}" role="button">Answer &quot;Yes&quot;</a>`);
    expect(page.html).toContain("default-src 'none'");
    expect(page.html).not.toMatch(/<script|<b>|\son\w+=/i);
    expect(page.title).toBe("Unstick otto-cli?");
  });
});
