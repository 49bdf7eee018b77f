// The pure envelope parser: valid envelopes, every rejection reason, and prototype-pollution keys.
import { describe, expect, it } from "vitest";
import { jsonDepth, parseEnvelopeText } from "./parse";

const ID = "0b6f0c5e-3a51-4c2e-9a57-1f0d2b1c9a01";
const NOW = Date.parse("2026-05-16T07:13:00Z");
const base = {
  id: ID,
  topic: "heartbeat",
  payload: { status: "working" },
  from: "otto-cli",
  to: "*",
  timestamp: "2026-05-16T07:10:00.000Z",
  expiresAt: "2026-05-16T07:15:00.000Z",
};
const parse = (value: unknown, stem = ID) => parseEnvelopeText(typeof value === "string" ? value : JSON.stringify(value), stem, NOW);

describe("parseEnvelopeText", () => {
  it("accepts a heartbeat and returns its payload", () => {
    const result = parse(base);
    expect(result).toMatchObject({ ok: true, heartbeat: { status: "working" } });
  });

  it("accepts unknown topics (foreign) with any payload", () => {
    expect(parse({ ...base, topic: "shiny-new-topic", payload: [1, 2] }).ok).toBe(true);
  });

  const rejected: [string, unknown, RegExp, boolean][] = [
    ["truncated JSON", JSON.stringify(base).slice(0, 40), /not valid JSON/, true],
    ["an array", "[]", /not a JSON object/, false],
    ["a path as sender", { ...base, from: "../../etc/passwd" }, /from is not a valid surface id/, false],
    ["an upper-case sender", { ...base, from: "Otto" }, /from/, false],
    ["a bad recipient", { ...base, to: "every one" }, /to/, false],
    ["a bad timestamp", { ...base, timestamp: "not-a-date" }, /timestamp is not an ISO-8601 time/, false],
    ["a far-future timestamp", { ...base, timestamp: "9999-01-01T00:00:00Z" }, /in the future/, false],
    ["a string heartbeat payload", { ...base, payload: "working" }, /heartbeat payload/, false],
    ["an unknown status", { ...base, payload: { status: "sleeping" } }, /heartbeat payload: status/, false],
    ["a non-UUID id", { ...base, id: "abc" }, /id is not a UUID/, false],
  ];
  it.each(rejected)("rejects %s", (_name, value, reason, retryable) => {
    const result = parse(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.retryable).toBe(retryable);
    }
  });

  it("rejects a file whose name is not its id", () => {
    expect(parse(base, "not-the-same-id")).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match id/) });
  });

  it("drops __proto__ and constructor keys without polluting prototypes", () => {
    const text = `{"id":"${ID}","topic":"claim","payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"ok":1},"from":"otto-cli","to":"*","timestamp":"2026-05-16T07:10:00Z","expiresAt":"2026-05-16T07:15:00Z"}`;
    const result = parseEnvelopeText(text, ID, NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.envelope.payload).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("nesting depth", () => {
  it("rejects a payload nested deeper than the limit, without recursion", () => {
    const deep = `{"id":"${ID}","topic":"claim","payload":${"[".repeat(20_000)}${"]".repeat(20_000)},"from":"otto-cli","to":"*","timestamp":"2026-05-16T07:10:00Z","expiresAt":"2026-05-16T07:15:00Z"}`;
    expect(parseEnvelopeText(deep, ID, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/nested deeper than 64/) });
  });

  it("ignores brackets inside strings", () => {
    expect(jsonDepth(`{"a":"[[[[{{{{\\"]]]"}`)).toBe(1);
    expect(parse({ ...base, payload: { status: "working", note: "[".repeat(500) } }).ok).toBe(true);
  });
});
