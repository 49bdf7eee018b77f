// Hooks per surface, recent audit entries and the paths in use: the quieter parts of the popover.
import { AGENT_DISPLAY_NAMES } from "../../../core/agents";
import type { AppSnapshot } from "../../../core/api";
import { RichText } from "./rich-text";
import { ShellCommand } from "./shell-command";

/**
 * Whether each surface's hooks are installed and current. A surface that is not gets an "Install hooks" button when the
 * service knows the command to write (`onInstall` asks first), and always the command line for a person who prefers a shell.
 */
export function HooksPanel({ hooks, onInstall, busy }: { hooks: AppSnapshot["hooks"]; onInstall: (surface: string, command: string) => void; busy: boolean }) {
  return (
    <section aria-label="Hooks">
      {hooks.problem !== null && (
        <p className="why">
          <RichText text={hooks.problem} />
        </p>
      )}
      <ul>
        {hooks.surfaces.map((s) => (
          <li key={s.surface} data-testid={`hooks-${s.surface}`}>
            {s.surface}
            {s.agent !== undefined && s.agent !== "claude-code" && ` (${AGENT_DISPLAY_NAMES[s.agent]}, in ${s.settingsFile ?? "its own file"})`}: {s.current ? "installed, current" : s.installed ? "installed, not current" : "not installed"}
            {s.problem !== undefined && s.problem !== null && (
              <div className="why">
                <RichText text={s.problem} />
              </div>
            )}
            {!s.current && s.installCommand !== null && (
              <>
                {" "}
                <button type="button" data-testid={`hooks-install-${s.surface}`} onClick={() => onInstall(s.surface, s.installCommand as string)} disabled={busy}>
                  {s.installed ? "Update hooks" : "Install hooks"}
                </button>
              </>
            )}
            {!s.current && (
              <div className="why">
                {s.installCommand === null ? "install from a shell" : "or from a shell"}: <ShellCommand command={`otto-tray hooks install --surface ${s.surface}`} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {hooks.autoModeAdvice !== null && (
        <details className="advice">
          <summary>Claude Code's auto mode hides its prompts from the hooks</summary>
          <p className="why">
            <RichText text={hooks.autoModeAdvice} />
          </p>
        </details>
      )}
    </section>
  );
}

/** Recent actions behind one line: how many, and when the last was. */
export function AuditPanel({ audit }: { audit: AppSnapshot["audit"] }) {
  const last = audit.at(-1);
  return (
    <details className="panel fold" aria-label="Recent audit entries" data-testid="audit-panel">
      <summary>
        Recent actions: {last === undefined ? "none yet" : `${Math.min(audit.length, 5)} shown, last at ${new Date(last.at).toLocaleTimeString()}`}
      </summary>
      <ul className="audit">
        {audit
          .slice(-5)
          .reverse()
          .map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time> {e.surface ?? ""} {e.event} {e.decision}: <RichText text={e.reason} />
            </li>
          ))}
      </ul>
    </details>
  );
}

/** Who answers the HTTP hooks on the endpoint's port, in words (DESIGN: one endpoint per machine). */
export function hookEndpointText(endpoint: AppSnapshot["hookEndpoint"]): string {
  const at = `127.0.0.1:${endpoint.port}`;
  switch (endpoint.state) {
    case "owned":
      return `${at}, answered by this Otto Tray`;
    case "elsewhere":
      return `${at}, answered by another Otto Tray${endpoint.detail === null ? "" : ` (${endpoint.detail})`}`;
    case "failed":
      return `not answered: ${endpoint.detail ?? "the endpoint could not be opened"}`;
    default:
      return `off${endpoint.detail === null ? "" : `: ${endpoint.detail}`}`;
  }
}

export function PathsPanel({ paths, hookEndpoint }: { paths: AppSnapshot["paths"]; hookEndpoint: AppSnapshot["hookEndpoint"] }) {
  return (
    <details className="panel fold" data-testid="paths-panel">
      <summary>Paths in use</summary>
      <dl className="paths">
        <dt>Bus</dt>
        <dd>
          {paths.busDir} <span className="why">({paths.busSource})</span>
        </dd>
        <dt>State</dt>
        <dd>
          {paths.homeDir} <span className="why">({paths.homeSource})</span>
        </dd>
        <dt>Preferences</dt>
        <dd>{paths.prefsFile}</dd>
        <dt>HTTP hooks</dt>
        <dd data-testid="hook-endpoint">{hookEndpointText(hookEndpoint)}</dd>
      </dl>
    </details>
  );
}
