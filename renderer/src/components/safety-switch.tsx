// The safety switch (a real switch with aria-checked) and auto mode; turning either on asks first.
import type { AppSnapshot } from "../../../core/api";
import { RichText } from "./rich-text";

export function SafetySwitch({ actuator, policy, onToggle, onAuto }: { actuator: AppSnapshot["actuator"]; policy?: AppSnapshot["policy"]; onToggle: () => void; onAuto: () => void }) {
  return (
    <section className="panel switch-panel" aria-label="Safety switch">
      <div className="switch-line">
        <button type="button" role="switch" aria-checked={actuator.on} aria-label="Safety switch" aria-describedby="safety-switch-why" data-testid="safety-switch" className={`switch ${actuator.on ? "on" : "off"}`} onClick={onToggle}>
          <span className="knob" aria-hidden="true" />
        </button>
        <span id="safety-switch-why">
          <strong>Safety switch {actuator.on ? "ON" : "off"}</strong>
          <span className="why">{actuator.on ? " Otto Tray may answer prompts, each after you confirm." : " Nothing is ever clicked or typed."}</span>
        </span>
      </div>
      {actuator.problem !== null && (
        <div className="why">
          <RichText text={actuator.problem} />
        </div>
      )}
      {policy?.problem != null && (
        <div className="banner alarm" role="alert" data-testid="policy-problem">
          Actuator preferences unusable: auto mode stays off and nothing is answered until they are fixed. <RichText text={policy.problem} />
        </div>
      )}
      {!actuator.autoActive && actuator.disarmedReason !== null && (
        <div className="why" data-testid="auto-disarmed">
          <RichText text={actuator.disarmedReason} />
        </div>
      )}
      {(policy?.dropped ?? []).map((d) => (
        <div className="why" key={d.entry} data-testid="policy-dropped">
          Allowlist entry dropped: “{d.entry}” (<RichText text={d.why} />)
        </div>
      ))}
      <div className="switch-line">
        <button type="button" data-testid="auto-mode" disabled={!actuator.on && !actuator.autoActive} onClick={onAuto} aria-pressed={actuator.autoActive}>
          {actuator.autoActive ? "Turn auto mode off" : "Auto mode for 1 hour"}
        </button>
        <span className="why">{actuator.autoActive ? `Auto mode until ${new Date(actuator.autoUntil ?? "").toLocaleTimeString()}` : actuator.on ? "Auto mode off" : "Auto mode needs the switch on"}</span>
      </div>
    </section>
  );
}
