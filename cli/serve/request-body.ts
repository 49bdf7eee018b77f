// Reads a request's body within a limit; a larger one is read to its end and discarded (up to a bound) so the 413 arrives.
import type { IncomingMessage } from "node:http";

/** The body as text, or that it was larger than the limit (then `drained` says whether the whole body was read). */
export type BodyResult = { ok: true; text: string } | { ok: false; drained: boolean };

/**
 * Collects at most `limit` bytes. Past the limit nothing more is kept, but the rest is read and discarded up to
 * `drainLimit` bytes in all, so the client has sent everything when the 413 goes out and reads it instead of a reset
 * (closing a socket with unread data makes the kernel reset the connection). Past `drainLimit` the caller should
 * answer and close at once: reading more would let one client make us read forever.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (declared > drainLimit) {
      resolve({ ok: false, drained: false });
      return;
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) {
        req.off("data", onData);
        req.pause();
        resolve({ ok: false, drained: false });
      } else chunks.length = 0;
    };
    req.on("data", onData);
    req.on("end", () => resolve(size > limit ? { ok: false, drained: true } : { ok: true, text: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", reject);
  });
}
