// The popover, for a glance: banners, one row per surface and the switch first; set-up, pool, actions and paths behind a line each.
import { useState } from "react";
import type { AppSnapshot } from "../../../core/api";
import { AGENT_DISPLAY_NAMES } from "../../../core/agents";
import { autoOnConfirm, hooksInstallConfirm, switchOnConfirm, unstickConfirm } from "../../../core/text/confirm-text";
import { call, confirmsNatively } from "../api-client";
import { otherSessions } from "../session-view-model";
import { busBanner, busNotice, surfaceRow } from "../view-model";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";
import { AuditPanel, PathsPanel } from "./info-panels";
import { PoolPanel } from "./pool-panel";
import { RichText } from "./rich-text";
import { SafetySwitch } from "./safety-switch";
import { OtherSessions } from "./session-lines";
import { SetupChecklist } from "./setup-checklist";
import { OtherMachines } from "./other-machines";
import { SurfaceRow } from "./surface-row";

export function Popover({ snapshot, now, connectionProblem }: { snapshot: AppSnapshot; now: number; connectionProblem: string | null }) {
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const d = snapshot.detector;
  const banner = busBanner(snapshot);
  const notice = busNotice(snapshot);

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
        text: unstickConfirm(plan),
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
      text: switchOnConfirm(),
      onAccept: () => void run(async () => ((await call("actuatorOn", { confirm: true })).on ? "Safety switch on." : "Cancelled: the safety switch stays off.")),
    });
  };

  const toggleAuto = () => {
    if (snapshot.actuator.autoActive) return void run(async () => (await call("autoOff", {}), "Auto mode off."));
    ask({
      text: autoOnConfirm(1, snapshot.policy.allowlist),
      onAccept: () => void run(async () => ((await call("autoOn", { hours: 1, confirm: true })).autoActive ? "Auto mode armed for 1 h." : "Cancelled: auto mode stays off.")),
    });
  };

  // Installing hooks changes the agent's settings file (Claude Code's, Codex's, Gemini's): asked first, like every acting call.
  const installHooks = (surface: string, command: string) => {
    const row = snapshot.hooks.surfaces.find((s) => s.surface === surface);
    return ask({
      text: hooksInstallConfirm(surface, row?.settingsFile ?? snapshot.hooks.settingsFile, command, row?.agent ?? "claude-code"),
      onAccept: () =>
        void run(async () => {
          const result = await call("hooksInstall", { surface, confirm: true });
          if (!result.ok) return `Hooks for ${surface} not installed (${result.refusal}): ${result.reason}`;
          const done = result.changed ? `Hooks for ${surface} installed in ${result.settingsFile}` : `Hooks for ${surface} were already current in ${result.settingsFile}; nothing changed`;
          return `${done}. ${AGENT_DISPLAY_NAMES[row?.agent ?? "claude-code"]} runs: ${result.command}${result.advice === null ? "" : `. Note: ${result.advice}`}`;
        }),
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
      <div className="glance">
        {connectionProblem !== null && (
          <div className="banner alarm" role="alert" data-testid="connection-banner">
            {connectionProblem}
          </div>
        )}
        {banner !== null && (
          <div className="banner alarm" role="alert" data-testid="bus-banner">
            <RichText text={banner} />
          </div>
        )}
        {notice !== null && (
          <div className="banner info" role="status" data-testid="bus-notice">
            <RichText text={notice} />
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
        {snapshot.prefsProblems.length > 0 && (
          <div className="banner attention" role="status" data-testid="prefs-banner">
            Preferences not used as written (every other setting is kept): <a href="#/preferences">open Preferences</a>
            <ul>
              {snapshot.prefsProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {message !== null && (
          <div className="banner info" role="status" data-testid="action-result">
            <RichText text={message} />
          </div>
        )}
        <ul className="surfaces" aria-label="Surfaces">
          {d.surfaces.map((s) => (
            <SurfaceRow key={s.id} row={surfaceRow(s, snapshot, now)} onUnstick={unstick} busy={busy} />
          ))}
        </ul>
        <OtherSessions group={otherSessions(snapshot, now)} />
        <OtherMachines bridge={snapshot.bridge} now={now} />
      </div>
      <div className="details">
        <SafetySwitch actuator={snapshot.actuator} policy={snapshot.policy} onToggle={toggleSwitch} onAuto={toggleAuto} />
        <SetupChecklist snapshot={snapshot} onInstall={installHooks} busy={busy} />
        <div className="panel folds">
          <PoolPanel pool={snapshot.pool} now={now} />
          <AuditPanel audit={snapshot.audit} />
          <PathsPanel paths={snapshot.paths} hookEndpoint={snapshot.hookEndpoint} />
        </div>
      </div>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </main>
  );
}
