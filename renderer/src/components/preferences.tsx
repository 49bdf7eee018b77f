// The preferences page (#/preferences): every field validated by the core's schema on save, errors beside the field.
import { useEffect, useState } from "react";
import type { ApiResult } from "../../../core/api";
import { call } from "../api-client";
import { FIELDS, fromForm, placeErrors, toForm } from "./prefs-fields";
import { usePrefsWarnings } from "./prefs-warnings";
import { TryCommand } from "./try-command";

type Loaded = ApiResult<"prefsGet">;

export function Preferences() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<{ byField: Record<string, string>; other: string[] }>({ byField: {}, other: [] });
  const [result, setResult] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const formKey = JSON.stringify(form);
  const { warnings, checkNow } = usePrefsWarnings(loaded === null ? null : { key: formKey, prefs: fromForm(loaded.prefs, form) });

  useEffect(() => {
    void call("prefsGet", {}).then((p) => {
      setLoaded(p);
      setForm(toForm(p.prefs));
    });
  }, []);

  const save = async () => {
    if (loaded === null) return;
    setSaving(true);
    setResult([]);
    try {
      // Values not checked yet are checked first: with warnings, they are shown and the next Save is "Save anyway".
      if (warnings === null && (await checkNow(formKey, fromForm(loaded.prefs, form))).count > 0) return;
      // The form's starting copy goes too: the service writes only what the person changed, into the file as it is now.
      const answer = await call("prefsSet", { prefs: fromForm(loaded.prefs, form), base: fromForm(loaded.prefs, toForm(loaded.prefs)) });
      if (!answer.ok) return setErrors(placeErrors(answer.errors));
      setErrors({ byField: {}, other: [] });
      setLoaded({ ...(await call("prefsGet", {})), prefs: answer.prefs });
      setForm(toForm(answer.prefs));
      const lines = ["Saved and applied."];
      for (const p of answer.pool) {
        if (p.error !== null) lines.push(`${p.identity}: ${p.error}`);
        if (p.created.length > 0) lines.push(`${p.identity}: added ${p.created.length} sidetick(s)`);
        if (p.removed.length > 0) lines.push(`${p.identity}: removed ${p.removed.length} free sidetick(s)`);
        for (const k of p.kept) lines.push(`${p.identity}: kept ${k.path} (${k.reason})`);
      }
      setResult(lines);
    } catch (error) {
      setErrors({ byField: {}, other: [(error as Error).message] });
    } finally {
      setSaving(false);
    }
  };

  if (loaded === null) return <main className="popover">Loading preferences…</main>;
  return (
    <main className="popover prefs">
      <header className="top">
        <h1>Preferences</h1>
        <a href="#/">Back</a>
      </header>
      <p className="why">{loaded.file}</p>
      {loaded.problem !== null && <div className="banner alarm">{loaded.problem}</div>}
      {loaded.problems.length > 0 && (
        <div className="banner attention" data-testid="prefs-problems">
          Not used as written (each falls back alone; the rest is kept):
          <ul>
            {loaded.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {FIELDS.map((f) => {
          const id = `pref-${f.key.replace(/\./g, "-")}`;
          const error = errors.byField[f.key];
          const fieldWarnings = warnings?.byField[f.key] ?? [];
          return (
            <div className={f.kind === "boolean" ? "field inline" : "field"} key={f.key}>
              <label htmlFor={id}>{f.label}</label>
              {f.kind === "boolean" ? (
                <input id={id} type="checkbox" checked={form[f.key] === "true"} onChange={(e) => setForm({ ...form, [f.key]: String(e.target.checked) })} />
              ) : (
                <input
                  id={id}
                  data-testid={f.testId}
                  inputMode={f.kind === "number" ? "numeric" : undefined}
                  value={form[f.key] ?? ""}
                  aria-invalid={error !== undefined}
                  aria-describedby={error !== undefined ? `${id}-error` : undefined}
                  onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
                />
              )}
              {f.hint !== undefined && <span className="why">{f.hint}</span>}
              {fieldWarnings.map((w) => (
                <span className="warning" key={w} data-testid="prefs-warning" role="status">
                  {w}
                </span>
              ))}
              {error !== undefined && (
                <span className="error" id={`${id}-error`} data-testid="prefs-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          );
        })}
        {errors.other.map((e) => (
          <p className="error" key={e} role="alert">
            {e}
          </p>
        ))}
        {(warnings?.byField[""] ?? []).map((w) => (
          <p className="warning" key={w} data-testid="prefs-warning" role="status">
            {w}
          </p>
        ))}
        {warnings !== null && warnings.count > 0 && (
          <p className="why" data-testid="prefs-warning-summary">
            {warnings.count === 1 ? "1 value" : `${warnings.count} values`} cannot work as set (see above). Fix {warnings.count === 1 ? "it" : "them"}, or save anyway if you know better.
          </p>
        )}
        <button type="submit" className="primary" data-testid="prefs-save" disabled={saving}>
          {saving ? "Saving…" : warnings !== null && warnings.count > 0 ? "Save anyway" : "Save"}
        </button>
      </form>
      {result.length > 0 && (
        <div className="banner info" role="status" data-testid="prefs-result">
          {result.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      )}
      <TryCommand projectDir={typeof loaded.prefs.repo === "string" ? loaded.prefs.repo : undefined} />
    </main>
  );
}
