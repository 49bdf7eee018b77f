// The popover: banners, one row per surface, the safety switch, pool, hooks, audit and paths; confirmations in-page.
import { useState } from "react";
import type { AppSnapshot } from "../../../core/api";
import { backendName, call, confirmsNatively } from "../api-client";
import { busBanner, surfaceRow } from "../view-model";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";
import { AuditPanel, HooksPanel, PathsPanel } from "./info-panels";
import { PoolPanel } from "./pool-panel";
import { SafetySwitch } from "./safety-switch";
import { SurfaceRow } from "./surface-row";

export function Popover({ snapshot, now, connected }: { snapshot: AppSnapshot; now: number; connected: boolean }) {
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const d = snapshot.detector;
  const banner = busBanner(snapshot);

  const run = async (what: () => Promise<string | null>) => {
    setBusy(true);
    try {
      setMessage(await what());
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // In the menu-bar app main asks in a native dialog naming the same things; the page asks only in a browser.
  const ask = (request: ConfirmRequest) => (confirmsNatively() ? request.onAccept() : setConfirm(request));

  const unstick = (surface: string) =>
    void run(async () => {
      const outcome = await call("unstickPlan", { surface });
      if (!outcome.ok) return `Cannot unstick ${surface} (${outcome.refusal}): ${outcome.reason}`;
      const plan = outcome.plan;
      ask({
        title: `Unstick ${surface}?`,
        accept: `Answer "${plan.action.answer}"`,
        body: (
          <dl className="plan">
            <dt>Prompt</dt>
            <dd>
              {plan.prompt.title}: {plan.prompt.subject}
            </dd>
            <dt>Question</dt>
            <dd>{plan.prompt.question}</dd>
            <dt>Answer</dt>
            <dd>
              <strong>{plan.action.answer}</strong> with {plan.action.keys}
            </dd>
            <dt>Expires</dt>
            <dd>{new Date(plan.expiresAt).toLocaleTimeString()}</dd>
          </dl>
        ),
        onAccept: () =>
          void run(async () => {
            const result = await call("unstickConfirm", { planId: plan.planId });
            return result.ok ? `${surface}: answered "${result.pressed}"` : `${surface}: refused (${result.refusal}): ${result.reason}`;
          }),
      });
      return null;
    });

  const toggleSwitch = () => {
    if (snapshot.actuator.on) return void run(async () => (await call("actuatorOff", {}), "Safety switch off: nothing will be clicked or typed."));
    ask({
      title: "Turn the safety switch on?",
      accept: "Turn on",
      body: <p>Otto Tray may then answer a stuck surface's prompt — each time only after you confirm the exact answer here.</p>,
      onAccept: () => void run(async () => ((await call("actuatorOn", { confirm: true })).on ? "Safety switch on." : "Cancelled: the safety switch stays off.")),
    });
  };

  const toggleAuto = () => {
    if (snapshot.actuator.autoActive) return void run(async () => (await call("autoOff", {}), "Auto mode off."));
    ask({
      title: "Arm auto mode for 1 hour?",
      accept: "Arm for 1 h",
      body: <p>For one hour Otto Tray answers "Yes" without asking to prompts that stood unanswered, only for commands on the auto allowlist.</p>,
      onAccept: () => void run(async () => ((await call("autoOn", { hours: 1, confirm: true })).autoActive ? "Auto mode armed for 1 h." : "Cancelled: auto mode stays off.")),
    });
  };

  return (
    <main className="popover">
      <header className="top">
        <h1>Otto Tray</h1>
        <a href="#/preferences" data-testid="open-preferences">
          Preferences
        </a>
      </header>
      {!connected && (
        <div className="banner alarm" role="alert">
          Lost the connection to {backendName()}: what you see may be old.
        </div>
      )}
      {banner !== null && (
        <div className="banner alarm" role="alert" data-testid="bus-banner">
          {banner}
        </div>
      )}
      {d.quorum.active && (
        <div className="banner attention" role="status" data-testid="quorum-banner">
          Quorum: {d.quorum.surfaces.join(" and ")} idle together{d.quorum.since !== null && ` since ${new Date(d.quorum.since).toLocaleTimeString()}`}. Is anyone waiting for a person?
        </div>
      )}
      {snapshot.pausedSince !== null && (
        <div className="banner attention" role="status" data-testid="paused-banner">
          Detection paused since {new Date(snapshot.pausedSince).toLocaleTimeString()}: no surface is watched, nothing is escalated.{" "}
          <button type="button" onClick={() => void run(async () => (await call("setPaused", { paused: false }), "Detection resumed."))} disabled={busy}>
            Resume
          </button>
        </div>
      )}
      {message !== null && (
        <div className="banner info" role="status" data-testid="action-result">
          {message}
        </div>
      )}
      <ul className="surfaces" aria-label="Surfaces">
        {d.surfaces.map((s) => (
          <SurfaceRow key={s.id} row={surfaceRow(s, snapshot, now)} onUnstick={unstick} busy={busy} />
        ))}
      </ul>
      <SafetySwitch actuator={snapshot.actuator} onToggle={toggleSwitch} onAuto={toggleAuto} />
      <PoolPanel pool={snapshot.pool} now={now} />
      <HooksPanel hooks={snapshot.hooks} />
      <AuditPanel audit={snapshot.audit} />
      <PathsPanel paths={snapshot.paths} />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </main>
  );
}
