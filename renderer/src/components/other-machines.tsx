// The other machines the bridge links (docs/bridge.md): each under its name with its link; only shown, never acted on.
import type { BridgeViewApi } from "../../../core/api";
import { machinesModel } from "../machines-view-model";
import { Badge } from "./badge";

export function OtherMachines({ bridge, now }: { bridge: BridgeViewApi; now: number }) {
  const model = machinesModel(bridge, now);
  if (!model.shown) return null;
  return (
    <section className="panel machines" aria-label="Other machines" data-testid="other-machines">
      <p className="machines-headline" data-testid="bridge-headline">
        <Badge tone={model.headlineTone} word="Bridge" /> {model.headline}
      </p>
      {model.machines.length === 0 && bridge.state !== "problem" && <p className="why">No other machine has published yet.</p>}
      {model.machines.map((m) => (
        <details key={m.host} open={m.attention} data-testid={`machine-${m.host}`}>
          <summary>
            <strong>{m.host}</strong> <Badge tone={m.linkTone} word={m.link} testId={`machine-link-${m.host}`} /> <span className="why">{m.summary}</span>
          </summary>
          <ul className="machine-surfaces" aria-label={`Surfaces on ${m.host}`}>
            {m.surfaces.map((s) => (
              <li key={s.id} data-testid={`machine-surface-${m.host}-${s.id}`}>
                {s.id} {s.agent !== null && <span className="surface-agent">{s.agent}</span>} <Badge tone={s.tone} word={s.word} />
                {s.waiting !== null && <span className="why"> {s.waiting} — answer it on {m.host}</span>}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
