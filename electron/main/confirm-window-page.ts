// The app's own confirmation window for a text too long for a native message box: a static page, whole and scrollable.
// It runs no script (the window has JavaScript off and the page a CSP allowing none); its two buttons are links to
// #confirm and #cancel, and the shell reads the answer from that in-page navigation (or a close: cancel). The shell
// loads it from a private file (confirm-window-file.ts).
import type { ConfirmText } from "../../core/text/confirm-text";
import { splitTokens, tokenTitle } from "../../core/text/visible-text";

/** What the shell opens: the window's title and size, and the page. */
export interface ConfirmWindowPage {
  title: string;
  html: string;
  width: number;
  height: number;
}

/** The fragments the page's buttons navigate to. */
export const CONFIRM_HASH = "#confirm";
export const CANCEL_HASH = "#cancel";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** One line of the confirmed text, its tokens marked so that they cannot be read as literal text. */
function lineHtml(line: string): string {
  return splitTokens(line)
    .map((piece) => (piece.token ? `<mark title="${escapeHtml(tokenTitle(piece.text) ?? "")}">${escapeHtml(piece.text)}</mark>` : escapeHtml(piece.text)))
    .join("");
}

const STYLE = `
:root { color-scheme: light dark; --muted: #5f6368; --line: #d9d9de; --mark: #8a4b00; --mark-bg: #fff1d6; --accent: #0a64d6; }
@media (prefers-color-scheme: dark) { :root { --muted: #aeaeb2; --line: #3a3a3c; --mark: #ffc46b; --mark-bg: #3d2a08; --accent: #64a8ff; } }
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; box-sizing: border-box; padding: 14px 16px; gap: 8px; font: 13px/1.4 -apple-system, system-ui, sans-serif; }
h1 { font-size: 15px; margin: 0; } p { margin: 0; overflow-wrap: anywhere; }
figure { margin: 0; flex: 1 1 auto; min-height: 80px; display: flex; flex-direction: column; }
figcaption { color: var(--muted); font-size: 12px; margin-bottom: 2px; overflow-wrap: anywhere; }
ol { flex: 1 1 auto; overflow: auto; margin: 0; padding: 4px 4px 4px 3.6em; border: 1px solid var(--line); border-radius: 6px; font: 12px/1.4 ui-monospace, Menlo, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
li::marker { color: var(--muted); } li:empty::before { content: "\\200b"; }
mark { background: var(--mark-bg); color: var(--mark); outline: 1px solid var(--mark); border-radius: 3px; padding: 0 1px; font-weight: 600; }
.detail { font-size: 12px; }
nav { display: flex; justify-content: flex-end; gap: 8px; }
nav a { padding: 4px 14px; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; color: inherit; }
nav a.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
`;

/**
 * The page for `text`: title, question, the confirmed text in a numbered, scrolling list (every line, nothing cut),
 * the detail, and the two buttons, Cancel focused first so that Return alone never confirms.
 */
export function confirmWindowPage(text: ConfirmText): ConfirmWindowPage {
  const subject = text.subject;
  const command =
    subject === undefined
      ? ""
      : `<figure><figcaption>${escapeHtml(subject.label)}</figcaption><ol id="command" tabindex="0">${subject.text
          .split("\n")
          .map((line) => `<li>${lineHtml(line)}</li>`)
          .join("")}</ol></figure>`;
  const detail = text.detail
    .split("\n")
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("");
  const html = [
    "<!doctype html>",
    '<html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(text.title)}</title><style>${STYLE}</style></head>`,
    `<body><h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.message)}</p>${command}<div class="detail">${detail}</div>`,
    `<nav><a id="cancel" href="${CANCEL_HASH}" role="button" autofocus>${escapeHtml(text.cancelLabel)}</a><a id="confirm" class="primary" href="${CONFIRM_HASH}" role="button">${escapeHtml(text.confirmLabel)}</a></nav>`,
    "</body></html>",
  ].join("");
  return { title: text.title, html, width: 720, height: 640 };
}
