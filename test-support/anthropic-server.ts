// A scripted Anthropic Messages API server on 127.0.0.1 for running the real Claude Code offline (streaming SSE replies).
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startScriptedHttp } from "./scripted-http";

/** One scripted reply: text, or a tool call (which Claude Code answers with a tool_result, served by the next turn). */
export interface ScriptedTurn {
  /** Starts a conversation turn: chosen when the person's prompt contains this text. Follow-ups have none. */
  match?: string;
  text?: string;
  tool?: { name: string; input: Record<string, unknown> };
  /** Wait this long before answering (the reply is dropped if the client goes away first). */
  delayMs?: number;
}

/** One request as the server saw it (for assertions and debugging). */
export interface SeenRequest {
  at: number;
  path: string;
  /** The scripted turn answered, by index, or "default" / "aborted". */
  answered: string;
  /** The last user message's text blocks and tool results, joined. */
  lastUser: string;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT`, for ANTHROPIC_BASE_URL. */
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

type JsonRecord = Record<string, unknown>;

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** What the last user message holds: its text, and whether it carries a tool result. */
function lastUserMessage(body: JsonRecord): { text: string; toolResult: boolean } {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = asRecord(messages[i]);
    if (message?.role !== "user") continue;
    const content = message.content;
    if (typeof content === "string") return { text: content, toolResult: false };
    const blocks = Array.isArray(content) ? content.map(asRecord) : [];
    const text = blocks.map((b) => (b?.type === "text" && typeof b.text === "string" ? b.text : "")).join("\n");
    return { text, toolResult: blocks.some((b) => b?.type === "tool_result") };
  }
  return { text: "", toolResult: false };
}

function sse(res: ServerResponse, event: string, data: JsonRecord): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

let toolCounter = 0;

/** Streams one assistant message as the Messages API does: message_start, one content block, message_delta, message_stop. */
function streamReply(res: ServerResponse, model: string, turn: ScriptedTurn): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const id = `msg_fake${randomBytes(8).toString("hex")}`;
  const usage = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  sse(res, "message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage } });
  if (turn.tool !== undefined) {
    const toolId = `toolu_fake${(toolCounter++).toString(36).padStart(6, "0")}${randomBytes(3).toString("hex")}`;
    sse(res, "content_block_start", { index: 0, content_block: { type: "tool_use", id: toolId, name: turn.tool.name, input: {} } });
    sse(res, "content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: JSON.stringify(turn.tool.input) } });
  } else {
    sse(res, "content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    sse(res, "content_block_delta", { index: 0, delta: { type: "text_delta", text: turn.text ?? "OK." } });
  }
  sse(res, "content_block_stop", { index: 0 });
  sse(res, "message_delta", { delta: { stop_reason: turn.tool === undefined ? "end_turn" : "tool_use", stop_sequence: null }, usage: { output_tokens: 5 } });
  sse(res, "message_stop", {});
  res.end();
}

/**
 * Starts the server. A request whose last user message contains a turn's `match` gets that turn; a request
 * carrying a tool result gets the turn after the one that asked for the tool; anything else (Claude Code's
 * side requests) gets a short text. `HEAD /` (Claude Code's start-up probe) answers 200.
 */
export async function startScriptedServer(turns: readonly ScriptedTurn[]): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  let next = -1; // the follow-up turn for the next tool result

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method !== "POST" || !(req.url ?? "").startsWith("/v1/messages")) {
      res.writeHead(req.method === "HEAD" || req.url === "/" ? 200 : 404).end();
      return;
    }
    let body: JsonRecord = {};
    try {
      body = asRecord(JSON.parse(raw)) ?? {};
    } catch {
      // Answered with the default below.
    }
    const model = typeof body.model === "string" ? body.model : "claude-test";
    const last = lastUserMessage(body);
    const mainLoop = Array.isArray(body.tools) && body.tools.length > 0;
    let index = mainLoop ? turns.findIndex((t) => t.match !== undefined && last.text.includes(t.match)) : -1;
    if (index < 0 && mainLoop && last.toolResult && next >= 0 && next < turns.length && turns[next]?.match === undefined) index = next;
    const seen: SeenRequest = { at: Date.now(), path: req.url ?? "", answered: index < 0 ? "default" : String(index), lastUser: last.text.slice(0, 500) };
    requests.push(seen);
    if (index >= 0) next = index + 1;
    const turn: ScriptedTurn = index < 0 ? { text: "OK." } : (turns[index] as ScriptedTurn);
    http.answer(res, turn.delayMs, seen, () => streamReply(res, model, turn));
  };

  const http = await startScriptedHttp(handle);
  return {
    url: `http://127.0.0.1:${http.port}`,
    requests,
    close: () => http.close(),
  };
}
