// Store and forward of the quorums this machine tells on its own while cut off: behind a leaf node they go to its leaf
// server's own stream (OTTO_TRAY_LOCAL, the leaf's JetStream domain), which the hub's escalations stream sources
// (`bridge setup --leaf-domain`); connected straight to the hub they wait here and go to its stream once it is back.
// Either way they reach every other machine once, and the quorum across machines does not tell them again.
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { Envelope, QuorumPayload } from "../bus/envelope";
import { boundsMeter } from "../diagnostics/bounds-meter";
import { type CrossEscalation, crossEscalationSchema, ESCALATION_STREAM_BOUNDS } from "./escalation-stream";
import type { NatsConnection } from "./nats-link";

export const LOCAL_STREAM = "OTTO_TRAY_LOCAL";
export const LOCAL_SUBJECTS = "otto-tray.local.>";
export const localSubject = (host: string) => `otto-tray.local.${host}`;
/** Local quorums kept while the leaf server itself cannot take them (far more than a cut can produce). */
export const MAX_PENDING = 64;

/** The leaf server's own stream, made where missing (the person's own server: its local user may create it). */
export async function ensureLocalStream(connection: NatsConnection): Promise<{ created: boolean }> {
  const jsm = await jetstreamManager(connection);
  try {
    await jsm.streams.info(LOCAL_STREAM);
    return { created: false };
  } catch {
    await jsm.streams.add({ name: LOCAL_STREAM, subjects: [LOCAL_SUBJECTS], ...ESCALATION_STREAM_BOUNDS });
    return { created: true };
  }
}

/** The escalation another machine reads for a local quorum envelope this machine's detector wrote, or undefined. */
export function localEscalation(host: string, envelope: Envelope): CrossEscalation | undefined {
  if (envelope.topic !== "standing-by-quorum") return undefined;
  const payload = envelope.payload as QuorumPayload;
  if (payload.scope !== "local") return undefined;
  const parsed = crossEscalationSchema.safeParse({
    topic: "standing-by-quorum",
    episodeId: payload.episodeId,
    surfaces: payload.surfaces.map((s) => `${host}.${s}`),
    since: payload.since,
    windowMinutes: payload.windowMinutes,
    quorumSize: payload.quorumSize,
    publishedBy: host,
    scope: "local",
  });
  return parsed.success ? parsed.data : undefined;
}

/** The local quorums waiting to be stored on the leaf server (bounded; the oldest goes first when full). */
export class LeafForward {
  private pending: CrossEscalation[] = [];
  private flushing = false;
  dropped = 0;

  get waiting(): number {
    return this.pending.length;
  }

  add(escalation: CrossEscalation): void {
    this.pending.push(escalation);
    boundsMeter.observe("bridge.leafForward.pending", Math.min(this.pending.length, MAX_PENDING), MAX_PENDING);
    if (this.pending.length > MAX_PENDING) {
      this.pending.shift();
      this.dropped += 1;
    }
  }

  /**
   * Hands what waits to `store` in order (the leaf's stream, or the hub's escalations stream when connected straight
   * to it; msgID: the local episode id, so a retry is kept once); what cannot be stored stays for the next try.
   * Returns the ones stored now.
   */
  async flush(store: (escalation: CrossEscalation) => Promise<unknown>): Promise<CrossEscalation[]> {
    if (this.flushing || this.pending.length === 0) return [];
    this.flushing = true;
    const stored: CrossEscalation[] = [];
    try {
      while (this.pending.length > 0) {
        const next = this.pending[0] as CrossEscalation;
        await store(next);
        this.pending.shift();
        stored.push(next);
      }
    } finally {
      this.flushing = false;
    }
    return stored;
  }
}

/** A store into the leaf server's own stream (made where missing), for {@link LeafForward.flush}. */
export function leafStore(connection: NatsConnection, host: string): (escalation: CrossEscalation) => Promise<unknown> {
  let ready: Promise<unknown> | undefined;
  return async (escalation) => {
    ready ??= ensureLocalStream(connection).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return jetstream(connection).publish(localSubject(host), JSON.stringify(escalation), { msgID: escalation.episodeId });
  };
}
