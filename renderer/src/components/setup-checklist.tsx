// The first-run checklist (hooks installed for every surface, each agent's pool created) behind one line; gone when all is done.
import type { AppSnapshot } from "../../../core/api";
import { HooksPanel } from "./info-panels";
import { RichText } from "./rich-text";
import { ShellCommand } from "./shell-command";

/** The set-up steps, each done or not: hooks current per surface, and a pool whose sideticks exist per identity. */
export function setupSteps(snapshot: Pick<AppSnapshot, "hooks" | "pool">): { label: string; done: boolean }[] {
  const hooks = snapshot.hooks.surfaces.map((s) => ({ label: `hooks for ${s.surface}`, done: s.current }));
  const pools = snapshot.pool.identities.map((i) => ({ label: `pool for ${i.identity}`, done: i.sideticks.some((s) => s.state !== "missing") }));
  return [...hooks, ...pools];
}

export function SetupChecklist({ snapshot, onInstall, busy }: { snapshot: AppSnapshot; onInstall: (surface: string, command: string) => void; busy: boolean }) {
  const steps = setupSteps(snapshot);
  const left = steps.filter((s) => !s.done).length;
  const unmade = snapshot.pool.identities.filter((i) => i.sideticks.every((s) => s.state === "missing"));
  if (left === 0 && snapshot.hooks.problem === null) {
    // Done: only the auto-mode advice stays, as one line, because it still applies.
    if (snapshot.hooks.autoModeAdvice === null) return null;
    return (
      <details className="panel fold advice" data-testid="auto-mode-advice">
        <summary>Claude Code's auto mode hides its prompts from the hooks</summary>
        <p className="why">
          <RichText text={snapshot.hooks.autoModeAdvice} />
        </p>
      </details>
    );
  }
  return (
    <details className="panel fold setup" data-testid="setup-checklist">
      <summary>
        Set-up: {steps.length - left} of {steps.length} done
        {left > 0 && <span className="why"> ({[...new Set(steps.filter((s) => !s.done).map((s) => s.label.split(" ")[0]))].join(", ")} to do)</span>}
      </summary>
      <h2>Hooks</h2>
      <HooksPanel hooks={snapshot.hooks} onInstall={onInstall} busy={busy} />
      {unmade.length > 0 && (
        <>
          <h2>Pool</h2>
          <p data-testid="setup-pool">
            Not created yet for {unmade.map((i) => i.identity).join(", ")}: <ShellCommand command="otto-tray pool init" />
          </p>
        </>
      )}
    </details>
  );
}
