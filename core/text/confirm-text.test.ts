// The confirmation texts name exactly what will be done, and show hostile prompt text safely but whole.
import { describe, expect, it } from "vitest";
import { autoOnConfirm, hooksInstallConfirm, hoursText, type Plan, switchOnConfirm, unstickConfirm } from "./confirm-text";

const time = (iso: string) => iso.slice(11, 19);

function plan(over: Partial<Plan> = {}): Plan {
  return {
    planId: "p1",
    surface: "otto-cli",
    backend: "pty",
    expiresAt: "2026-05-16T10:02:30Z",
    switchOn: true,
    prompt: { title: "Bash command", subject: "npm test", question: "Do you want to proceed?" },
    action: { answer: "Yes", keys: "1" },
    ...over,
  };
}

describe("unstickConfirm", () => {
  it("names the surface, the prompt, the answer, the keys and where they are pressed", () => {
    expect(unstickConfirm(plan(), time)).toEqual({
      title: "Unstick otto-cli?",
      message: 'Answer "Yes" to otto-cli\'s prompt?',
      subject: { label: "Prompt: Bash command (1 line, 8 characters, shown whole)", text: "npm test" },
      detail: [
        "Question: Do you want to proceed?",
        "Answer: Yes",
        "Otto Tray will press 1 in the terminal that otto-tray run hosts for otto-cli.",
        "This plan expires at 10:02:30; after that nothing is done.",
      ].join("\n"),
      confirmLabel: 'Answer "Yes"',
      cancelLabel: "Cancel",
    });
  });

  it("says a hook plan answers through the hook and types nothing", () => {
    expect(unstickConfirm(plan({ backend: "hook", action: { answer: "Yes", keys: "PermissionRequest decision: allow" } }), time).detail).toContain(
      "Otto Tray will answer through otto-cli's PermissionRequest hook (PermissionRequest decision: allow); nothing is typed.",
    );
  });

  it("says a desktop plan presses keys in the surface's window through Accessibility", () => {
    expect(unstickConfirm(plan({ surface: "otto-desktop", backend: "jxa", action: { answer: "Allow once", keys: "click Allow once" } }), time).detail).toContain(
      "Otto Tray will press click Allow once in otto-desktop's window, through macOS Accessibility.",
    );
  });

  it("warns when the plan was made with the safety switch off", () => {
    expect(unstickConfirm(plan({ switchOn: false }), time).detail).toMatch(/safety switch is off/);
  });

  it("shows every line of the command whole, its escapes, carriage returns and bidi overrides as visible marks", () => {
    const subject = `npm test # run the tests\nrm -rf ~/important\u001b[8m\r\u202e${"x".repeat(300)}\u200b\n`;
    const text = unstickConfirm(plan({ prompt: { title: "Bash\u0007 command", subject, question: "Proceed?\u001b]0;t\u0007" } }), time);
    expect(text.subject?.text).toBe(`npm test # run the tests\nrm -rf ~/important␛[8m␍<U+202E>${"x".repeat(300)}<U+200B>\n`);
    expect(text.subject?.label).toBe("Prompt: Bash␇ command (3 lines, 351 characters, shown whole; WARNING: 4 characters are shown as marks such as ␛ ␍ ␉ <U+200B>: control or invisible characters, or text that could pass for a mark)");
    expect(text.detail).toContain("Question: Proceed?␛]0;t␇");
    // Nothing invisible is left anywhere in what the person reads.
    for (const part of [text.title, text.message, text.subject?.label ?? "", text.subject?.text ?? "", text.detail]) {
      expect(part).not.toMatch(/[^\P{C}\n]/u);
    }
  });

  it("never cuts a long command", () => {
    const subject = "y".repeat(5000);
    const text = unstickConfirm(plan({ prompt: { title: "Bash command", subject, question: "?" } }), time);
    expect(text.subject?.text).toBe(subject);
    expect(JSON.stringify(text)).not.toContain("not shown");
  });
});

describe("switchOnConfirm and autoOnConfirm", () => {
  it("says what turning the switch on allows, and how to turn it off", () => {
    const text = switchOnConfirm();
    expect(text.title).toBe("Turn the safety switch on?");
    expect(text.message).toContain("only after you confirm");
    expect(text.detail).toContain("otto-tray actuator off");
    expect(text.confirmLabel).toBe("Turn on");
  });

  it("names the span of auto mode in its title, message and button", () => {
    expect(autoOnConfirm(1)).toMatchObject({ title: "Arm auto mode for 1 hour?", confirmLabel: "Arm for 1 h" });
    expect(autoOnConfirm(1).message).toContain("auto allowlist");
    expect(autoOnConfirm(0.5)).toMatchObject({ title: "Arm auto mode for 30 minutes?", confirmLabel: "Arm for 30 min" });
    expect(autoOnConfirm(2.5).title).toBe("Arm auto mode for 2.5 hours?");
  });

  it("words hours for people", () => {
    expect([0.25, 1, 2, 24].map(hoursText)).toEqual(["15 minutes", "1 hour", "2 hours", "24 hours"]);
  });
});

describe("hooksInstallConfirm", () => {
  it("names the surface, the settings file, the exact command Claude Code will run, what is kept and how to undo it", () => {
    const command = `'/Users/me/Library/Application Support/Otto Tray/bin/otto-tray' hook --surface otto-cli --pid "$PPID"`;
    const text = hooksInstallConfirm("otto-cli", "/Users/me/.claude/settings.json", command);
    expect(text.title).toBe("Install Claude Code hooks for otto-cli?");
    expect(text.message).toContain("/Users/me/.claude/settings.json");
    expect(text.subject?.text).toBe(command);
    expect(text.detail).toMatch(/Every other hook and setting in the file is kept/);
    expect(text.detail).toContain("/Users/me/.claude/settings.json.otto-tray.bak");
    expect(text.detail).toContain("otto-tray hooks uninstall --surface otto-cli");
    expect(text.confirmLabel).toBe("Install hooks");
    expect(text.cancelLabel).toBe("Cancel");
  });

  it("arming auto mode names exactly the allowlist it arms, and says a widening disarms it", () => {
    const text = autoOnConfirm(1, ["npm test", "git diff [--stat] [REVISION-OR-PATH…]"]);
    expect(text.detail).toContain("commands, with only the options and arguments its template allows: npm test, git diff.");
    expect(text.detail).toContain("widened");
    expect(autoOnConfirm(1, []).detail).toContain("answer nothing");
  });
});
