// Which snapshots notify: new waiting, hung, standing-by and quorum events and newly rescued work, each event once,
// and at most one notification per surface per interval. Pure (no Electron, no timers): the wiring feeds it every
// snapshot with the time, asks again at `dueAt()`, and shows what it returns.
import type { ApiResult, AppSnapshot, SurfaceView } from "../../core/api";
import { formatAge } from "../../core/text/format-age";
import { displayLine } from "../../core/text/terminal-safe";
import { surfaceName } from "./tray-model";

/** One notification to show; clicking it opens the popover on `surface` (null: the popover as it is). */
export interface AppNotification {
  /** The event's identity: the same key is never returned twice while the event lasts. */
  key: string;
  title: string;
  body: string;
  surface: string | null;
}

/** A branch the pool rescued (dirty or unpushed work it kept when it reclaimed a sidetick). */
export type RescuedBranch = ApiResult<"poolRescued">["branches"][number];

/** Options for one step. */
export interface NotifyOptions {
  /**
   * Detection is paused: nothing is returned and nothing is remembered, so events that are still on when detection
   * resumes notify then (and those that ended meanwhile never do).
   */
  paused?: boolean;
  /** The time of this step (ms since the epoch); default: when the snapshot was made. */
  now?: number;
}

/** How the policy limits each surface. */
export interface NotifyLimits {
  /** At most one notification per surface this often (the preference `notifications.minIntervalSeconds`). */
  minIntervalSeconds?: number;
}

/** The default of `notifications.minIntervalSeconds`. */
export const DEFAULT_MIN_INTERVAL_SECONDS = 60;

const TITLE_CHARS = 80;
const BODY_CHARS = 200;
/** More newly rescued branches than this at once make one summary notification, not one each. */
const RESCUED_EACH_MAX = 3;

/** An event in a snapshot; without `make` it is remembered (so it never notifies later) but not announced. */
interface Event {
  key: string;
  make?: () => AppNotification;
  /** The surface the event is about: such events are limited per surface. */
  surface?: string;
}

/** One surface's limit: when it last notified, what it announced, and what the interval held back since. */
interface SurfaceLimit {
  lastAt: number;
  /** The announced event's key while that event lasts (it is not announced again). */
  announced: string | undefined;
  /** The surface's current event, when the interval held it back (announced once the interval has passed). */
  pending: string | undefined;
  /** Events that began within the interval and were not announced, counted in the surface's next notification. */
  held: number;
}

const keyOf = (...parts: (string | null)[]) => JSON.stringify(parts);

function notice(key: string, title: string, body: string, surface: string | null): AppNotification {
  return { key, title: displayLine(title, TITLE_CHARS), body: displayLine(body, BODY_CHARS), surface };
}

/** The event a surface is in, keyed on what identifies that episode (a new prompt, a new silence, a new idle stretch). */
function surfaceEvent(s: SurfaceView, nowMs: number): Event | undefined {
  const name = surfaceName(s);
  switch (s.state) {
    case "waiting": {
      const key = keyOf("waiting", s.id, s.waiting);
      return { key, make: () => notice(key, `${name} is waiting for you`, s.waiting ?? s.note ?? "A prompt is waiting for an answer.", s.id) };
    }
    case "hung": {
      const key = keyOf("hung", s.id, s.lastHeartbeatAt);
      const age = s.lastHeartbeatAt === null ? "" : formatAge(nowMs - Date.parse(s.lastHeartbeatAt), "");
      return { key, make: () => notice(key, `${name} looks hung`, `No heartbeat${age ? ` for ${age}` : ""} while its process is alive.`, s.id) };
    }
    case "standing-by": {
      const key = keyOf("standing-by", s.id, s.idleSince);
      return { key, make: () => notice(key, `${name} is standing by`, `${s.briefAckStreak} brief acknowledgements in a row without work: is it waiting for a person?`, s.id) };
    }
    default:
      return undefined;
  }
}

