// The page's SSE reader: whole events out of arbitrary chunks, as serve sends them and as the format allows.
import { describe, expect, it } from "vitest";
import { MAX_PENDING_CHARS, SseParser } from "./sse-frames";

describe("SseParser", () => {
  it("returns serve's frames whole however the text is cut, skipping retry lines and comments", () => {
    const text = 'retry: 1000\nevent: snapshot\ndata: {"a":1}\n\n: keep-alive\n\nevent: problem\ndata: {"error":"x"}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual([
        { event: "snapshot", data: '{"a":1}' },
        { event: "problem", data: '{"error":"x"}' },
      ]);
    }
  });

  it("joins data lines, names an unnamed event 'message', and takes CR LF and CR line ends, even split", () => {
    const parser = new SseParser();
    expect(parser.feed("data: one\r\ndata:two\r")).toEqual([]);
    expect(parser.feed("\n\r\nevent: x\rdata\r\r\n")).toEqual([
      { event: "message", data: "one\ntwo" },
      { event: "x", data: "" },
    ]);
  });

  it("refuses a stream that never ends an event past its bound", () => {
    const parser = new SseParser();
    expect(() => parser.feed(`data: ${"x".repeat(MAX_PENDING_CHARS)}`)).toThrow(/without ending an event/);
  });
});
