// "Try a command" beside the allowlist: the actuator's own judgement of a text (read-only; nothing is answered), each
// simple command with the program that would really run and its verdict, so a person sees what auto mode would do.
import { useState } from "react";
import type { JudgementView } from "../../../core/api";
import { call } from "../api-client";

const VERDICT_WORDS: Record<JudgementView["verdict"], string> = {
  allowed: "would be answered",
  blocked: "blocked",
  unjudgeable: "cannot be judged",
  "not-allowlisted": "not on the allowlist",
};

export function TryCommand({ projectDir }: { projectDir: string | undefined }) {
  const [text, setText] = useState("");
  const [auto, setAuto] = useState(true);
  const [view, setView] = useState<JudgementView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const judge = async () => {
    setError(null);
    try {
      setView(await call("actuatorJudge", { text, auto, ...(projectDir === undefined ? {} : { cwd: projectDir }) }));
    } catch (e) {
      setView(null);
      setError((e as Error).message);
    }
  };

  return (
    <section className="panel try-command" aria-label="Try a command">
      <h2>Try a command</h2>
      <p className="why">What the actuator would do with a command, judged by the allowlist and blocklist saved above. Nothing is run or answered.</p>
      <textarea data-testid="try-command-text" aria-label="Command to judge" rows={3} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <div className="field inline">
        <input id="try-command-auto" type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
        <label htmlFor="try-command-auto">as auto mode (no one confirms); off: as a confirmation</label>
      </div>
      <button type="button" data-testid="try-command-judge" disabled={text.trim() === ""} onClick={() => void judge()}>
        Judge
      </button>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view !== null && (
        <div role="status" data-testid="try-command-result">
          <p className={view.verdict === "allowed" ? "verdict ok" : "verdict refused"} data-testid="try-command-verdict">
            {view.verdict === "allowed" ? "Would be answered" : `Refused (${view.verdict})`}: {view.reason}
          </p>
          <ol className="judged-commands">
            {view.commands.map((c, i) => (
              <li key={`${i}:${c.source}`} data-testid={`try-command-${c.program ?? "unknown"}`} data-verdict={c.verdict}>
                <code>{c.source}</code>
                <span className="why">
                  {" "}
                  runs {c.program ?? "an unknown program"}
                  {c.via.length > 0 ? ` (through ${c.via.join(", ")})` : ""}: {VERDICT_WORDS[c.verdict]}, {c.reason}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
