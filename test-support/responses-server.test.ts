// The scripted Responses API server on its own: SSE in the Responses API's order, scripted turns, follow-ups, side requests.
import { afterAll, describe, expect, it } from "vitest";
import { type ResponsesServer, startResponsesServer } from "./responses-server";

const servers: ResponsesServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function server(): Promise<ResponsesServer> {
  const s = await startResponsesServer([
    { match: "#write", call: { name: "exec_command", arguments: { cmd: "echo hi > x.txt", sandbox_permissions: "require_escalated" } } },
    { text: "Done." },
  ]);
  servers.push(s);
  return s;
}

const TOOLS = [{ type: "function", name: "exec_command", parameters: {} }];
const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });

async function post(baseUrl: string, body: Record<string, unknown>): Promise<{ type: string; [key: string]: unknown }[]> {
  const response = await fetch(`${baseUrl}/responses`, { method: "POST", body: JSON.stringify({ model: "m", stream: true, ...body }) });
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk, index) => {
      const [eventLine, dataLine] = chunk.split("\n");
      const data = JSON.parse((dataLine ?? "").replace(/^data: /, "")) as { type: string; sequence_number: number };
      expect(eventLine).toBe(`event: ${data.type}`);
      expect(data.sequence_number).toBe(index);
      return data;
    });
}

describe("startResponsesServer", () => {
  it("streams a function call for a matching prompt, then the follow-up text for its output, in the Responses API's order", async () => {
    const s = await server();
    const first = await post(s.baseUrl, { tools: TOOLS, input: [user("<environment_context/>"), user("please #write")] });
    expect(first.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const done = first[5] as unknown as { item: { type: string; name: string; arguments: string; call_id: string } };
    expect(done.item).toMatchObject({ type: "function_call", name: "exec_command" });
    expect(JSON.parse(done.item.arguments)).toEqual({ cmd: "echo hi > x.txt", sandbox_permissions: "require_escalated" });
    expect(first[6]).toMatchObject({ response: { status: "completed", output: [done.item] } });

    const followUp = [user("please #write"), { type: "function_call", call_id: done.item.call_id }, { type: "function_call_output", call_id: done.item.call_id, output: "Process exited with code 0" }];
    const second = await post(s.baseUrl, { tools: TOOLS, input: followUp });
    expect(second.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(second[7]).toMatchObject({ item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "Done." }] } });
    expect(s.requests.map((r) => [r.answered, r.lastUser, r.lastToolOutput])).toEqual([
      ["0", "please #write", undefined],
      ["1", "please #write", "Process exited with code 0"],
    ]);
  });

  it("answers a side request without tools (which quotes the prompt) by default, in JSON when a schema asks for it; other paths get 404", async () => {
    const s = await server();
    const title = await post(s.baseUrl, { tools: [], input: [user("a title for: please #write")], text: { format: { type: "json_schema", schema: { properties: { title: { type: "string" } } } } } });
    expect(title.find((e) => e.type === "response.output_text.done")).toMatchObject({ text: JSON.stringify({ title: "Scripted test" }) });
    const plain = await post(s.baseUrl, { input: [user("hello")] });
    expect(plain.find((e) => e.type === "response.output_text.done")).toMatchObject({ text: "OK." });
    const models = await fetch(`${s.baseUrl}/models`);
    expect(models.status).toBe(404);
    expect(s.requests.map((r) => r.answered)).toEqual(["default", "default", "not-responses"]);
  });
});
