// The typed API of the app: every call and event with zod schemas, one map that HTTP (`serve`) and IPC are typed from.
// Imports only zod: the renderer's tsconfig compiles this file too.
import { z } from "zod";

const surfaceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: "must be a surface id (a-z, 0-9, '-')" });
const iso = z.string().nullable();

export const surfaceStateSchema = z.enum(["working", "idle", "waiting", "standing-by", "hung", "stale", "offline", "unknown"]);
export type ApiSurfaceState = z.infer<typeof surfaceStateSchema>;

export const surfaceSnapshotSchema = z.object({
  id: z.string(),
  label: z.string().optional(),
  /** Absent: Claude Code. */
  agent: z.enum(["claude-code", "codex", "gemini"]).optional(),
  state: surfaceStateSchema,
  reason: z.string(),
  lastHeartbeatAt: iso,
  lastStatus: z.string().nullable(),
  waiting: z.string().nullable(),
  briefAckStreak: z.number(),
  note: z.string().nullable(),
  pid: z.number().nullable(),
  alive: z.boolean().nullable(),
  idleSince: iso,
});

/** One Claude Code session from its registry (core/sessions/session-rows.ts SessionRow): an ended one is never working. */
export const sessionRowSchema = z.object({
  pid: z.number(),
  sessionId: z.string(),
  /** The surface its rule names, or null for "other sessions". */
  surface: z.string().nullable(),
  state: z.enum(["working", "hung", "idle", "waiting", "ended", "unknown"]),
  name: z.string().nullable(),
  cwd: z.string(),
  branch: z.string().nullable(),
  waitingFor: z.string().nullable(),
  since: iso,
  source: z.array(z.enum(["registry", "pty-host"])),
  version: z.string().nullable(),
  entrypoint: z.string().nullable(),
});
export type SessionView = z.infer<typeof sessionRowSchema>;

export const detectorSnapshotSchema = z.object({
  generatedAt: z.string(),
  busDir: z.string(),
  busTrusted: z.boolean(),
  busProblem: z.string().nullable(),
  /** The bus directory does not exist yet ("no heartbeats yet"); busTrusted stays false. */
  busMissing: z.boolean().default(false),
  surfaces: z.array(surfaceSnapshotSchema),
  quorum: z.object({ active: z.boolean(), surfaces: z.array(z.string()), since: iso, episodeId: z.string().nullable(), members: z.array(z.object({ id: z.string(), idleSince: iso })).default([]) }),
  bus: z.object({ envelopes: z.number(), foreign: z.number(), rejected: z.number(), pending: z.number() }),
  wakeGraceUntil: iso,
  allSilent: z.boolean(),
  sessions: z.array(sessionRowSchema).default([]),
});

export const switchStateSchema = z.object({
  on: z.boolean(),
  since: iso,
  autoUntil: iso,
  problem: z.string().nullable(),
  autoActive: z.boolean(),
  /** Why auto mode was disarmed without the person turning it off (a wider policy, unusable preferences), or null. */
  disarmedReason: z.string().nullable().default(null),
});

/** The actuator policy the preferences set, as far as a person must know: why it cannot be used, and entries dropped. */
export const policyViewSchema = z.object({
  problem: z.string().nullable(),
  dropped: z.array(z.object({ entry: z.string(), why: z.string() })),
  /** Auto mode's allowlist as a person reads it (`git diff [--stat] [REVISION-OR-PATH…]`): what arming confirms. */
  allowlist: z.array(z.string()).default([]),
});

/** What the policy says of a command text: each simple command, the program that would really run, and the verdict. */
export const judgementSchema = z.object({
  mode: z.enum(["manual", "auto"]),
  projectDir: z.string().nullable(),
  verdict: z.enum(["allowed", "blocked", "unjudgeable", "not-allowlisted"]),
  reason: z.string(),
  commands: z.array(
    z.object({
      source: z.string(),
      argv: z.array(z.string()),
      program: z.string().nullable(),
      via: z.array(z.string()),
      verdict: z.enum(["allowed", "blocked", "unjudgeable", "not-allowlisted"]),
      reason: z.string(),
    }),
  ),
});
export type JudgementView = z.infer<typeof judgementSchema>;

