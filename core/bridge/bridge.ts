// The bridge: this machine's surfaces out to the NATS KV bucket, the other machines' in, and the link's state, with the
// local bus as the source of truth throughout (it works the same while NATS is away; reconnecting re-publishes).
// Behind a leaf node (`hubDomain`) the link also follows whether the hub's JetStream answers, and this machine's own
// quorums told while it does not are stored on the leaf for the hub (leaf-forward.ts).
import type { Envelope } from "../bus/envelope";
import type { QuorumConfig, QuorumMember } from "../detect/quorum";
import type { QuorumScope } from "../detect/engine";
import type { Snapshot } from "../snapshot";
import type { BridgeCredentials } from "./credentials";
import { type CrossEscalation, ensureEscalationStream, followEscalations, publishEscalation } from "./escalation-stream";
import { EPISODES_BUCKET, GlobalQuorum, LEASE_KEY } from "./global-quorum";
import { DEFAULT_LEASE_TIMING, KvLease, type LeaseTiming } from "./kv-lease";
import { LeafForward, leafStore, localEscalation, MAX_PENDING } from "./leaf-forward";
import { BridgeLinkError, describeLinkError, HubSilentError, hubSilentLine, type KvWatchEntry, type NatsLink, openKv, openLink, probeHub } from "./nats-link";
import { type RemoteHostView, RemoteView } from "./remote-view";
import { parseRecord, recordKey, recordOf } from "./surface-record";

/** What the bridge follows locally: the machine's detector (it runs in the same process). */
export interface LocalSurfaces {
  snapshot(): Snapshot;
  on(event: "snapshot", listener: (snapshot: Snapshot) => void): unknown;
  off(event: "snapshot", listener: (snapshot: Snapshot) => void): unknown;
  /** What the detector wrote to this bus (behind a leaf: its local quorums are stored for the hub). */
  on(event: "published", listener: (envelope: Envelope) => void): unknown;
  off(event: "published", listener: (envelope: Envelope) => void): unknown;
}

export interface BridgeOptions {
  url: string;
  credentials: BridgeCredentials | undefined;
  host: string;
  /**
   * The hub's JetStream domain when `url` is this machine's own leaf node of the hub: the buckets and the stream are
   * the hub's, addressed through it. Undefined: `url` is the hub itself.
   */
  hubDomain?: string;
  /** Send the prompt texts, notes and reasons too (off: only states, ages and the kind of prompt leave the machine). */
  shareDetails: boolean;
  local: LocalSurfaces;
  /** One line for the person (connected, lost, refused…); each said once when it happens. */
  log: (line: string) => void;
  /** Called when what `status()` returns may have changed (for the state file the one-shot `status` reads). */
  onChange?: () => void;
  /** Every surface is re-published this often, so other machines can tell a stopped bridge (silent) from a quiet one. */
  republishMs?: number;
  /** The quorum's thresholds (this machine's preferences; the lease holder's are the ones in force). */
  quorum: QuorumConfig;
  /** Whether this process may contend for the quorum's lease: only the bus's local publisher (it holds the bus lock). */
  mayPublishQuorum: () => boolean;
  /** Writes an escalation that crossed machines to this machine's bus once (throws when it cannot: redelivered). */
  deliver: (escalation: CrossEscalation) => "written" | "already";
  leaseTiming?: LeaseTiming;
}

export type LinkState = "connecting" | "connected" | "reconnecting" | "refused" | "stopped";

export interface BridgeStatus {
  host: string;
  url: string;
  link: LinkState;
  /** Since when the link is in that state. */
  since: string;
  /** The last problem said (a refusal, an unreachable server), or null. */
  problem: string | null;
  remote: RemoteHostView[];
  /** Records from other machines refused (malformed, over a bound): counted, never acted on. */
  refusedRecords: number;
  /** The quorum across machines: who publishes it (the lease's holder, when known) and whether this machine does. */
  quorum: { publisher: string | null; thisMachine: boolean };
}

