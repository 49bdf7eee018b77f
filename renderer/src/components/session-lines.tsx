// Claude Code sessions as one compact line each (state word with its age, name, short cwd, branch, what it waits for), and the collapsed other sessions.
import type { SessionGroupModel, SessionLineModel } from "../session-view-model";
import { Badge } from "./badge";

function SessionLine({ line }: { line: SessionLineModel }) {
  const text = [line.title, line.waits, line.where, line.branch].filter((part) => part !== null).join(" · ");
  return (
    <li className={`session-line${line.ended ? " ended" : ""}`} data-testid={`session-row-${line.pid}`} title={`pid ${line.pid}: ${text}`}>
      <Badge tone={line.tone} word={line.word} testId={`session-state-${line.pid}`} />
      <span className="session-text">{text}</span>
    </li>
  );
}

/** A surface's sessions under its row: a few lines, then "+N more". Nothing when it has none. */
export function SurfaceSessions({ surfaceId, group }: { surfaceId: string; group: SessionGroupModel }) {
  if (group.total === 0) return null;
  return (
    <ul className="session-lines" aria-label={`Claude Code sessions of ${surfaceId}`} data-testid={`surface-sessions-${surfaceId}`}>
      {group.lines.map((line) => (
        <SessionLine key={line.pid} line={line} />
      ))}
      {group.more > 0 && (
        <li className="session-more" data-testid={`sessions-more-${surfaceId}`}>
          +{group.more} more
        </li>
      )}
    </ul>
  );
}

/** Sessions no rule claims: one collapsed line that opens the list. Nothing when there are none. */
export function OtherSessions({ group }: { group: SessionGroupModel }) {
  if (group.total === 0) return null;
  return (
    <details className="panel other-sessions" data-testid="other-sessions">
      <summary>Other sessions ({group.total})</summary>
      <ul className="session-lines" aria-label="Other Claude Code sessions">
        {group.lines.map((line) => (
          <SessionLine key={line.pid} line={line} />
        ))}
      </ul>
    </details>
  );
}
