// The control socket's client takes a bounded reply: a host that streams without end is cut off, not buffered for ever.
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { MAX_CONTROL_REPLY_BYTES, requestControl, serveControl } from "./control-socket";

describe("requestControl", () => {
  it("answers with the host's reply", async () => {
    const path = join(makeTempDir(), "c.sock");
    const server = await serveControl(path, async () => ({ ok: true, screen: "x" }));
    try {
      expect(await requestControl(path, { op: "screen" })).toEqual({ ok: true, screen: "x" });
    } finally {
      server.close();
    }
  });

  it("gives up on a reply longer than its bound, long before its deadline", async () => {
    const path = join(makeTempDir(), "c.sock");
    const block = "y".repeat(64 * 1024);
    const server = createServer((socket) => {
      socket.on("error", () => undefined);
      // Streams with no newline until the client hangs up.
      const more = () => {
        while (!socket.destroyed && socket.write(block));
        if (!socket.destroyed) socket.once("drain", more);
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await expect(requestControl(path, { op: "screen" }, 600_000)).rejects.toThrow(`longer than ${MAX_CONTROL_REPLY_BYTES} characters`);
    } finally {
      server.close();
    }
  });
});
