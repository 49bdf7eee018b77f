// The in-page confirmation: a modal dialog (focus moves into it, Escape cancels) with Accept and Cancel.
import { type ReactNode, useEffect, useRef } from "react";

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  accept: string;
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
  return (
    <dialog ref={ref} data-testid="confirm-dialog" aria-labelledby="confirm-title" onCancel={(e) => (e.preventDefault(), onClose())}>
      {request !== null && (
        <>
          <h2 id="confirm-title">{request.title}</h2>
          <div className="confirm-body">{request.body}</div>
          <div className="confirm-buttons">
            <button type="button" data-testid="confirm-cancel" autoFocus onClick={onClose}>
              Cancel
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
              {request.accept}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
