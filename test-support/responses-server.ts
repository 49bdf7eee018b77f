// A scripted OpenAI Responses API server on 127.0.0.1 for running the real Codex CLI offline (POST /v1/responses, streamed SSE).
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startScriptedHttp } from "./scripted-http";

/** One scripted reply: text, or a function call (which Codex answers with a function_call_output, served by the next turn). */
export interface ResponsesTurn {
  /** Starts a conversation turn: chosen when the person's last message contains this text. Follow-ups have none. */
  match?: string;
  text?: string;
  /** A function call: `arguments` is sent as its JSON string, as the API does. */
  call?: { name: string; arguments: Record<string, unknown> };
  /** Wait this long before answering (the reply is dropped if the client goes away first). */
  delayMs?: number;
}

/** One request as the server saw it (for assertions, debugging and recording what Codex really sends). */
export interface ResponsesRequest {
  at: number;
  method: string;
  path: string;
  /** The scripted turn answered, by index, or "default" / "aborted" / "not-responses". */
  answered: string;
  /** The last user message's text (input_text parts joined). */
  lastUser: string;
  /** The output of the last function_call_output item, when the request carries one. */
  lastToolOutput?: string;
  /** The parsed request body (undefined for requests without a JSON body). */
  body?: Record<string, unknown>;
}

export interface ResponsesServer {
  /** `http://127.0.0.1:PORT/v1`, for a model provider's `base_url`. */
  baseUrl: string;
  requests: ResponsesRequest[];
  close(): Promise<void>;
}

type JsonRecord = Record<string, unknown>;

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map(asRecord)
    .map((part) => (typeof part?.text === "string" ? part.text : ""))
    .filter((text) => text !== "")
    .join("\n");
}

/** The last user message's text, and the last item when it is a function call's output (Codex sends it after running a tool). */
function lastInput(body: JsonRecord): { text: string; toolOutput: string | undefined } {
  const input = Array.isArray(body.input) ? body.input.map(asRecord) : [];
  let text = "";
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item?.role === "user" && (item.type === undefined || item.type === "message")) {
      text = textOf(item.content);
      break;
    }
  }
  const last = input.at(-1);
  const output = last?.type === "function_call_output" ? last.output : undefined;
  const toolOutput = output === undefined ? undefined : typeof output === "string" ? output : textOf(output) || JSON.stringify(output);
  return { text, toolOutput };
}

/** The reply to an unscripted request: a JSON object for one that asks for a JSON schema (Codex's thread title), else "OK.". */
function defaultText(body: JsonRecord | undefined): string {
  const format = asRecord(asRecord(body?.text)?.format);
  if (format?.type !== "json_schema") return "OK.";
  const properties = asRecord(asRecord(format.schema)?.properties) ?? {};
  return JSON.stringify(Object.fromEntries(Object.keys(properties).map((key) => [key, "Scripted test"])));
}

function id(prefix: string): string {
  return `${prefix}_fake${randomBytes(12).toString("hex")}`;
}

/** Streams one response as the Responses API does: created, in_progress, one output item (added, deltas, done), completed. */
function streamReply(res: ServerResponse, model: string, turn: ResponsesTurn): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  let sequence = 0;
  const send = (type: string, data: JsonRecord) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  const responseId = id("resp");
  const base = { id: responseId, object: "response", created_at: Math.floor(Date.now() / 1000), model, parallel_tool_calls: false, tool_choice: "auto", tools: [] };
  send("response.created", { response: { ...base, status: "in_progress", output: [], usage: null } });
  send("response.in_progress", { response: { ...base, status: "in_progress", output: [], usage: null } });
  let item: JsonRecord;
  if (turn.call !== undefined) {
    const itemId = id("fc");
    const args = JSON.stringify(turn.call.arguments);
    const callId = id("call");
    send("response.output_item.added", { output_index: 0, item: { id: itemId, type: "function_call", status: "in_progress", arguments: "", call_id: callId, name: turn.call.name } });
    send("response.function_call_arguments.delta", { item_id: itemId, output_index: 0, delta: args });
    send("response.function_call_arguments.done", { item_id: itemId, output_index: 0, arguments: args });
    item = { id: itemId, type: "function_call", status: "completed", arguments: args, call_id: callId, name: turn.call.name };
  } else {
    const itemId = id("msg");
    const text = turn.text ?? "OK.";
    const part = { type: "output_text", text, annotations: [] };
    send("response.output_item.added", { output_index: 0, item: { id: itemId, type: "message", status: "in_progress", role: "assistant", content: [] } });
    send("response.content_part.added", { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: "" } });
    send("response.output_text.delta", { item_id: itemId, output_index: 0, content_index: 0, delta: text });
    send("response.output_text.done", { item_id: itemId, output_index: 0, content_index: 0, text });
    send("response.content_part.done", { item_id: itemId, output_index: 0, content_index: 0, part });
    item = { id: itemId, type: "message", status: "completed", role: "assistant", content: [part] };
  }
  send("response.output_item.done", { output_index: 0, item });
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 };
  send("response.completed", { response: { ...base, status: "completed", output: [item], usage } });
  res.end();
}

/**
 * Starts the server. A main-loop POST to /v1/responses (one offering tools) whose last user message contains a turn's
 * `match` gets that turn; one ending with a function call's output gets the turn after the one that made the call;
 * anything else gets a short text (or JSON, when a schema asks for it). Other paths get 404 and are kept in
 * `requests` like the rest.
 */
export async function startResponsesServer(turns: readonly ResponsesTurn[]): Promise<ResponsesServer> {
  const requests: ResponsesRequest[] = [];
  let next = -1; // the follow-up turn for the next function call output

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = req.url ?? "";
    let body: JsonRecord | undefined;
    try {
      body = raw === "" ? undefined : asRecord(JSON.parse(raw));
    } catch {
      // Kept without a body.
    }
    const last = body === undefined ? { text: "", toolOutput: undefined } : lastInput(body);
    const seen: ResponsesRequest = { at: Date.now(), method: req.method ?? "", path, answered: "not-responses", lastUser: last.text.slice(0, 2000), lastToolOutput: last.toolOutput?.slice(0, 2000), body };
    requests.push(seen);
    if (req.method !== "POST" || !/^\/v1\/responses(\?|$)/.test(path)) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no such path here: ${path}`, type: "not_found" } }));
      return;
    }
    const model = typeof body?.model === "string" ? body.model : "gpt-test";
    // Codex's main loop offers tools; its side requests (a thread title, say) offer none and quote the prompt.
    const mainLoop = Array.isArray(body?.tools) && body.tools.length > 0;
    let index = mainLoop && last.toolOutput === undefined ? turns.findIndex((t) => t.match !== undefined && last.text.includes(t.match)) : -1;
    if (index < 0 && mainLoop && last.toolOutput !== undefined && next >= 0 && next < turns.length && turns[next]?.match === undefined) index = next;
    seen.answered = index < 0 ? "default" : String(index);
    if (index >= 0) next = index + 1;
    const turn: ResponsesTurn = index < 0 ? { text: defaultText(body) } : (turns[index] as ResponsesTurn);
    http.answer(res, turn.delayMs, seen, () => streamReply(res, model, turn));
  };

  const http = await startScriptedHttp(handle);
  return {
    baseUrl: `http://127.0.0.1:${http.port}/v1`,
    requests,
    close: () => http.close(),
  };
}