/** Every event the snapshot shows, in the order the popover lists them. */
function eventsOf(snapshot: AppSnapshot): Event[] {
  const d = snapshot.detector;
  const parsedNow = Date.parse(d.generatedAt);
  const nowMs = Number.isFinite(parsedNow) ? parsedNow : Date.now();
  const events: Event[] = [];
  // A bus directory that does not exist yet (nothing has beaten) is not a bus that cannot be trusted.
  if (!d.busTrusted && !d.busMissing) {
    const key = keyOf("bus-untrusted", d.busProblem);
    events.push({ key, make: () => notice(key, "Otto Tray cannot trust the bus", `${d.busProblem ?? "unknown reason"}: states may be wrong and nothing is acted on.`, null) });
  }
  // After sleep or during an outage every surface goes silent at once: one notice, not one "hung" per surface.
  // A bus where nothing has ever beaten (a fresh install, agents not started) is not an outage: no notice for it.
  // Nor while a surface's process is known alive: its row says hung, not asleep.
  const silent = d.allSilent && d.surfaces.some((s) => s.lastHeartbeatAt !== null) && !d.surfaces.some((s) => s.alive === true);
  if (silent) {
    const key = keyOf("all-silent");
    events.push({ key, make: () => notice(key, "Every surface is silent", "All surfaces stopped reporting at once: suspect sleep or an outage rather than stuck agents.", null) });
  }
  if (d.quorum.active) {
    const members = [...d.quorum.surfaces].sort();
    const key = keyOf("quorum", d.quorum.episodeId ?? d.quorum.since ?? members.join(","));
    const names = d.quorum.surfaces.map((id) => surfaceName(d.surfaces.find((s) => s.id === id) ?? { id }));
    events.push({ key, make: () => notice(key, `Quorum: ${names.join(" and ")} idle together`, "Several surfaces are idle at once: is anyone waiting for a person?", null) });
  }
  for (const s of d.surfaces) {
    const event = surfaceEvent(s, nowMs);
    if (event === undefined) continue;
    // While all are silent, a hung surface is remembered (no notice later for the same silence) but not announced.
    events.push(silent && s.state === "hung" ? { key: event.key } : { ...event, surface: s.id });
  }
  return events;
}

function rescuedKey(b: RescuedBranch): string {
  return keyOf("rescued", b.branch, b.time);
}

function rescuedNotices(fresh: readonly RescuedBranch[]): AppNotification[] {
  if (fresh.length === 0) return [];
  if (fresh.length > RESCUED_EACH_MAX) {
    const key = keyOf("rescued-many", ...fresh.map(rescuedKey));
    const names = fresh.map((b) => displayLine(b.branch, 40)).join(", ");
    return [notice(key, `The pool rescued work on ${fresh.length} branches`, names, null)];
  }
  return fresh.map((b) => {
    const files = b.files.length === 1 ? "1 file" : `${b.files.length} files`;
    return notice(rescuedKey(b), "The pool rescued work", `${displayLine(b.branch, 60)}: ${displayLine(b.subject, 100)} (${files})`, null);
  });
}

/**
 * Decides which events notify. An event notifies when it appears: a surface that turns waiting (hung, standing by),
 * a new prompt while it waits, a quorum episode, a bus that cannot be trusted, and branches the pool rescued. It does
 * not notify again while it lasts, however many snapshots repeat it; once it ends its key is forgotten (memory holds
 * only the events of the last snapshot), so waiting → working → waiting is a new event.
 *
 * Each surface notifies at most once per `minIntervalSeconds`: a surface flapping between waiting and working, or
 * whose prompt changes at every beat, is told once. What the interval held back is not lost: when it has passed and
 * the surface is still in a held event, one notification says so with how many were held; a held event that ended
 * meanwhile is counted in the surface's next notification. Bus-wide events (quorum, bus, silence, rescued work) are
 * keyed on their episode and are not limited.
 *
 * First snapshot: the states already present at launch notify once (a person starting the app wants to know what is
 * waiting). Rescued branches are different: they are history, so the first list given is the baseline and only
 * branches that appear in later lists notify. Without `rescued` the last list is kept (the wiring need not ask the
 * pool on every snapshot, and passes nothing when the pool answered with a problem: an empty list would forget the
 * known branches and announce them again once the pool reads again).
 */
