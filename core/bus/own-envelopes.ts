// The envelopes Otto Tray itself published, per topic and oldest first: the detectors' memory across restarts.
import type { Envelope } from "./envelope";

const MAX_OWN_PER_TOPIC = 256;

/** Bounded per topic; kept in full (payloads too) whatever the reader keeps of other envelopes. */
export class OwnEnvelopes {
  private readonly byTopic = new Map<string, Envelope[]>();

  remember(envelope: Envelope): void {
    let list = this.byTopic.get(envelope.topic);
    if (list === undefined) this.byTopic.set(envelope.topic, (list = []));
    if (list.some((e) => e.id === envelope.id)) return;
    list.push(envelope);
    list.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    if (list.length > MAX_OWN_PER_TOPIC) list.shift();
  }

  get(topic: string): readonly Envelope[] {
    return this.byTopic.get(topic) ?? [];
  }
}
