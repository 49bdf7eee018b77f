// The in-page confirmation: a modal dialog (focus moves into it, Escape cancels) showing the same words as the app's native dialogs.
import { useEffect, useRef } from "react";
import type { ConfirmText } from "../../../core/text/confirm-text";

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