export const pathsSchema = z.object({
  homeDir: z.string(),
  homeSource: z.string(),
  prefsFile: z.string(),
  prefsSource: z.string(),
  busDir: z.string(),
  busSource: z.string(),
});

/** One sidetick's lease as the pool's records say (no git is run for it). */
export const leaseViewSchema = z.object({
  sidetick: z.string(),
  path: z.string(),
  state: z.enum(["free", "leased", "unreadable", "missing"]),
  holderPid: z.number().nullable(),
  since: iso,
  branch: z.string().nullable(),
  note: z.string().nullable(),
});
export const poolViewSchema = z.object({
  poolRoot: z.string().nullable(),
  /** Why the pool cannot be shown (no repository configured, unreadable root); null when shown. */
  problem: z.string().nullable(),
  identities: z.array(z.object({ identity: z.string(), size: z.number(), sideticks: z.array(leaseViewSchema) })),
});

export const auditEntrySchema = z.object({
  at: z.string(),
  surface: z.string().nullable(),
  backend: z.string().nullable(),
  event: z.string(),
  decision: z.string(),
  reason: z.string(),
});

export const hooksViewSchema = z.object({
  settingsFile: z.string(),
  problem: z.string().nullable(),
  /** Claude Code's auto mode hides dialogs from the PermissionRequest hook: what to change, or null. */
  autoModeAdvice: z.string().nullable(),
  surfaces: z.array(
    z.object({
      surface: z.string(),
      installed: z.boolean(),
      current: z.boolean(),
      missing: z.array(z.string()),
      outdated: z.array(z.string()),
      /** The command line `hooksInstall` would write for this surface; null when this service knows no command to write. */
      installCommand: z.string().nullable(),
      /** The surface's agent: its hooks live in that agent's own file (absent: Claude Code's, the view's settingsFile). */
      agent: z.enum(["claude-code", "codex", "gemini"]).optional(),
      /** The file this surface's hooks are in, when it is not the view's settingsFile (Codex's config.toml, Gemini's settings.json). */
      settingsFile: z.string().optional(),
      /** Why that file could not be read (then nothing counts as installed). */
      problem: z.string().nullable().optional(),
    }),
  ),
});

/** The HTTP hook endpoint of this service: owned here, by another Otto Tray, off, or failed (why in `detail`). */
export const hookEndpointViewSchema = z.object({
  port: z.number().int(),
  state: z.enum(["owned", "elsewhere", "off", "failed"]),
  detail: z.string().nullable(),
});

/** Everything the popover shows at a glance; pushed on every change. */
/** Another machine's surface as the bridge shows it (only shown: nothing that crosses can act). */
const remoteSurfaceSchema = z.object({
  surface: z.string(),
  agent: z.enum(["claude-code", "codex", "gemini"]).optional(),
  state: surfaceStateSchema,
  lastHeartbeatAt: iso,
  idleSince: iso,
  waitingKind: z.string().nullable(),
  publishedAt: z.string(),
  details: z.object({ waiting: z.string().nullable(), note: z.string().nullable(), reason: z.string() }).optional(),
});

/** The bridge to other machines (docs/bridge.md): off, run here, run by `otto-tray bridge`, or why it cannot run. */
export const bridgeViewSchema = z.object({
  state: z.enum(["off", "running", "elsewhere", "problem"]),
  host: z.string().nullable(),
  url: z.string().nullable(),
  link: z.enum(["connecting", "connected", "reconnecting", "refused", "stopped"]).nullable(),
  since: z.string().nullable(),
  problem: z.string().nullable(),
  publisher: z.string().nullable(),
  hosts: z.array(z.object({ host: z.string(), link: z.enum(["connected", "reconnecting", "silent"]), since: z.string().nullable(), lastSeen: z.string().nullable(), surfaces: z.array(remoteSurfaceSchema) })),
});
export type BridgeViewApi = z.infer<typeof bridgeViewSchema>;

