// The scripted Messages API server on its own: SSE in the Messages API's order, scripted turns, follow-ups, aborts.
import { request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedServer } from "./anthropic-server";

const servers: ScriptedServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function server(): Promise<ScriptedServer> {
  const s = await startScriptedServer([
    { match: "#clean", tool: { name: "Bash", input: { command: "rm -rf build" } } },
    { text: "Removed build." },
    { match: "#slow", delayMs: 60_000, text: "late" },
  ]);
  servers.push(s);
  return s;
}

const TOOLS = [{ name: "Bash", input_schema: {} }];
async function post(url: string, messages: unknown[], tools: unknown[] = TOOLS): Promise<{ events: { type: string }[] }> {
  const response = await fetch(`${url}/v1/messages?beta=true`, { method: "POST", body: JSON.stringify({ model: "m", stream: true, tools, messages }) });
  const text = await response.text();
  const events = text
    .split("\n\n")
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split("\n");
      const data = JSON.parse((dataLine ?? "").replace(/^data: /, "")) as { type: string };
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
  return { events };
}

describe("startScriptedServer", () => {
  it("streams a tool call for a matching prompt, then its follow-up for the tool result, in the Messages API's order", async () => {
    const s = await server();
    const first = await post(s.url, [{ role: "user", content: [{ type: "text", text: "<system-reminder>x</system-reminder>" }, { type: "text", text: "clean the build #clean" }] }]);
    expect(first.events.map((e) => e.type)).toEqual(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(first.events[1]).toMatchObject({ content_block: { type: "tool_use", name: "Bash" } });
    expect(first.events[2]).toMatchObject({ delta: { type: "input_json_delta", partial_json: JSON.stringify({ command: "rm -rf build" }) } });
    expect(first.events[4]).toMatchObject({ delta: { stop_reason: "tool_use" } });
    const second = await post(s.url, [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "" }] }]);
    expect(second.events[2]).toMatchObject({ delta: { type: "text_delta", text: "Removed build." } });
    expect(second.events[4]).toMatchObject({ delta: { stop_reason: "end_turn" } });
    expect(s.requests.map((r) => r.answered)).toEqual(["0", "1"]);
  });

  it("answers side requests (no tools) with a short text, and HEAD / with 200", async () => {
    const s = await server();
    const side = await post(s.url, [{ role: "user", content: "#clean" }], []);
    expect(side.events[2]).toMatchObject({ delta: { text: "OK." } });
    expect((await fetch(s.url, { method: "HEAD" })).status).toBe(200);
  });

  it("drops a delayed reply when the client goes away", async () => {
    const s = await server();
    const body = JSON.stringify({ model: "m", stream: true, tools: TOOLS, messages: [{ role: "user", content: "wait #slow" }] });
    await new Promise<void>((resolve) => {
      const req = request(`${s.url}/v1/messages`, { method: "POST" }, () => undefined);
      req.on("error", () => undefined);
      req.on("close", () => resolve());
      req.end(body, () => setTimeout(() => req.destroy(), 100));
    });
    await expect.poll(() => s.requests[0]?.answered).toBe("aborted");
  });
});