export const DEFAULT_REPUBLISH_MS = 15_000;
/** Behind a leaf, how often the hub's JetStream is asked whether it answers (the leaf's link stays up when it does not). */
export const HUB_PROBE_MS = 2000;

export class Bridge {
  private link: NatsLink | undefined;
  private state: LinkState = "connecting";
  private stateSince = Date.now();
  private problem: string | null = null;
  /** What was last put per key, without its time: unchanged surfaces are not re-sent between re-publishes. */
  private readonly sent = new Map<string, string>();
  private readonly remote: RemoteView;
  private refused = 0;
  private refusalsSaid = 0;
  private timer: NodeJS.Timeout | undefined;
  private publishing: Promise<void> | undefined;
  private again = false;
  private readonly republishMs: number;
  private readonly onSnapshot = () => this.publishChanged();
  private lease: KvLease | undefined;
  private quorum: GlobalQuorum | undefined;
  /** Set once the stream, the episodes bucket and the lease are open: until then local quorums stay local. */
  private quorumReady = false;
  private quorumTimer: NodeJS.Timeout | undefined;
  private quorumStepping = false;
  private lastLeaseStep = 0;
  /** Say, once after a reconnect, what the holder makes of the running episode (it continues, or there is none). */
  private quorumAfterReconnect = false;
  /** Whether the connection to the server (the hub, or the leaf) is up; behind a leaf, whether the hub answers too. */
  private connectionUp = false;
  private hubAnswers = true;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  /** Whether the KV watch and the escalations' consumer run (behind a leaf they may end while the hub is away). */
  private watching = false;
  private consuming = false;
  /** End the watch or the consumer's reading (behind a leaf, to start them again once the hub answers again). */
  private stopWatching: (() => void) | undefined;
  private stopConsuming: (() => void) | undefined;
  private watchAgain = false;
  private consumeAgain = false;
  /** This machine's own quorums told while cut off, waiting for the hub (behind a leaf: for the leaf's stream). */
  private readonly forward: LeafForward;
  /** The last reason the leaf could not keep a local quorum: said once, not at every try. */
  private forwardProblem: string | undefined;
  private leafStore: ((escalation: CrossEscalation) => Promise<unknown>) | undefined;
  /** Per local surface, when the last quorum this machine told on its own (while cut off) that named it formed. */
  private readonly toldLocally = new Map<string, string>();
  private readonly onPublished = (envelope: Envelope) => this.forwardLocal(envelope);

  constructor(private readonly options: BridgeOptions) {
    this.republishMs = options.republishMs ?? DEFAULT_REPUBLISH_MS;
    this.remote = new RemoteView(this.republishMs * 3);
    this.forward = new LeafForward();
  }

  private get hubDomain(): string | undefined {
    return this.options.hubDomain;
  }

  /**
   * Connects. Refused credentials or a server without JetStream throw BridgeLinkError (retrying cannot help); an
   * unreachable server is said once and tried again in the background, the local bus working meanwhile.
   */
  async start(): Promise<void> {
    this.options.local.on("snapshot", this.onSnapshot);
    this.options.local.on("published", this.onPublished);
    this.timer = setInterval(() => this.republish(), this.republishMs);
    try {
      this.attach(await openLink(this.options.url, this.options.credentials, this.options.host, false, this.hubDomain));
    } catch (error) {
      if (error instanceof BridgeLinkError) {
        await this.stop();
        this.setState("refused", error.message);
        throw error;
      }
      if (error instanceof HubSilentError) this.setState("reconnecting", error.message);
      else this.setState("reconnecting", `${describeLinkError(this.options.url, error).line}; trying again every second (the local bus works as before)`);
      void this.connectInBackground();
    }
  }