export const appSnapshotSchema = z.object({
  detector: detectorSnapshotSchema,
  actuator: switchStateSchema,
  paths: pathsSchema,
  pool: poolViewSchema,
  hooks: hooksViewSchema,
  hookEndpoint: hookEndpointViewSchema,
  audit: z.array(auditEntrySchema),
  /** Whether this service publishes escalations (holds the bus's publisher lock). */
  publisher: z.boolean(),
  /** Detection paused from the menu: since when (no bus reading, no escalations, no notifications), or null. */
  pausedSince: iso.default(null),
  /** The actuator policy's problems: an unusable section (auto mode off, manual mode refuses) and dropped allowlist entries. */
  policy: policyViewSchema.default({ problem: null, dropped: [], allowlist: [] }),
  /** What in the preferences file is not used as written: the file as a whole (all defaults), or each key that fell back alone. */
  prefsProblems: z.array(z.string()).default([]),
  /** Other machines through the NATS bridge. */
  bridge: bridgeViewSchema.default({ state: "off", host: null, url: null, link: null, since: null, problem: null, publisher: null, hosts: [] }),
});
export type AppSnapshot = z.infer<typeof appSnapshotSchema>;
export type SurfaceView = z.infer<typeof surfaceSnapshotSchema>;
export type LeaseView = z.infer<typeof leaseViewSchema>;

const refusalSchema = z.object({ ok: z.literal(false), refusal: z.string(), reason: z.string() });
export const planSchema = z
  .object({
    planId: z.string(),
    surface: z.string(),
    backend: z.string(),
    expiresAt: z.string(),
    switchOn: z.boolean(),
    prompt: z.object({ title: z.string(), subject: z.string(), question: z.string() }),
    action: z.object({ answer: z.string(), keys: z.string() }),
  })
  ;
export const planOutcomeSchema = z.union([z.object({ ok: z.literal(true), plan: planSchema }), refusalSchema]);
export const actResultSchema = z.union([z.object({ ok: z.literal(true), pressed: z.string(), keys: z.string() }), refusalSchema]);

/** Field errors of a rejected preferences change: field path → message. */
export const prefsResultSchema = z.union([
  z.object({ ok: z.literal(true), prefs: z.record(z.string(), z.unknown()), pool: z.array(z.object({ identity: z.string(), created: z.array(z.string()), removed: z.array(z.string()), kept: z.array(z.object({ path: z.string(), reason: z.string() })), error: z.string().nullable() })) }),
  z.object({ ok: z.literal(false), errors: z.record(z.string(), z.string()) }),
]);

/** Installing one surface's hooks from the app: what was written where, or why nothing was. */
export const hooksInstallResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    surface: z.string(),
    settingsFile: z.string(),
    changed: z.boolean(),
    added: z.array(z.string()),
    updated: z.array(z.string()),
    backup: z.string().nullable(),
    command: z.string(),
    /** Claude Code's auto mode hides dialogs from the hooks: what to set, or null. */
    advice: z.string().nullable(),
  }),
  refusalSchema,
]);

/** The process's bounded resources: each bound's high-water mark, its event streams and its open files. */
export const diagnosticsSchema = z.object({
  bounds: z.record(z.string(), z.object({ highWater: z.number(), bound: z.number(), limited: z.number() })),
  /** serve's event streams open now and their cap; null where there are none (the app pushes over IPC). */
  streams: z.object({ open: z.number(), cap: z.number() }).nullable(),
  /** Entries in /proc/self/fd; null where there is no /proc. */
  openFiles: z.number().nullable(),
});

const none = z.strictObject({});
const confirmed = z.literal(true, { message: "must be true: this asks a person first" });

/**
 * Every call: its arguments, its result, and whether it changes anything. HTTP serves each as POST /api/<name> with a
 * JSON body; a call with `changes: false` only reads and is served to GET too (with no arguments). A call that acts,
 * writes, or runs git in every sidetick (doctor) is `changes: true`: never by GET, so an image or link cannot make it.
 */
