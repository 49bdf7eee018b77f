// The preferences form's warnings (values that cannot work): checked as the person types, and again before a save
// whose values were not checked yet, so a warning is always seen before the values it is about are written.
import { useCallback, useEffect, useRef, useState } from "react";
import { call } from "../api-client";

/** Warnings for one exact form (`key`): by field, and those no field shows. */
export interface CheckedWarnings {
  key: string;
  byField: Record<string, string[]>;
  count: number;
}

/** How long typing pauses before the values are checked (a check runs git in the named repository). */
const SETTLE_MS = 400;

export function groupWarnings(key: string, warnings: readonly { field: string; message: string }[]): CheckedWarnings {
  const byField: Record<string, string[]> = {};
  for (const w of warnings) (byField[w.field] ??= []).push(w.message);
  return { key, byField, count: warnings.length };
}

/**
 * `current`: the form's key (its values as text) and the preferences it would save, or null before they are loaded.
 * Returns the warnings checked for the current form (null while unchecked), and `checkNow` for a save.
 */
export function usePrefsWarnings(current: { key: string; prefs: Record<string, unknown> } | null) {
  const [checked, setChecked] = useState<CheckedWarnings | null>(null);
  const latestKey = useRef<string | null>(null);
  latestKey.current = current?.key ?? null;

  const checkNow = useCallback(async (key: string, prefs: Record<string, unknown>): Promise<CheckedWarnings> => {
    let result: CheckedWarnings;
    try {
      result = groupWarnings(key, (await call("prefsCheck", { prefs })).warnings);
    } catch (error) {
      // Not checked is not fine: the person is told, and saves anyway only knowingly.
      result = groupWarnings(key, [{ field: "", message: `these values could not be checked: ${(error as Error).message}` }]);
    }
    // An answer for values the person has since changed is not shown.
    if (latestKey.current === key) setChecked(result);
    return result;
  }, []);

  const key = current?.key;
  const prefs = current?.prefs;
  useEffect(() => {
    if (key === undefined || prefs === undefined) return;
    const timer = setTimeout(() => void checkNow(key, prefs), SETTLE_MS);
    return () => clearTimeout(timer);
    // `prefs` is derived from `key`: the key alone says when to check again.
  }, [key, checkNow]);

  return { warnings: checked !== null && checked.key === key ? checked : null, checkNow };
}
