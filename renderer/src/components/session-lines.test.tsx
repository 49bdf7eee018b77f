// Session lines rendered: one line each with the state as a word in its badge, "+N more", and the collapsed other sessions.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { otherSessions, surfaceSessions } from "../session-view-model";
import { NOW, session, snapshotWith, surface } from "../test-fixtures";
import { OtherSessions, SurfaceSessions } from "./session-lines";

describe("session lines", () => {
  it("render a surface's sessions with the state word in the badge, what it waits for, and +N more past three", () => {
    const sessions = [1, 2, 3, 4, 5].map((pid) => session({ pid, state: pid === 1 ? "waiting" : "idle" }));
    const html = renderToStaticMarkup(<SurfaceSessions surfaceId="otto-cli" group={surfaceSessions("otto-cli", snapshotWith([surface()], { sessions }), NOW)} />);
    expect(html).toMatch(/data-testid="session-state-1"[^>]*>.*Waiting 1m 00s<\/span>/);
    expect(html).toMatch(/repo-fix · waits for permission prompt · …\/otto\/tray · main/);
    expect(html.match(/data-testid="session-row-/g)).toHaveLength(3);
    expect(html).toMatch(/data-testid="sessions-more-otto-cli"[^>]*>\+2 more/);
  });

  it("render nothing for a surface without sessions, and the others under one collapsed line", () => {
    expect(renderToStaticMarkup(<SurfaceSessions surfaceId="otto-cli" group={surfaceSessions("otto-cli", snapshotWith([]), NOW)} />)).toBe("");
    const others = otherSessions(snapshotWith([], { sessions: [session({ pid: 9, surface: null, state: "ended" })] }), NOW);
    const html = renderToStaticMarkup(<OtherSessions group={others} />);
    expect(html).toMatch(/<details[^>]*data-testid="other-sessions"><summary>Other sessions \(1\)<\/summary>/);
    expect(html).not.toMatch(/<details[^>]* open/);
    expect(html).toMatch(/data-testid="session-state-9"[^>]*>.*Ended<\/span>/);
  });
});
