// Reads a hook's stdin with a size cap and a deadline, so a huge event or a stdin that never closes cannot stall Claude Code.

/** The hook event as far as it was read. */
export interface BoundedInput {
  /** The first `maxBytes` bytes, decoded as UTF-8. */
  text: string;
  /** More than `maxBytes` arrived; the rest was drained and dropped. */
  truncated: boolean;
  /** The deadline passed before the stream ended. */
  timedOut: boolean;
  /** Bytes seen in total, kept and dropped. */
  bytes: number;
}

export interface BoundedReadOptions {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Collects a stream up to `maxBytes`. Bytes past the cap are read and discarded rather than left in the
 * pipe, so the writer (Claude Code) never meets a closed pipe. Resolves at end of stream, on error, or at
 * the deadline (then the stream is destroyed so it cannot keep the process alive); never rejects.
 */
export function readBounded(stream: NodeJS.ReadableStream & { destroy?: () => void; isTTY?: boolean }, options: BoundedReadOptions): Promise<BoundedInput> {
  // An interactive terminal is a person trying the command, not Claude Code: do not wait for them.
  if (stream.isTTY === true) return Promise.resolve({ text: "", truncated: false, timedOut: false, bytes: 0 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onEnd);
      // Keep a late error from surfacing as an uncaught exception after we stopped listening.
      stream.on("error", () => undefined);
      if (timedOut) stream.destroy?.();
      resolve({ text: Buffer.concat(chunks, kept).toString("utf8"), truncated: bytes > kept, timedOut, bytes });
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      const room = options.maxBytes - kept;
      if (room <= 0) return;
      const part = buffer.length > room ? buffer.subarray(0, room) : buffer;
      chunks.push(part);
      kept += part.length;
    };
    const onEnd = () => finish(false);
    const timer = setTimeout(() => finish(true), options.timeoutMs);
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onEnd);
  });
}
