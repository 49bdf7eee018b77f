// Pool leases per identity (from the pool's records) and, when asked, rescued work and doctor's problems.
import { useState } from "react";
import type { ApiResult, AppSnapshot } from "../../../core/api";
import { call } from "../api-client";
import { formatAge } from "../view-model";

type Checked = { rescued: ApiResult<"poolRescued">; doctor: ApiResult<"doctor"> };

export function PoolPanel({ pool, now }: { pool: AppSnapshot["pool"]; now: number }) {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [checking, setChecking] = useState(false);
  const check = async () => {
    setChecking(true);
    try {
      setChecked({ rescued: await call("poolRescued", {}), doctor: await call("doctor", {}) });
    } finally {
      setChecking(false);
    }
  };
  return (
    <section className="panel" aria-label="Worktree pool">
      <h2>Pool</h2>
      {pool.problem !== null && <p className="why">{pool.problem}</p>}
      {pool.identities.map((identity) => {
        const held = identity.sideticks.filter((s) => s.state !== "free");
        const free = identity.sideticks.length - held.length;
        return (
          <div key={identity.identity} data-testid={`pool-lease-${identity.identity}`} className="pool-identity">
            <div>
              <strong>{identity.identity}</strong> <span className="why">{free} of {identity.sideticks.length} free</span>
            </div>
            <ul>
              {held.map((s) => (
                <li key={s.sidetick}>
                  {s.sidetick}: {s.state}
                  {s.holderPid !== null && ` by pid ${s.holderPid}`}
                  {s.branch !== null && ` on ${s.branch}`}
                  {s.since !== null && `, ${formatAge(now - Date.parse(s.since))}`}
                  {s.note !== null && <div className="why">{s.note}</div>}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      <button type="button" onClick={() => void check()} disabled={checking || pool.poolRoot === null}>
        {checking ? "Checking…" : "Check rescued work and problems"}
      </button>
      {checked !== null && (
        <div className="checked">
          {checked.rescued.branches.length === 0 ? <p>No rescued work.</p> : <p>Rescued work (kept on branches; review, then delete with otto-tray pool rescued --delete):</p>}
          <ul>
            {checked.rescued.branches.map((b) => (
              <li key={b.branch}>
                <code>{b.branch}</code>: {b.subject} ({b.files.length} files)
              </li>
            ))}
          </ul>
          {checked.doctor.problems.length === 0 ? <p>Doctor found no problems.</p> : <p>Doctor found (repair with otto-tray pool doctor --fix):</p>}
          <ul>
            {checked.doctor.problems.map((p, i) => (
              <li key={i}>
                {p.problem}: {p.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