export class NotificationPolicy {
  private active = new Set<string>();
  private rescued: Set<string> | undefined;
  /** Per surface of the last snapshot (so bounded by the watched surfaces). */
  private limits = new Map<string, SurfaceLimit>();
  private minIntervalMs: number;

  constructor(limits: NotifyLimits = {}) {
    this.minIntervalMs = (limits.minIntervalSeconds ?? DEFAULT_MIN_INTERVAL_SECONDS) * 1000;
  }

  /** The preference changed: applies from the next step. */
  setMinInterval(seconds: number): void {
    this.minIntervalMs = seconds * 1000;
  }

  /** The notifications for this snapshot (and, when given, the pool's current list of rescued branches). */
  next(snapshot: AppSnapshot, rescued?: readonly RescuedBranch[], options: NotifyOptions = {}): AppNotification[] {
    if (options.paused === true) return [];
    const now = options.now ?? Date.parse(snapshot.detector.generatedAt);
    const out: AppNotification[] = [];
    const on = new Set<string>();
    const limits = new Map<string, SurfaceLimit>();
    for (const event of eventsOf(snapshot)) {
      if (on.has(event.key)) continue;
      on.add(event.key);
      const isNew = !this.active.has(event.key);
      if (event.surface !== undefined && event.make !== undefined) {
        const limit = this.limits.get(event.surface) ?? { lastAt: -Infinity, announced: undefined, pending: undefined, held: 0 };
        limits.set(event.surface, limit);
        const notice = this.limited(limit, event.key, event.make, isNew, now);
        if (notice !== undefined) out.push(notice);
      } else if (isNew && event.make !== undefined) out.push(event.make());
    }
    // A surface whose event ended: nothing of it is announced any more; its last time and held count stay.
    for (const s of snapshot.detector.surfaces) {
      const limit = limits.get(s.id) ?? this.limits.get(s.id);
      if (limit === undefined || limits.has(s.id)) continue;
      limits.set(s.id, { ...limit, announced: undefined, pending: undefined });
    }
    this.limits = limits;
    this.active = on;
    if (rescued !== undefined) {
      const keys = new Set(rescued.map(rescuedKey));
      if (this.rescued !== undefined) {
        const known = this.rescued;
        out.push(...rescuedNotices(rescued.filter((b) => !known.has(rescuedKey(b)))));
      }
      this.rescued = keys;
    }
    return out;
  }

  /** One surface event through the surface's limit: the notification to show now, if any. */
  private limited(limit: SurfaceLimit, key: string, make: () => AppNotification, isNew: boolean, now: number): AppNotification | undefined {
    // Already told, or on before without being announced (remembered during an outage): nothing to tell.
    if (limit.announced === key || (!isNew && limit.pending !== key)) return undefined;
    // A clock that went back counts as the interval having passed: a notice is never held longer than the interval.
    const due = now < limit.lastAt || now - limit.lastAt >= this.minIntervalMs;
    if (!due) {
      if (isNew) limit.held += 1;
      limit.announced = undefined;
      limit.pending = key;
      return undefined;
    }
    // The pending event was counted when it was held: it is the one now told.
    const earlier = limit.pending === key ? limit.held - 1 : limit.held;
    const made = make();
    Object.assign(limit, { lastAt: now, announced: key, pending: undefined, held: 0 });
    if (earlier <= 0) return made;
    return notice(made.key, made.title, `${made.body} (${earlier} more since the last notification)`, made.surface);
  }

  /** When a held notification becomes due (ask again then, with the last snapshot); undefined when none is held. */
  dueAt(): number | undefined {
    let due: number | undefined;
    for (const limit of this.limits.values()) {
      if (limit.pending === undefined) continue;
      const at = limit.lastAt + this.minIntervalMs;
      if (due === undefined || at < due) due = at;
    }
    return due;
  }

  /** How many event keys are remembered (for tests: memory stays bounded by what is currently on). */
  get remembered(): number {
    return this.active.size + (this.rescued?.size ?? 0);
  }

  /** How many surfaces the interval limit remembers (for tests: only the last snapshot's). */
  get limitedSurfaces(): number {
    return this.limits.size;
  }
}
