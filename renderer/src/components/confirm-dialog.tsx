// The in-page confirmation: a modal dialog (focus moves into it, Escape cancels) showing the same words as the app's native dialogs.
import { useEffect, useRef } from "react";
import type { ConfirmText } from "../../../core/text/confirm-text";
import { splitTokens, tokenTitle } from "../../../core/text/visible-text";

/** A confirmation to ask: its words (core/text/confirm-text.ts) and what happens on yes. */
export interface ConfirmRequest {
  text: ConfirmText;
  onAccept: () => void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (request !== null && !dialog.open) dialog.showModal();
    if (request === null && dialog.open) dialog.close();
  }, [request]);
  const text = request?.text;
  return (
    <dialog ref={ref} data-testid="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message" onCancel={(e) => (e.preventDefault(), onClose())}>
      {request !== null && text !== undefined && (
        <>
          <h2 id="confirm-title">{text.title}</h2>
          <div className="confirm-body">
            <p id="confirm-message">{text.message}</p>
            {text.subject !== undefined && <ConfirmedText label={text.subject.label} text={text.subject.text} />}
            {text.detail.split("\n").map((line, i) => (
              <p key={i} className="confirm-detail">
                {line}
              </p>
            ))}
          </div>
          <div className="confirm-buttons">
            <button type="button" data-testid="confirm-cancel" autoFocus onClick={onClose}>
              {text.cancelLabel}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="confirm-accept"
              onClick={() => {
                onClose();
                request.onAccept();
              }}
            >
              {text.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

/**
 * The confirmed text (a command) whole, in its own scrolling block: one numbered row per line, so that a wrapped line
 * is not taken for two, and its tokens (␛, <U+200B>) marked, so that they cannot be read as literal text.
 */
function ConfirmedText({ label, text }: { label: string; text: string }) {
  return (
    <figure className="confirm-subject">
      <figcaption data-testid="confirm-subject-label">{label}</figcaption>
      <ol className="confirm-command" data-testid="confirm-command" tabIndex={0} aria-label={label}>
        {text.split("\n").map((line, i) => (
          <li key={i} data-testid="confirm-command-line">
            {splitTokens(line).map((piece, j) =>
              piece.token ? (
                <mark key={j} className="confirm-token" title={tokenTitle(piece.text)}>
                  {piece.text}
                </mark>
              ) : (
                <span key={j}>{piece.text}</span>
              ),
            )}
          </li>
        ))}
      </ol>
    </figure>
  );
}
