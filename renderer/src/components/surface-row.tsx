// One surface: state badge, heartbeat age (ticking), note, brief-ack streak, its Claude Code sessions, and Unstick when it is stuck.
import type { SurfaceRowModel } from "../view-model";
import { Badge } from "./badge";
import { RichText } from "./rich-text";
import { SurfaceSessions } from "./session-lines";

export function SurfaceRow({ row, onUnstick, busy }: { row: SurfaceRowModel; onUnstick: (id: string) => void; busy: boolean }) {
  return (
    <li className={`surface tone-edge-${row.tone}`} data-testid={`surface-row-${row.id}`}>
      <div className="surface-head">
        <span className="surface-name">{row.name}</span>
        <span className="surface-agent" data-testid={`surface-agent-${row.id}`}>
          {row.agent}
        </span>
        <Badge tone={row.tone} word={row.word} testId={`surface-state-${row.id}`} />
      </div>
      <div className="surface-meta">
        <span title="time since the last heartbeat">♥ {row.age}</span>
        {row.streak > 0 && <span title="brief acknowledgements in a row">streak {row.streak}</span>}
      </div>
      {row.note !== null && (
        <div className="surface-note">
          <RichText text={row.note} />
        </div>
      )}
      <SurfaceSessions surfaceId={row.id} group={row.sessions} />
      {row.unstick.shown && (
        <div className="surface-actions">
          <button type="button" data-testid={`unstick-${row.id}`} disabled={row.unstick.disabledReason !== null || busy} onClick={() => onUnstick(row.id)} aria-describedby={row.unstick.disabledReason ? `unstick-why-${row.id}` : undefined}>
            Unstick…
          </button>
          {row.unstick.disabledReason !== null && (
            <span className="why" id={`unstick-why-${row.id}`}>
              <RichText text={row.unstick.disabledReason} />
            </span>
          )}
        </div>
      )}
    </li>
  );
}
