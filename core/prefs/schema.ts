// Preferences schema (zod) with defaults: one definition shared by the CLI (`--config`) and the app.
import { z } from "zod";
import { argvTemplateSchema } from "../actuator/policy/argv-template-schema";
import { JS_DOMAIN_PATTERN } from "../bridge/js-domain";
import { AGENTS, CODEX_PERMISSION_WAIT_MAX_SECONDS, DEFAULT_CODEX_PERMISSION_WAIT_SECONDS } from "../agents";
import { checkNatsUrl } from "../bridge/nats-url";
import { DEFAULT_SURFACE_IDS, SURFACE_ID_PATTERN } from "../ids";

const surfaceId = z.string().regex(SURFACE_ID_PATTERN, {
  message: "must be 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit",
});

/** A whole number from `min` to `max`; every way it can be wrong gets the same message, in words, with the range. */
export const wholeNumber = (min: number, max: number, unit = "") => {
  const message = `must be a whole number${unit} from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const seconds = (min: number, max: number) => wholeNumber(min, max, " of seconds");

export { AGENTS, type Agent } from "../agents";
export const agentSchema = z.enum(AGENTS, { error: `must be one of ${AGENTS.join(", ")}` });

/** One watched surface. `activityFiles`: files whose modification counts as an alive beat (a loop's log, a status file). */
export const surfacePrefsSchema = z.strictObject({
  id: surfaceId,
  /** Which agent runs there: what `hooks install` writes, and how its events become heartbeats. */
  agent: agentSchema.default("claude-code"),
  label: z.string().max(80).optional(),
  /** macOS: the app whose windows the jxa backend reads for this surface's prompts (otto-desktop: "Claude"). */
  app: z.string().min(1).max(100).optional(),
  activityFiles: z.array(z.string().min(1)).max(16).default([]),
});

/** The actuator's policy section: auto mode's allowlist, the person's blocklist and auto mode's timings. */
export const actuatorPrefsSchema = z.strictObject({
  /**
   * Auto mode answers only commands whose exact argv fits one of these templates. An old string entry without
   * `*` is read as the exact argv it names; one with `*` is dropped and named (doctor, the popover, the log).
   */
  autoAllowlist: z.array(z.union([z.string().min(1).max(200), argvTemplateSchema])).max(200).optional(),
  /** Argv prefixes (`*` inside a word matches any characters) blocked on top of the built-in blocklist. */
  blocklist: z.array(z.string().min(1).max(200)).max(200).default([]),
  /** How long the same prompt must stand before auto mode may answer it. */
  autoAfterSeconds: seconds(30, 86_400).default(120),
  /** At most one automatic answer per surface this often. */
  autoCooldownSeconds: seconds(0, 86_400).default(600),
  /** How long the PermissionRequest hook waits for a confirmed plan. */
  permissionWaitSeconds: seconds(1, 3_600).default(600),
  /**
   * How long a Codex surface's PermissionRequest hook waits for a confirmed plan. Codex shows its own dialog only once
   * the hook returns, so this holds the dialog back: short by default; 0 leaves every Codex prompt to its own dialog.
   */
  codexPermissionWaitSeconds: seconds(0, CODEX_PERMISSION_WAIT_MAX_SECONDS).default(DEFAULT_CODEX_PERMISSION_WAIT_SECONDS),
});

/** The menu-bar app's notifications. */
export const notificationPrefsSchema = z.strictObject({
  /** At most one notification per surface this often; what it holds back is told once it has passed. */
  minIntervalSeconds: seconds(10, 3_600).default(60),
});

/** The NATS bridge the app runs (docs/bridge.md); off until a URL is set and it is turned on. */
export const bridgePrefsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** nats://HOST:PORT or tls://HOST:PORT, without credentials in it. */
  url: z
    .string()
    .max(500)
    .refine((u) => checkNatsUrl(u).ok, { message: "must be nats://HOST:PORT or tls://HOST:PORT, with no credentials in it" })
    .optional(),
  /** A file of yours with mode 0600: an nkey seed, a NATS .creds file, or {"user", "password"} JSON. */
  credsFile: z.string().min(1).max(4096).optional(),
  /** This machine's name on the bridge (default: the short hostname, fitted). */
  host: surfaceId.optional(),
  /** Set when `url` is this machine's own leaf node of the hub: the hub's JetStream domain (docs/bridge.md). */
  hubDomain: z.string().regex(JS_DOMAIN_PATTERN, { message: "must be a JetStream domain name (letters, digits, - and _)" }).optional(),
  /** Also send prompt texts, notes and reasons to the other machines. */
  shareDetails: z.boolean().default(false),
});

/**
 * Which surface a Claude Code session (found in its registry) belongs to: the first rule whose every given field
 * matches wins; rules come before the defaults (entrypoint cli → otto-cli, sdk-cli → otto-launchd, others →
 * otto-desktop). `cwdPrefix` matches that directory and everything under it; `name` is the session's name, exactly.
 */
export const sessionRuleSchema = z.strictObject({
  surface: surfaceId,
  entrypoint: z.string().min(1).max(64).optional(),
  kind: z.string().min(1).max(64).optional(),
  cwdPrefix: z.string().min(1).max(4096).optional(),
  name: z.string().min(1).max(200).optional(),
});

/** Every key of the preferences object, each checked alone (core/prefs/lenient.ts falls back key by key). */
export const prefsObjectSchema = z.strictObject({
  surfaces: z
    // An id alone is the surface with the defaults; either way every field is checked and named on its own path.
    .array(z.preprocess((entry) => (typeof entry === "string" ? { id: entry } : entry), surfacePrefsSchema))
    .min(1)
    .max(16)
    .default(DEFAULT_SURFACE_IDS.map((id): SurfacePrefs => ({ id, agent: "claude-code", activityFiles: [] })))
    .refine((list) => new Set(list.map((s) => s.id)).size === list.length, { message: "surface ids must be unique" }),
  busDir: z.string().min(1).optional(),
  staleAfterSeconds: seconds(10, 86_400).default(300),
  hungAfterSeconds: seconds(10, 86_400).default(600),
  quorumWindowSeconds: seconds(10, 86_400).default(600),
  quorumSize: wholeNumber(2, 16).default(2),
  quorumCooldownSeconds: seconds(0, 86_400).default(900),
  briefAckEscalateAfter: wholeNumber(1, 1000).default(6),
  /** An assistant turn with no tool use and at most this many characters of text is a brief acknowledgement. */
  briefAckMaxChars: wholeNumber(1, 10_000).default(280),
  /** After a wake from sleep (a clock jump), `hung` is not reported for this long. */
  wakeGraceSeconds: seconds(0, 86_400).default(300),
  /** Claude Code config directories whose session registry is followed, besides ~/.claude and $CLAUDE_CONFIG_DIR. */
  claudeConfigDirs: z.array(z.string().min(1).max(4096)).max(16).default([]),
  sessionRules: z.array(sessionRuleSchema).max(64).default([]),
  /** The loopback port of the HTTP hook endpoint (`hooks install --transport http`); the app or `serve` that binds it first owns it. */
  hookHttpPort: wholeNumber(1024, 65_535).default(47652),
  // Worktree pool.
  repo: z.string().min(1).optional(),
  poolRoot: z.string().min(1).optional(),
  poolSize: wholeNumber(1, 8).default(3),
  baseRef: z.string().min(1).optional(),
  identities: z.array(surfaceId).max(32).default([]),
  /** Bound of each git call the pool makes; past it git is ended with everything it started. */
  gitTimeoutSeconds: seconds(1, 86_400).default(600),
  /** The menu-bar app's notifications (the CLI ignores them). */
  notifications: notificationPrefsSchema.prefault({}),
  /** Start the menu-bar app at login (applied by the app; the CLI ignores it). */
  launchAtLogin: z.boolean().default(false),
  /** The NATS bridge to other machines, run by the app (the CLI runs `otto-tray bridge` instead). */
  bridge: bridgePrefsSchema.prefault({}),
  // Actuator policy (the safety switch and auto mode themselves live in the state directory, not here).
  actuator: actuatorPrefsSchema.prefault({}),
});

/** The one rule between keys, in words: a surface is stale before it is hung. */
export function hungBeforeStaleMessage(stale: number): string {
  return `must be at least Stale after (staleAfterSeconds, now ${stale} s): a surface is stale before it is hung`;
}

export const prefsSchema = prefsObjectSchema.superRefine((p, ctx) => {
  if (p.hungAfterSeconds < p.staleAfterSeconds) ctx.addIssue({ code: "custom", message: hungBeforeStaleMessage(p.staleAfterSeconds), path: ["hungAfterSeconds"] });
});

export type Prefs = z.output<typeof prefsSchema>;
export type PrefsInput = z.input<typeof prefsSchema>;
export type SurfacePrefs = z.output<typeof surfacePrefsSchema>;
export type SessionRule = z.output<typeof sessionRuleSchema>;
export type Thresholds = Pick<
  Prefs,
  | "staleAfterSeconds"
  | "hungAfterSeconds"
  | "quorumWindowSeconds"
  | "quorumSize"
  | "quorumCooldownSeconds"
  | "briefAckEscalateAfter"
  | "wakeGraceSeconds"
>;
