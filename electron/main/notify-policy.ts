// Which snapshots notify: new waiting, hung, standing-by and quorum events and newly rescued work, each event once.
// Pure (no Electron): the wiring feeds it every snapshot and shows what it returns.
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
}

const TITLE_CHARS = 80;
const BODY_CHARS = 200;
/** More newly rescued branches than this at once make one summary notification, not one each. */
const RESCUED_EACH_MAX = 3;

/** An event in a snapshot; without `make` it is remembered (so it never notifies later) but not announced. */
interface Event {
  key: string;
  make?: () => AppNotification;
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
  if (!d.busTrusted) {
    const key = keyOf("bus-untrusted", d.busProblem);
    events.push({ key, make: () => notice(key, "Otto Tray cannot trust the bus", `${d.busProblem ?? "unknown reason"}: states may be wrong and nothing is acted on.`, null) });
  }
  // After sleep or during an outage every surface goes silent at once: one notice, not one "hung" per surface.
  // A bus where nothing has ever beaten (a fresh install, agents not started) is not an outage: no notice for it.
  const silent = d.allSilent && d.surfaces.some((s) => s.lastHeartbeatAt !== null);
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
    events.push(silent && s.state === "hung" ? { key: event.key } : event);
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
 * only the events of the last snapshot), so waiting → working → waiting notifies twice.
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

  /** The notifications for this snapshot (and, when given, the pool's current list of rescued branches). */
  next(snapshot: AppSnapshot, rescued?: readonly RescuedBranch[], options: NotifyOptions = {}): AppNotification[] {
    if (options.paused === true) return [];
    const out: AppNotification[] = [];
    const now = new Set<string>();
    for (const event of eventsOf(snapshot)) {
      if (now.has(event.key)) continue;
      now.add(event.key);
      if (this.active.has(event.key)) continue;
      if (event.make !== undefined) out.push(event.make());
    }
    this.active = now;
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

  /** How many event keys are remembered (for tests: memory stays bounded by what is currently on). */
  get remembered(): number {
    return this.active.size + (this.rescued?.size ?? 0);
  }
}
