// Envelope and heartbeat types plus topic constants of the Zeta bus; plain data, no validation library.

/** One bus message, stored as `<id>.json` in the bus directory. */
export interface Envelope<P = unknown> {
  id: string;
  topic: string;
  payload: P;
  from: string;
  to: string;
  timestamp: string;
  expiresAt: string;
}

export type HeartbeatStatus = "alive" | "idle" | "working";
export const HEARTBEAT_STATUSES: readonly HeartbeatStatus[] = ["alive", "idle", "working"];

/** Heartbeat payload: `status` stays in the set other tools understand; detail goes in extra fields. */
export interface HeartbeatPayload {
  status: HeartbeatStatus;
  note?: string;
  waiting?: string;
  briefAck?: boolean;
  event?: string;
  pid?: number;
  sessionId?: string;
  /** Claude Code's transcript of the session, read when the surface falls silent mid-turn. */
  transcriptPath?: string;
  /** The session's working directory (the hook event's `cwd`): what "inside the project" means for its prompts. */
  cwd?: string;
}

/**
 * Heartbeat `event` of a UserPromptSubmit Claude Code sends itself when a background task finishes (its
 * prompt starts with `<task-notification>`): the surface works, but the person did not speak.
 */
export const TASK_NOTIFICATION_EVENT = "TaskNotification";

/**
 * Heartbeat `event` of a turn an agent starts because a hook at the end of its last turn told it to go on (Gemini
 * CLI's BeforeAgent after an AfterAgent hook blocked): the agent speaks to itself, not the person.
 */
export const HOOK_CONTINUATION_EVENT = "HookContinuation";

/** The `event` of heartbeats an `otto-tray run` host publishes from its screen: they add what only the screen shows,
 * and never reset a standing-by streak or stand in for the pid the hooks report. */
export const PTY_SCREEN_EVENT = "PtyScreen";

/** Topics other Zeta tools already use. */
export const KNOWN_TOPICS = [
  "heartbeat",
  "claim",
  "shadow-catch",
  "review-request",
  "infinite-backlog-nudge",
  "work-assignment",
  "missed-substrate-cascade",
  // Added by Otto Tray.
  "standing-by-quorum",
  "stuck-prompt",
  "permission-request",
  "permission-decision",
] as const;
export type KnownTopic = (typeof KNOWN_TOPICS)[number];

const KNOWN_TOPIC_SET: ReadonlySet<string> = new Set(KNOWN_TOPICS);
export function isKnownTopic(topic: string): topic is KnownTopic {
  return KNOWN_TOPIC_SET.has(topic);
}

const MINUTE = 60_000;
/** Default time-to-live per topic in milliseconds (DESIGN.md); anything else lives an hour. */
export const TOPIC_TTL_MS: Readonly<Record<string, number>> = {
  heartbeat: 5 * MINUTE,
  claim: 24 * 60 * MINUTE,
  "infinite-backlog-nudge": 30 * MINUTE,
  "standing-by-quorum": 30 * MINUTE,
  "stuck-prompt": 30 * MINUTE,
  "permission-request": 5 * MINUTE,
  "permission-decision": 5 * MINUTE,
};
export const DEFAULT_TTL_MS = 60 * MINUTE;

export function ttlForTopic(topic: string): number {
  return TOPIC_TTL_MS[topic] ?? DEFAULT_TTL_MS;
}

/** Payload of `standing-by-quorum`. */
export interface QuorumPayload {
  surfaces: string[];
  windowMinutes: number;
  quorumSize: number;
  episodeId: string;
  since: string;
  /**
   * Absent on a bus without a bridge. "local": a bridged machine cut off from the hub told this quorum of its own
   * surfaces (on another machine's bus, forwarded from a leaf node afterwards, they read `<host>.<surface>`);
   * "machines": one quorum across machines (its surfaces are `<host>.<surface>`), told once by one of them.
   */
  scope?: "local" | "machines";
}

/** Payload of the `infinite-backlog-nudge` Otto Tray sends when a standing-by streak reaches its threshold. */
export interface NudgePayload {
  idleMinutes: number;
  rationale: string;
  surface: string;
  streak: number;
  streakId: string;
}
