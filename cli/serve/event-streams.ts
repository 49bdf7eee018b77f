// serve's open event streams: at most MAX_STREAMS, each holding at most one unsent snapshot while its client is slow.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppSnapshot } from "../../core/api";
import { boundsMeter } from "../../core/diagnostics/bounds-meter";
import { MAX_FRAME_BYTES, MAX_STREAMS, STREAM_QUEUE_CAP_BYTES } from "./stream-limits";

/** The meter's name for the bytes one stream holds (what its socket has not taken, plus the frame kept back). */
export const QUEUED_BYTES = "serve.stream.queuedBytes";

interface Stream {
  res: ServerResponse;
  /** The last write was refused by the socket: nothing more is written until it drains. */
  waiting: boolean;
  /** The latest frame not written yet (a snapshot stream needs only the latest), or undefined. */
  pending: Buffer | undefined;
}

/** One snapshot as a server-sent event; a snapshot too large to push becomes a `problem` event saying so. */
export function snapshotFrame(snapshot: AppSnapshot): Buffer {
  const frame = Buffer.from(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
  if (frame.length <= MAX_FRAME_BYTES) return frame;
  boundsMeter.limitedOnce("serve.stream.frameBytes", MAX_FRAME_BYTES);
  const error = `the snapshot is ${frame.length} bytes, more than the ${MAX_FRAME_BYTES} an event stream carries: this view is not updated (see otto-tray status)`;
  return Buffer.from(`event: problem\ndata: ${JSON.stringify({ error })}\n\n`);
}

export class EventStreams {
  private readonly streams = new Set<Stream>();

  /** Streams open now and their cap, for the diagnostics call. */
  counts(): { open: number; cap: number } {
    return { open: this.streams.size, cap: MAX_STREAMS };
  }

  /** Whether one more stream would pass the cap. */
  full(): boolean {
    return this.streams.size >= MAX_STREAMS;
  }

  /** Starts a stream on `res` with `first` (the current snapshot); it ends when the client goes. */
  open(req: IncomingMessage, res: ServerResponse, first: AppSnapshot): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    const stream: Stream = { res, waiting: false, pending: undefined };
    this.streams.add(stream);
    req.on("close", () => this.streams.delete(stream));
    res.on("drain", () => {
      stream.waiting = false;
      const next = stream.pending;
      stream.pending = undefined;
      if (next !== undefined) this.send(stream, next);
    });
    this.send(stream, Buffer.concat([Buffer.from("retry: 1000\n"), snapshotFrame(first)]));
  }

  /** Pushes `snapshot` to every stream: written where the socket takes it, else kept as that stream's latest. */
  push(snapshot: AppSnapshot): void {
    if (this.streams.size === 0) return;
    const frame = snapshotFrame(snapshot);
    for (const stream of this.streams) this.send(stream, frame);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  private send(stream: Stream, frame: Buffer): void {
    if (stream.waiting) {
      // The client is not reading: an older unsent snapshot is replaced, never queued behind.
      if (stream.pending !== undefined) boundsMeter.limitedOnce(QUEUED_BYTES, STREAM_QUEUE_CAP_BYTES);
      stream.pending = frame;
    } else if (!stream.res.write(frame)) stream.waiting = true;
    boundsMeter.observe(QUEUED_BYTES, stream.res.writableLength + (stream.pending?.length ?? 0), STREAM_QUEUE_CAP_BYTES);
  }
}
