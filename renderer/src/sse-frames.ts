// Server-sent events read from a fetch body (EventSource cannot send the token header): text in, whole events out.

export interface SseEvent {
  event: string;
  data: string;
}

/** The most text kept waiting for an event's end; serve's frames are at most 1 MiB (cli/serve/stream-limits.ts). */
export const MAX_PENDING_CHARS = 2 * 1024 * 1024;

/**
 * Splits a stream's text into events as the SSE format says: events end at a blank line; `event:` names one
 * ("message" when absent), `data:` lines are joined by newlines, `:` lines are comments, a CR LF or CR is a line end.
 * Throws when more than MAX_PENDING_CHARS arrive without an event ending (a stream that is not serve's).
 */
export class SseParser {
  private pending = "";
  /** A CR that ended the last chunk: the LF that may follow it in the next one belongs to the same line end. */
  private carriage = false;

  feed(text: string): SseEvent[] {
    let incoming = (this.carriage ? "\r" : "") + text;
    this.carriage = incoming.endsWith("\r");
    if (this.carriage) incoming = incoming.slice(0, -1);
    this.pending += incoming.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    for (let end = this.pending.indexOf("\n\n"); end >= 0; end = this.pending.indexOf("\n\n")) {
      const block = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      const event = parseBlock(block);
      if (event !== undefined) events.push(event);
    }
    if (this.pending.length > MAX_PENDING_CHARS) throw new Error(`the event stream sent more than ${MAX_PENDING_CHARS} characters without ending an event`);
    return events;
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 ? undefined : { event, data: data.join("\n") };
}
