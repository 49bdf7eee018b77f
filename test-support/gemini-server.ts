// A scripted Gemini API server on 127.0.0.1 for running the real Gemini CLI offline (streamGenerateContent as server-sent events).
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startScriptedHttp } from "./scripted-http";

/** One scripted reply: text, or a function call (which the CLI answers with a functionResponse, served by the next turn). */
export interface GeminiTurn {
  /** Starts a conversation turn: chosen when the person's prompt contains this text. Follow-ups have none. */
  match?: string;
  text?: string;
  call?: { name: string; args: Record<string, unknown> };
  /** Wait this long before answering (the reply is dropped if the client goes away first). */
  delayMs?: number;
}

/** One request as the server saw it (for assertions, debugging and the recordings). */
export interface GeminiRequest {
  at: number;
  method: string;
  path: string;
  /** The model named in the path (`/v1beta/models/<model>:<method>`). */
  model: string;
  /** The scripted turn answered, by index, or "default" / "aborted" / "other". */
  answered: string;
  /** The last user content's text parts and function responses, joined (bounded). */
  lastUser: string;
  /** The request body as parsed (kept whole: the tests read the tool declarations from it). */
  body: Record<string, unknown>;
}

export interface GeminiServer {
  /** `http://127.0.0.1:PORT`, for GOOGLE_GEMINI_BASE_URL. */
  url: string;
  requests: GeminiRequest[];
  close(): Promise<void>;
}

type JsonRecord = Record<string, unknown>;

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** The last user content: its text, and whether it carries a function response (a tool's result). */
function lastUserContent(body: JsonRecord): { text: string; functionResponse: boolean } {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = asRecord(contents[i]);
    if (content?.role !== "user") continue;
    const parts = Array.isArray(content.parts) ? content.parts.map(asRecord) : [];
    const text = parts
      .map((p) => (typeof p?.text === "string" ? p.text : p?.functionResponse !== undefined ? JSON.stringify(p.functionResponse) : ""))
      .join("\n");
    return { text, functionResponse: parts.some((p) => p?.functionResponse !== undefined) };
  }
  return { text: "", functionResponse: false };
}

/** True when the request offers the model function declarations (the main agent loop does; side requests do not). */
function offersTools(body: JsonRecord): boolean {
  const tools = Array.isArray(body.tools) ? body.tools.map(asRecord) : [];
  return tools.some((t) => Array.isArray(t?.functionDeclarations) && t.functionDeclarations.length > 0);
}

/** The GenerateContentResponse chunks for one reply, shaped as the real API streams them. */
function responseChunks(model: string, turn: GeminiTurn): JsonRecord[] {
  const responseId = randomBytes(12).toString("base64url");
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 5, totalTokenCount: 105 };
  const chunk = (parts: JsonRecord[], finishReason?: string): JsonRecord => ({
    candidates: [{ content: { parts, role: "model" }, ...(finishReason === undefined ? {} : { finishReason }), index: 0 }],
    usageMetadata,
    modelVersion: model,
    responseId,
  });
  if (turn.call !== undefined) return [chunk([{ functionCall: { name: turn.call.name, args: turn.call.args } }], "STOP")];
  const text = turn.text ?? "OK.";
  // Two chunks, as the real stream splits text: the last one carries finishReason.
  const cut = Math.max(1, Math.floor(text.length / 2));
  return [chunk([{ text: text.slice(0, cut) }]), chunk([{ text: text.slice(cut) }], "STOP")];
}

function streamReply(res: ServerResponse, model: string, turn: GeminiTurn): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const chunk of responseChunks(model, turn)) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
  res.end();
}

/** A non-streamed reply (generateContent): one response with every part. */
function jsonReply(res: ServerResponse, model: string, turn: GeminiTurn): void {
  const chunks = responseChunks(model, turn);
  const last = chunks.at(-1) as JsonRecord;
  const parts = chunks.flatMap((c) => {
    const candidate = asRecord((c.candidates as unknown[])[0]);
    const content = asRecord(candidate?.content);
    return Array.isArray(content?.parts) ? content.parts : [];
  });
  const merged = turn.text === undefined ? parts : [{ text: turn.text }];
  const body = { ...last, candidates: [{ content: { parts: merged, role: "model" }, finishReason: "STOP", index: 0 }] };
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** `/v1beta/models/<model>:<method>?…` → its model and method; undefined for any other path. */
function parsePath(url: string): { model: string; method: string } | undefined {
  const match = /^\/v1beta\/models\/([^:/?]+):([A-Za-z]+)/.exec(url);
  return match === null ? undefined : { model: decodeURIComponent(match[1] as string), method: match[2] as string };
}

/**
 * Starts the server. A main-loop request (one offering tools) whose last user content contains a turn's `match`
 * gets that turn; one carrying a function response gets the turn after the one that asked for the call; anything
 * else (the CLI's side requests) gets a short text. countTokens is answered with a count; other paths with 404.
 */
export async function startGeminiServer(turns: readonly GeminiTurn[]): Promise<GeminiServer> {
  const requests: GeminiRequest[] = [];
  let next = -1; // the follow-up turn for the next function response

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = req.url ?? "";
    const target = parsePath(url);
    let body: JsonRecord = {};
    try {
      body = raw === "" ? {} : (asRecord(JSON.parse(raw)) ?? {});
    } catch {
      // Answered with the default below.
    }
    const last = lastUserContent(body);
    const seen: GeminiRequest = { at: Date.now(), method: req.method ?? "", path: url, model: target?.model ?? "", answered: "other", lastUser: last.text.slice(0, 500), body };
    requests.push(seen);
    if (req.method !== "POST" || target === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: `not scripted: ${req.method} ${url}`, status: "NOT_FOUND" } }));
      return;
    }
    if (target.method === "countTokens") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ totalTokens: 100 }));
      return;
    }
    if (target.method !== "streamGenerateContent" && target.method !== "generateContent") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: `not scripted: ${target.method}`, status: "NOT_FOUND" } }));
      return;
    }
    const mainLoop = offersTools(body);
    let index = mainLoop ? turns.findIndex((t) => t.match !== undefined && last.text.includes(t.match)) : -1;
    if (index < 0 && mainLoop && last.functionResponse && next >= 0 && next < turns.length && turns[next]?.match === undefined) index = next;
    seen.answered = index < 0 ? "default" : String(index);
    if (index >= 0) next = index + 1;
    const turn: GeminiTurn = index < 0 ? { text: "OK." } : (turns[index] as GeminiTurn);
    const reply = () => (target.method === "streamGenerateContent" ? streamReply(res, target.model, turn) : jsonReply(res, target.model, turn));
    http.answer(res, turn.delayMs, seen, () => reply());
  };

  const http = await startScriptedHttp(handle);
  return {
    url: `http://127.0.0.1:${http.port}`,
    requests,
    close: () => http.close(),
  };
}