  async stop(): Promise<void> {
    this.options.local.off("snapshot", this.onSnapshot);
    this.options.local.off("published", this.onPublished);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.probeTimer !== undefined) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    if (this.quorumTimer !== undefined) clearInterval(this.quorumTimer);
    this.quorumTimer = undefined;
    // Given back at once on a clean stop: another machine publishes without waiting out the TTL.
    await this.lease?.release();
    const link = this.link;
    this.link = undefined;
    if (this.state !== "refused") this.setState("stopped", null);
    await this.publishing;
    await link?.connection.close().catch(() => undefined);
  }

  status(now: number = Date.now()): BridgeStatus {
    const down = this.state === "connected" ? null : this.stateSince;
    return {
      host: this.options.host,
      url: this.options.url,
      link: this.state,
      since: new Date(this.stateSince).toISOString(),
      problem: this.problem,
      remote: this.remote.view(now, down),
      refusedRecords: this.refused + this.remote.dropped,
      quorum: { publisher: this.lease?.currentHolder ?? null, thisMachine: this.lease?.held === true },
    };
  }

  /** Who publishes quorums of this machine's bus now: the machines' one publisher while linked; this machine alone while cut off. */
  quorumScope(): QuorumScope {
    return this.state === "connected" && this.quorumReady ? "machines" : "local";
  }

  private async connectInBackground(): Promise<void> {
    for (;;) {
      try {
        const link = await openLink(this.options.url, this.options.credentials, this.options.host, true, this.hubDomain);
        if (this.timer === undefined) return void (await link.connection.close());
        this.attach(link);
        return;
      } catch (error) {
        if (this.timer === undefined) return;
        // Behind a leaf: the leaf answers but the hub does not (yet); tried again until it does.
        if (error instanceof HubSilentError) {
          this.setState("reconnecting", error.message);
          await new Promise((resolve) => setTimeout(resolve, HUB_PROBE_MS));
          continue;
        }
        const line = error instanceof BridgeLinkError ? error.message : describeLinkError(this.options.url, error).line;
        this.setState("refused", line);
        return;
      }
    }
  }

  private attach(link: NatsLink): void {
    this.link = link;
    this.connectionUp = true;
    this.hubAnswers = true;
    this.setState("connected", null);
    this.options.log(`connected to ${this.options.url} as ${this.options.host}${this.hubDomain === undefined ? "" : ` (a leaf node; the hub's JetStream domain ${this.hubDomain})`}`);
    void this.followStatus(link);
    void this.followOthers(link);
    this.republish();
    void this.startQuorum(link);
    void this.flushForward(link);
    if (this.hubDomain !== undefined) this.probeTimer = setInterval(() => void this.probe(), HUB_PROBE_MS);
  }

  /**
   * Behind a leaf: whether the hub's JetStream answers (the leaf's own link stays up while the hub is away, and its
   * clients get errors at once). Not answering: reconnecting, quorums local; answering again: connected, every surface
   * re-published, the watch and the consumer started again if they ended.
   */
  private async probe(): Promise<void> {
    const link = this.link;
    const domain = this.hubDomain;
    if (link === undefined || domain === undefined || !this.connectionUp || this.probing) return;
    this.probing = true;
    try {
      await this.flushForward(link);
      try {
        await probeHub(link.connection, domain);
      } catch (error) {
        if (this.link !== link || !this.connectionUp) return;
        this.hubAnswers = false;
        if (this.state === "connected") this.setState("reconnecting", hubSilentLine(this.options.url, domain, error));
        return;
      }
      if (this.link !== link || !this.connectionUp || (this.hubAnswers && this.state === "connected")) return;
      this.hubAnswers = true;
      this.setState("connected", null);
      this.options.log(`the hub's JetStream (domain ${domain}) answers again through the leaf; re-publishing this machine's surfaces`);
      this.quorumAfterReconnect = true;
      this.republish();
      // The client never lost its connection (to the leaf), so it does not know that the watch's and the consumer's
      // requests to the hub were lost with it: both are started afresh (the durable consumer resumes where it was).
      if (this.watching) {
        this.watchAgain = true;
        this.stopWatching?.();
      } else void this.followOthers(link);
      if (!this.quorumReady) void this.startQuorum(link);
      else if (this.consuming) {
        this.consumeAgain = true;
        this.stopConsuming?.();
      } else this.followEscalationsOnto(link);
    } finally {
      this.probing = false;
    }
  }

  /** A quorum the detector told on this bus while cut off, kept for the hub (stored on the leaf behind one). */
  private forwardLocal(envelope: Envelope): void {
    const escalation = localEscalation(this.options.host, envelope);
    if (escalation === undefined) return;
    // Said in this machine's records too, so the quorum across machines knows before the escalation reaches it.
    for (const surface of (envelope.payload as { surfaces: string[] }).surfaces) this.toldLocally.set(surface, escalation.since);
    this.publishChanged();
    const dropped = this.forward.dropped;
    this.forward.add(escalation);
    if (this.forward.dropped > dropped) this.options.log(`more than ${MAX_PENDING} quorums told while cut off wait for the hub: the oldest is dropped (it stays on this bus)`);
    if (this.link !== undefined) void this.flushForward(this.link);
  }

  /**
   * Behind a leaf, whenever the leaf answers (its stream keeps them until the hub sources them); connected straight to
   * the hub, once it is back (reconnected: the hub's stream takes them, each once by its msgID).
   */
  private async flushForward(link: NatsLink): Promise<void> {
    const leaf = this.hubDomain !== undefined;
    if (this.forward.waiting === 0 || !this.connectionUp || (!leaf && this.state !== "connected")) return;
    this.leafStore ??= leaf ? leafStore(link.connection, this.options.host) : undefined;
    const store = this.leafStore ?? ((escalation: CrossEscalation) => publishEscalation(link.connection, escalation));
    try {
      for (const stored of await this.forward.flush(store)) {
        this.options.log(`quorum ${stored.episodeId} told while cut off (${stored.surfaces.join(", ")}): ${leaf ? "kept on the leaf for the hub" : "told to the other machines now"}`);
      }
      this.forwardProblem = undefined;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      const where = leaf ? `kept on the leaf yet (tried again every 2 s; does ${this.options.url} run JetStream?)` : "told to the other machines yet (tried again at the next reconnect or quorum)";
      if (problem !== this.forwardProblem) this.options.log(`a quorum told while cut off cannot be ${where}: ${problem}`);
      this.forwardProblem = problem;
    }
  }

  /** The stream, the episodes bucket and the lease; then every machine's escalations followed onto this bus. */
  private async startQuorum(link: NatsLink): Promise<void> {
    try {
      await ensureEscalationStream(link.connection, this.hubDomain);
      const episodes = await openKv(link.connection, EPISODES_BUCKET, this.hubDomain);
      this.lease = new KvLease(episodes, LEASE_KEY, this.options.host, this.options.leaseTiming ?? DEFAULT_LEASE_TIMING);
      this.quorum = new GlobalQuorum({ config: this.options.quorum, host: this.options.host, connection: link.connection, hubDomain: this.hubDomain, episodes, log: this.options.log });
    } catch (error) {
      this.options.log(`the quorum across machines cannot run: ${describeLinkError(this.options.url, error).line}; quorums stay local`);
      return;
    }
    this.quorumReady = true;
    this.quorumTimer = setInterval(() => void this.quorumStep(), 1000);
    this.followEscalationsOnto(link);
  }

  /** Every machine's escalations, each written to this bus once; this machine's own local ones are on it already. */
  private followEscalationsOnto(link: NatsLink): void {
    this.consuming = true;
    void followEscalations(
      link.connection,
      this.options.host,
      (escalation) => {
        // A quorum a machine told on its own while cut off: the quorum across machines does not tell it again.
        if (escalation.scope === "local") this.quorum?.noteTold(escalation);
        if (escalation.scope === "local" && escalation.publishedBy === this.options.host) return;
        if (this.options.deliver(escalation) !== "written") return;
        if (escalation.scope === "local") this.options.log(`quorum of ${escalation.publishedBy} told while it was cut off: ${escalation.surfaces.join(", ")}; written to this bus`);
        else this.options.log(`quorum across machines: ${escalation.surfaces.join(", ")} (told by ${escalation.publishedBy}); written to this bus`);
      },
      (reason) => this.refuse(reason),
      this.hubDomain,
      (stop) => (this.stopConsuming = stop),
    )
      .catch((error: unknown) => {
        if (this.link === link && !this.consumeAgain) this.options.log(`following the escalations stopped: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.consuming = false;
        this.stopConsuming = undefined;
        if (this.consumeAgain && this.link === link) {
          this.consumeAgain = false;
          this.followEscalationsOnto(link);
        }
      });
  }

  /** Every machine's quorum members: ours from the detector, the others' from their records (a silent host's count no more). */
  private members(now: number): QuorumMember[] {
    const ours = this.options.local.snapshot().quorum.members.map((m) => {
      const id = `${this.options.host}.${m.id}`;
      this.noteToldRun(id, this.toldLocally.get(m.id) ?? null);
      return { id, idleSince: m.idleSince === null ? undefined : Date.parse(m.idleSince) };
    });
    const theirs = this.remote
      .view(now, null)
      .filter((host) => host.link === "connected")
      .flatMap((host) =>
        host.surfaces
          .filter((s) => s.quorumMember)
          .map((s) => {
            const id = `${host.host}.${s.surface}`;
            // Its record says a quorum its machine told while cut off named it: read before any quorum is told.
            this.noteToldRun(id, s.toldSince);
            return { id, idleSince: s.memberSince === null ? undefined : Date.parse(s.memberSince) };
          }),
      );
    return [...ours, ...theirs];
  }

  private noteToldRun(id: string, toldSince: string | null): void {
    if (toldSince !== null) this.quorum?.noteRun(id, Date.parse(toldSince));
  }

  /** One step of the lease (every third of its TTL) and of the quorum; never two at once, never while cut off. */
  private async quorumStep(): Promise<void> {
    const { lease, quorum } = this;
    if (this.quorumStepping || lease === undefined || quorum === undefined || this.state !== "connected") return;
    this.quorumStepping = true;
    try {
      const now = Date.now();
      const timing = this.options.leaseTiming ?? DEFAULT_LEASE_TIMING;
      if (!this.options.mayPublishQuorum()) {
        if (lease.held) await lease.release();
      } else if (now - this.lastLeaseStep >= timing.ttlMs / 3) {
        this.lastLeaseStep = now;
        const before = lease.held;
        const held = await lease.step(now);
        if (held !== before) this.options.log(held ? "this machine now publishes the quorum across machines" : "this machine no longer publishes the quorum across machines");
      }
      const published = await quorum.step(now, this.members(now), lease.held);
      if (published !== undefined) this.options.log(`published quorum ${published.episodeId}: ${published.surfaces.join(", ")}`);
      if (this.quorumAfterReconnect && lease.held) {
        const episode = quorum.current;
        this.options.log(episode === undefined ? "after reconnecting: no quorum across machines now" : `after reconnecting: quorum ${episode.id} continues (${episode.published ? "already told" : "not told yet"})`);
      }
      this.quorumAfterReconnect = false;
    } catch (error) {
      this.options.log(`quorum step failed (tried again): ${error instanceof Error ? error.message : String(error)}`);
      void this.probe();
    } finally {
      this.quorumStepping = false;
    }
  }

  /** Lost and found again: said once each; reconnecting re-publishes every surface (the hub may have lost them). */
  private async followStatus(link: NatsLink): Promise<void> {
    for await (const status of link.connection.status()) {
      if (status.type === "disconnect") {
        this.connectionUp = false;
        if (this.state === "connected") this.setState("reconnecting", `lost ${this.options.url}; reconnecting (the local bus works as before)`);
      } else if (status.type === "reconnect" && this.hubDomain !== undefined) {
        // The leaf is back; connected again once the hub's JetStream answers through it (the probe says).
        this.connectionUp = true;
        this.hubAnswers = false;
        this.options.log(`reconnected to ${this.options.url} (the leaf); asking the hub's JetStream (domain ${this.hubDomain})`);
        void this.flushForward(link);
        void this.probe();
      } else if (status.type === "reconnect") {
        this.connectionUp = true;
        this.setState("connected", null);
        this.options.log(`reconnected to ${this.options.url}; re-publishing this machine's surfaces`);
        this.quorumAfterReconnect = true;
        // What was told while cut off goes first, then this machine's surfaces (which also say it was told).
        void this.flushForward(link).finally(() => this.republish());
      } else if (status.type === "error") this.options.log(describeLinkError(this.options.url, status.error).line);
    }
  }

  /** Every other host's records, as they change; ours are skipped (we know them better), bad ones counted and named. */
  private async followOthers(link: NatsLink): Promise<void> {
    this.watching = true;
    try {
      const watch = await link.surfaces.watch({ key: ">" });
      this.stopWatching = () => watch.stop();
      for await (const entry of watch) this.heard(entry);
    } catch (error) {
      if (this.link === link && !this.watchAgain) this.options.log(`following other machines stopped: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.watching = false;
      this.stopWatching = undefined;
      if (this.watchAgain && this.link === link) {
        this.watchAgain = false;
        void this.followOthers(link);
      }
    }
  }

  private heard(entry: KvWatchEntry): void {
    const [host, surface, ...rest] = entry.key.split(".");
    if (host === this.options.host) {
      // Ours from an earlier run, for a surface no longer watched: gone, so no machine shows it forever.
      const watched = this.options.local.snapshot().surfaces.some((s) => s.id === surface);
      if (entry.operation === "PUT" && !watched) void this.link?.surfaces.delete(entry.key).catch(() => undefined);
      return;
    }
    if (host === undefined || surface === undefined || rest.length > 0) return this.refuse(`${entry.key}: not a <host>.<surface> key`);
    if (entry.operation !== "PUT") this.remote.delete(host, surface);
    else {
      const parsed = parseRecord(entry.key, entry.value);
      if (!parsed.ok) return this.refuse(parsed.reason);
      this.remote.put(parsed.record);
    }
    this.options.onChange?.();
  }

  /** A record another machine wrote that cannot be used: counted; the first few are named (a flood says no more). */
  private refuse(reason: string): void {
    this.refused += 1;
    if (this.refusalsSaid < 5) {
      this.refusalsSaid += 1;
      this.options.log(`ignored a record from the hub: ${reason}`);
    }
  }

  private republish(): void {
    this.sent.clear();
    this.publishChanged();
  }

  /** One pass at a time; a change during a pass runs one more pass after it (coalesced, never queued). */
  private publishChanged(): void {
    if (this.publishing !== undefined) {
      this.again = true;
      return;
    }
    this.publishing = this.publishPass().finally(() => {
      this.publishing = undefined;
      if (this.again) {
        this.again = false;
        this.publishChanged();
      }
    });
  }

  private async publishPass(): Promise<void> {
    const link = this.link;
    // While the link is down nothing is queued: reconnecting re-publishes what is current then.
    if (link === undefined || this.state !== "connected") return;
    const now = new Date();
    const snapshot = this.options.local.snapshot();
    for (const surface of snapshot.surfaces) {
      const member = snapshot.quorum.members.find((m) => m.id === surface.id);
      const record = recordOf(this.options.host, surface, now, this.options.shareDetails, member, this.toldLocally.get(surface.id) ?? null);
      const key = recordKey(this.options.host, surface.id);
      const unchanged = JSON.stringify({ ...record, publishedAt: undefined });
      if (this.sent.get(key) === unchanged) continue;
      try {
        await link.surfaces.put(key, JSON.stringify(record));
        this.sent.set(key, unchanged);
      } catch {
        // Lost mid-pass: the reconnect re-publishes everything (behind a leaf: ask whether the hub still answers).
        void this.probe();
        return;
      }
    }
    this.options.onChange?.();
  }

  private setState(state: LinkState, problem: string | null): void {
    if (state !== this.state) {
      this.state = state;
      this.stateSince = Date.now();
    }
    if (problem !== null && problem !== this.problem) this.options.log(problem);
    this.problem = problem;
    this.options.onChange?.();
  }
}
