// The page's confirmation shows exactly the words the app's native dialog shows (core/text/confirm-text.ts).
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type ConfirmText, switchOnConfirm, unstickConfirm } from "../../../core/text/confirm-text";
import { ConfirmDialog } from "./confirm-dialog";

const render = (text: ConfirmText) => renderToStaticMarkup(<ConfirmDialog request={{ text, onAccept: () => undefined }} onClose={() => undefined} />);
const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

describe("ConfirmDialog", () => {
  it("shows an unstick plan's title, question, every detail line and both buttons from the shared text", () => {
    const text = unstickConfirm(
      { planId: "p", surface: "otto-cli", backend: "pty", expiresAt: "2026-05-16T10:02:30Z", switchOn: true, prompt: { title: "Bash command", subject: "npm test", question: "Do you want to proceed?" }, action: { answer: "Yes", keys: "1" } },
      () => "10:02:30",
    );
    const html = render(text);
    for (const part of [text.title, text.message, ...text.detail.split("\n"), text.confirmLabel, text.cancelLabel]) expect(html).toContain(escaped(part));
    expect(html).toMatch(/data-testid="confirm-accept"[^>]*>Answer &quot;Yes&quot;</);
    expect(html).toMatch(/data-testid="confirm-cancel"[^>]*>Cancel</);
  });

  it("shows every line of the confirmed command, its tokens marked, nothing cut", () => {
    const subject = Array.from({ length: 40 }, (_, i) => `echo 'line ${i} ${"x".repeat(120)}'${i === 7 ? "\u001b[2K" : ""}${i === 30 ? "\u202e" : ""}`).join("\n");
    const text = unstickConfirm(
      { planId: "p", surface: "otto-cli", backend: "hook", expiresAt: "2026-05-16T10:02:30Z", switchOn: true, prompt: { title: "Bash command", subject, question: "Do you want to proceed?" }, action: { answer: "Yes", keys: "allow" } },
      () => "10:02:30",
    );
    const html = render(text);
    expect(html.match(/data-testid="confirm-command-line"/g)).toHaveLength(40);
    expect(html).toContain(`echo &#x27;line 7 ${"x".repeat(120)}&#x27;</span><mark class="confirm-token" title="ESC, U+001B">␛</mark><span>[2K</span></li>`);
    expect(html).toContain('<mark class="confirm-token" title="U+202E">&lt;U+202E&gt;</mark>');
    expect(html).toContain(`line 39 ${"x".repeat(120)}`);
  });

  it("shows the safety switch's text", () => {
    const text = switchOnConfirm();
    const html = render(text);
    expect(html).toContain(escaped(text.message));
    expect(html).toContain(escaped(text.detail));
  });

  it("renders nothing inside the dialog without a request", () => {
    expect(renderToStaticMarkup(<ConfirmDialog request={null} onClose={() => undefined} />)).not.toContain("confirm-accept");
  });
});
