// Writes each escalation that crossed machines to this machine's bus once: a bounded memory of the episodes written
// (in the state directory) makes a redelivered message (a crash before its acknowledgement) a no-op.
import { join } from "node:path";
import { checkBusTrust } from "../bus/trust";
import { publish } from "../bus/writer";
import { readJsonFile, writeJsonAtomic } from "../fs/atomic-write";
import { OTTO_TRAY_SENDER } from "../ids";
import type { CrossEscalation } from "./escalation-stream";

export const DELIVERED_FILE = "bridge-delivered.json";
/** Far more than the episodes a duplicate could still arrive for. */
export const MAX_DELIVERED = 256;

export class BusDelivery {
  private readonly file: string;
  private delivered: string[];

  constructor(
    private readonly busDir: string,
    homeDir: string,
  ) {
    this.file = join(homeDir, DELIVERED_FILE);
    const read = readJsonFile(this.file);
    this.delivered = Array.isArray(read) ? read.filter((v): v is string => typeof v === "string").slice(-MAX_DELIVERED) : [];
  }

  /** Writes it unless written before; throws when the bus cannot take it (the message is then not acknowledged). */
  deliver(escalation: CrossEscalation): "written" | "already" {
    if (this.delivered.includes(escalation.episodeId)) return "already";
    const trust = checkBusTrust(this.busDir);
    if (!trust.trusted) throw new Error(`the bus is not trusted (${trust.reason ?? "unknown"}): the escalation is not written there`);
    const { surfaces, windowMinutes, quorumSize, episodeId, since, scope } = escalation;
    // scope "local": another machine's own quorum, told while it was cut off, forwarded once it was back.
    publish(this.busDir, { topic: "standing-by-quorum", from: OTTO_TRAY_SENDER, to: "*", payload: { surfaces, windowMinutes, quorumSize, episodeId, since, scope } });
    this.delivered = [...this.delivered, episodeId].slice(-MAX_DELIVERED);
    writeJsonAtomic(this.file, this.delivered, { mode: 0o600 });
    return "written";
  }
}
