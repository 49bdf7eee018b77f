// Bounded stdin reading on real streams: the size cap with draining, and the deadline.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBounded } from "./read-input";

describe("readBounded", () => {
  it("reads a stream to its end", async () => {
    const stream = new PassThrough();
    const done = readBounded(stream, { maxBytes: 1024, timeoutMs: 10_000 });
    stream.end('{"hook_event_name":"Stop"}');
    expect(await done).toEqual({ text: '{"hook_event_name":"Stop"}', truncated: false, timedOut: false, bytes: 26 });
  });

  it("keeps the first maxBytes and drains the rest", async () => {
    const stream = new PassThrough();
    const done = readBounded(stream, { maxBytes: 10, timeoutMs: 10_000 });
    stream.write("0123456");
    stream.write("789abcdef");
    stream.end("ghij");
    const result = await done;
    expect(result).toEqual({ text: "0123456789", truncated: true, timedOut: false, bytes: 20 });
    expect(stream.readableEnded).toBe(true);
  });

  it("gives up at the deadline with what it has and releases the stream", async () => {
    const stream = new PassThrough();
    const done = readBounded(stream, { maxBytes: 1024, timeoutMs: 50 });
    stream.write("partial");
    const result = await done;
    expect(result).toMatchObject({ text: "partial", timedOut: true });
    expect(stream.destroyed).toBe(true);
  });

  it("resolves on a stream error", async () => {
    const stream = new PassThrough();
    const done = readBounded(stream, { maxBytes: 1024, timeoutMs: 10_000 });
    stream.destroy(new Error("EPIPE"));
    expect(await done).toMatchObject({ text: "", timedOut: false });
  });

  it("does not wait for a terminal", async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    expect(await readBounded(stream, { maxBytes: 1024, timeoutMs: 10_000 })).toMatchObject({ text: "", timedOut: false });
  });
});