export const API = {
  snapshot: { args: none, result: appSnapshotSchema, changes: false },
  paths: { args: none, result: pathsSchema, changes: false },
  actuatorStatus: { args: none, result: switchStateSchema, changes: false },
  actuatorOn: { args: z.strictObject({ confirm: confirmed }), result: switchStateSchema, changes: true },
  actuatorOff: { args: none, result: switchStateSchema, changes: true },
  autoOn: { args: z.strictObject({ hours: z.number().min(0.25).max(24), confirm: confirmed }), result: switchStateSchema, changes: true },
  autoOff: { args: none, result: switchStateSchema, changes: true },
  unstickPlan: { args: z.strictObject({ surface: surfaceId }), result: planOutcomeSchema, changes: true },
  unstickConfirm: { args: z.strictObject({ planId: z.string().min(1).max(200) }), result: actResultSchema, changes: true },
  audit: { args: z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }), result: z.array(auditEntrySchema), changes: false },
  poolStatus: { args: none, result: poolViewSchema, changes: false },
  poolRescued: { args: none, result: z.object({ problem: z.string().nullable(), branches: z.array(z.object({ branch: z.string(), time: iso, identity: z.string().nullable(), subject: z.string(), files: z.array(z.string()) })) }), changes: false },
  // Doctor reads, but runs git in every sidetick: as costly as a change, so it is not served to GET.
  doctor: { args: none, result: z.object({ problem: z.string().nullable(), problems: z.array(z.object({ identity: z.string().nullable(), path: z.string().nullable(), problem: z.string(), detail: z.string() })) }), changes: true },
  hooksStatus: { args: none, result: hooksViewSchema, changes: false },
  hooksInstall: { args: z.strictObject({ surface: surfaceId, confirm: confirmed }), result: hooksInstallResultSchema, changes: true },
  /** `problem`: the file cannot be used at all; `problems`: each key that fell back alone. */
  prefsGet: { args: none, result: z.object({ file: z.string(), prefs: z.record(z.string(), z.unknown()), problem: z.string().nullable(), problems: z.array(z.string()).default([]) }), changes: false },
  /**
   * Saves what changed from `base` (the copy the form started from) to `prefs`, merged into the file as it is now;
   * without `base`, `prefs` names only the keys to set. Other keys in the file are never rewritten.
   */
  prefsSet: { args: z.strictObject({ prefs: z.record(z.string(), z.unknown()), base: z.record(z.string(), z.unknown()).optional() }), result: prefsResultSchema, changes: true },
  /**
   * Read-only, but it runs git in the repository the form names: not served to GET. What in `prefs` (the form as it
   * would be saved) passes the schema but cannot work; the save's own errors are left to `prefsSet`.
   */
  prefsCheck: { args: z.strictObject({ prefs: z.record(z.string(), z.unknown()) }), result: z.object({ warnings: z.array(z.object({ field: z.string(), message: z.string() })) }), changes: true },
  setPaused: { args: z.strictObject({ paused: z.boolean() }), result: z.object({ pausedSince: iso }), changes: true },
  /** Read-only: what the policy in force says of `text` (as `otto-tray actuator judge`); nothing is answered. */
  actuatorJudge: {
    args: z.strictObject({ text: z.string().min(1, "type a command").max(100_000), auto: z.boolean().default(false), cwd: z.string().min(1).max(4096).optional() }),
    result: judgementSchema,
    changes: false,
  },
  /** Read-only: the process's bounded resources (high-water marks against their bounds), for a soak test and a person. */
  diagnostics: { args: none, result: diagnosticsSchema, changes: false },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType; changes: boolean }>;

export type ApiName = keyof typeof API;
export type ApiArgs<N extends ApiName> = z.input<(typeof API)[N]["args"]>;
export type ApiResult<N extends ApiName> = z.output<(typeof API)[N]["result"]>;

/** Events pushed to every view (server-sent events over HTTP, IPC in the app). */
export const API_EVENTS = { snapshot: appSnapshotSchema } as const;
export type ApiEventName = keyof typeof API_EVENTS;

/** `a.b[0]: message` for each issue: the field is always named. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(top level)";
    out[path] ??= issue.message;
  }
  return out;
}
