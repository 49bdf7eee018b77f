// Pool leases per identity (from the pool's records) behind one summary line and, when asked, rescued work and doctor's problems.
import { useState } from "react";
import type { ApiResult, AppSnapshot } from "../../../core/api";
import { call } from "../api-client";
import { formatAge } from "../view-model";
import { RichText } from "./rich-text";
import { ShellCommand } from "./shell-command";

type Checked = { rescued: ApiResult<"poolRescued">; doctor: ApiResult<"doctor"> };

/** "pool: 2 of 3 free", summed over every agent's pool, or why it cannot be shown. */
export function poolSummary(pool: AppSnapshot["pool"]): string {
  if (pool.identities.length === 0) return pool.problem === null ? "Pool: none configured" : "Pool: not shown (open for why)";
  const all = pool.identities.flatMap((i) => i.sideticks);
  const free = all.filter((s) => s.state === "free").length;
  const agents = pool.identities.length === 1 ? "" : ` across ${pool.identities.length} agents`;
  return `Pool: ${free} of ${all.length} free${agents}`;
}

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
    <details className="panel fold" aria-label="Worktree pool" data-testid="pool-panel">
      <summary>{poolSummary(pool)}</summary>
      {pool.problem !== null && (
        <p className="why">
          <RichText text={pool.problem} />
        </p>
      )}
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
                  {s.note !== null && (
                    <div className="why">
                      <RichText text={s.note} />
                    </div>
                  )}
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
          {checked.rescued.branches.length === 0 ? <p>No rescued work.</p> : <p>Rescued work (kept on branches; review, then delete with <ShellCommand command="otto-tray pool rescued --delete" />):</p>}
          <ul>
            {checked.rescued.branches.map((b) => (
              <li key={b.branch}>
                <code>{b.branch}</code>: {b.subject} ({b.files.length} files)
              </li>
            ))}
          </ul>
          {checked.doctor.problems.length === 0 ? <p>Doctor found no problems.</p> : <p>Doctor found (repair with <ShellCommand command="otto-tray pool doctor --fix" />):</p>}
          <ul>
            {checked.doctor.problems.map((p, i) => (
              <li key={i}>
                {p.problem}: <RichText text={p.detail} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
