// The preferences form's fields and the pure conversion between the preferences object and the form's strings.

export type FieldKind = "text" | "number" | "list" | "boolean";

export interface FieldSpec {
  /** Path in the preferences object ("actuator.autoAfterSeconds"). */
  key: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  testId?: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { key: "repo", label: "Repository", kind: "text", hint: "a directory of the repository the pool serves" },
  { key: "poolRoot", label: "Pool root", kind: "text", hint: "empty: ~/.zeta-worktrees/<repo>-<hash>" },
  { key: "poolSize", label: "Pool size", kind: "number", hint: "1–8 sideticks per identity", testId: "prefs-pool-size" },
  { key: "baseRef", label: "Base ref", kind: "text", hint: "what sideticks start from (e.g. main, needed without an origin remote); empty: origin/main", testId: "prefs-base-ref" },
  { key: "identities", label: "Identities", kind: "list", hint: "comma-separated, one pool each" },
  { key: "surfaces", label: "Surfaces", kind: "list", hint: "comma-separated surface ids; id:codex or id:gemini for those agents (Claude Code otherwise)" },
  { key: "staleAfterSeconds", label: "Stale after (s)", kind: "number" },
  { key: "hungAfterSeconds", label: "Hung after (s)", kind: "number" },
  { key: "quorumWindowSeconds", label: "Quorum window (s)", kind: "number" },
  { key: "quorumSize", label: "Quorum size", kind: "number" },
  { key: "quorumCooldownSeconds", label: "Quorum cooldown (s)", kind: "number", hint: "0–86400; after a quorum ends, a new one is not told for this long", testId: "prefs-quorum-cooldown" },
  { key: "briefAckEscalateAfter", label: "Brief acknowledgements before escalating", kind: "number", hint: "1–1000 short replies in a row before it is told", testId: "prefs-brief-ack" },
  { key: "busDir", label: "Bus directory", kind: "text", hint: "empty: /tmp/zeta-bus (or $ZETA_BUS_DIR)" },
  { key: "actuator.autoAfterSeconds", label: "Auto mode waits (s)", kind: "number" },
  { key: "actuator.codexPermissionWaitSeconds", label: "Codex holds its dialog for a plan (s)", kind: "number", hint: "0–300; Codex shows its own dialog once this has passed (0: at once)", testId: "prefs-codex-wait" },
  { key: "actuator.blocklist", label: "Extra blocklist", kind: "list", hint: "comma-separated patterns never answered" },
  { key: "notifications.minIntervalSeconds", label: "Notify a surface at most every (s)", kind: "number", hint: "10–3600; what is held back is told once it has passed", testId: "prefs-notify-interval" },
  { key: "launchAtLogin", label: "Launch at login", kind: "boolean" },
  { key: "bridge.enabled", label: "Join other machines (NATS bridge)", kind: "boolean" },
  { key: "bridge.url", label: "Bridge server", kind: "text", hint: "nats://HOST:PORT or tls://HOST:PORT, no credentials in it", testId: "prefs-bridge-url" },
  { key: "bridge.credsFile", label: "Bridge credentials file", kind: "text", hint: "a file of yours, mode 0600: an nkey seed, a .creds file or {\"user\", \"password\"}" },
  { key: "bridge.host", label: "This machine's name", kind: "text", hint: "empty: the short hostname (mac.local → mac-local)" },
  { key: "bridge.hubDomain", label: "Hub's JetStream domain (leaf node)", kind: "text", hint: "only when the server above is this machine's own leaf node of the hub: the hub's domain" },
  { key: "bridge.shareDetails", label: "Share prompt texts and notes with other machines", kind: "boolean" },
];

type Obj = Record<string, unknown>;

function get(obj: Obj, key: string): unknown {
  return key.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Obj)[k] : undefined), obj);
}

function set(obj: Obj, key: string, value: unknown): void {
  const parts = key.split(".");
  let o = obj;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Obj;
  const last = parts.at(-1) ?? key;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** The form's strings for `prefs`. */
export function toForm(prefs: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = get(prefs, f.key);
    if (f.key === "surfaces") out[f.key] = Array.isArray(v) ? v.map(surfaceText).join(", ") : "";
    else if (f.kind === "list") out[f.key] = Array.isArray(v) ? v.join(", ") : "";
    else if (f.kind === "boolean") out[f.key] = v === true ? "true" : "false";
    else out[f.key] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}

/** The preferences object to send: `base` with the form's values (numbers stay as typed so the schema names bad ones). */
export function fromForm(base: Obj, form: Record<string, string>): Obj {
  const out = structuredClone(base);
  for (const f of FIELDS) {
    const raw = (form[f.key] ?? "").trim();
    if (f.key === "surfaces") {
      const existing = Array.isArray(base.surfaces) ? (base.surfaces as Obj[]) : [];
      const entries = raw.split(",").map((s) => s.trim()).filter(Boolean);
      set(
        out,
        f.key,
        entries.map((entry) => {
          // "id" or "id:agent"; what else the file says of that surface (activity files, a label) is kept.
          const [id = "", agent] = entry.split(":").map((p) => p.trim());
          const known = existing.find((s) => s.id === id) ?? { id };
          return brief(agent === undefined ? known : { ...known, agent }) ?? id;
        }),
      );
    } else if (f.kind === "list") set(out, f.key, raw.split(",").map((s) => s.trim()).filter(Boolean));
    else if (f.kind === "boolean") set(out, f.key, raw === "true");
    else if (f.kind === "number") set(out, f.key, raw === "" ? undefined : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
    else set(out, f.key, raw === "" ? undefined : raw);
  }
  return out;
}

/** A surface entry as the file would say it: the bare id unless it carries something (activity files, another agent). */
function brief(entry: Obj | undefined): Obj | string | undefined {
  if (entry === undefined) return undefined;
  const carries = Object.entries(entry).some(([k, v]) => k !== "id" && !(Array.isArray(v) && v.length === 0) && !(k === "agent" && v === "claude-code"));
  return carries ? entry : String(entry.id);
}

/** A surface as the form shows it: its id, with `:agent` unless it is Claude Code. */
function surfaceText(entry: unknown): string {
  if (typeof entry === "string") return entry;
  const { id, agent } = entry as { id?: unknown; agent?: unknown };
  return typeof agent === "string" && agent !== "claude-code" ? `${String(id)}:${agent}` : String(id);
}

/** Puts each error beside its field (an error on `surfaces[1]` belongs to `surfaces`); the rest go on top. */
export function placeErrors(errors: Record<string, string>): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    const field = FIELDS.find((f) => path === f.key || path.startsWith(`${f.key}.`) || path.startsWith(`${f.key}[`));
    if (field !== undefined) byField[field.key] ??= message;
    else other.push(`${path}: ${message}`);
  }
  return { byField, other };
}
