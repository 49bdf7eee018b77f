// The hook handler's runner: input text → heartbeat on the bus; never throws, reports what went wrong for the log.
import type { Envelope, HeartbeatPayload } from "../bus/envelope";
import { publishAsync } from "../bus/writer";
import { describeError } from "../errors";
import { type ParsedHookInput, parseHookInput, salvageHookInput } from "./input";
import type { HookLogRecord } from "./log";
import type { Agent } from "../prefs/schema";
import { mapAgentEvent } from "./agents/agent-map";
import { geminiContinuationFromTranscriptAsync } from "./agents/gemini-continuation";
import { geminiBriefAckFromTranscriptAsync } from "./agents/gemini-transcript";
import { needsTranscript } from "./map";
import { briefAckFromTranscriptAsync, TRANSCRIPT_TAIL_BYTES } from "./transcript";

/** Default for preferences' briefAckMaxChars, used when no preferences file exists. */
export const DEFAULT_BRIEF_ACK_MAX_CHARS = 280;

export interface HookRunOptions {
  /** The event as read from stdin. */
  text: string;
  /** The input was cut at the size cap: recover the top-level fields from its head. */
  truncated?: boolean;
  surface: string;
  /** Claude Code's pid, or how to find it from the event's session id (the HTTP door asks the session registry). */
  pid?: number | ((sessionId: string | undefined) => number | undefined) | undefined;
  /** Resolved only when there is a heartbeat to publish. */
  busDir: () => string;
  /** Resolved only for Stop (Gemini: AfterAgent), which reads the transcript. */
  briefAckMaxChars: () => number;
  transcriptTailBytes?: number;
  now?: Date;
  /** Told what the handler is doing, so a deadline that strikes can log where it was stuck. */
  onStage?: (stage: string) => void;
  /** The agent that sent the event (its own map); Claude Code when absent. */
  agent?: Agent;
}

export interface HookRunResult {
  /** The heartbeat published, if any. */
  envelope?: Envelope<HeartbeatPayload>;
  /** The event name, when the input had one. */
  event?: string;
  /** Claude Code's pid as given or found for the event's session. */
  pid?: number;
  sessionId?: string;
  /** Problems for the log; the handler's caller still exits 0. */
  problems: HookLogRecord[];
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Handles one hook event: parse, map, read the transcript for Stop, publish. Every file-system call is
 * asynchronous, so the caller's deadline timer can always fire and end the process.
 */
export async function runHook(options: HookRunOptions): Promise<HookRunResult> {
  const problems: HookLogRecord[] = [];
  const parsed: ParsedHookInput = options.truncated ? salvageHookInput(options.text) : parseHookInput(options.text);
  if (!parsed.ok) {
    const message = options.truncated ? "hook input over the size cap and no event name in its head" : `unusable hook input (${parsed.error})`;
    problems.push({ level: "error", message, surface: options.surface, code: parsed.error });
    return { problems };
  }
  const { input } = parsed;
  const result: HookRunResult = { event: input.hookEventName, problems };
  if (input.sessionId !== undefined) result.sessionId = input.sessionId;
  const context = { surface: options.surface, event: input.hookEventName, sessionId: input.sessionId };
  if (parsed.salvaged) problems.push({ level: "warn", message: "hook input over the size cap; used the fields in its head", ...context });

  const agent = options.agent ?? "claude-code";
  let briefAck: boolean | undefined;
  // Codex's Stop carries its last reply, and its rollout file is not Claude Code's transcript: judged from the reply
  // alone (its length). Gemini's reply text arrives garbled in AfterAgent's prompt_response: read from its chat file.
  if (agent === "codex" && input.hookEventName === "Stop" && input.lastAssistantMessage !== undefined) briefAck = input.lastAssistantMessage.trim().length <= options.briefAckMaxChars();
  const readsTranscript = agent === "gemini" ? input.hookEventName === "AfterAgent" : agent === "claude-code" && needsTranscript(input);
  if (readsTranscript) {
    if (input.transcriptPath === undefined) {
      problems.push({ level: "warn", message: `${input.hookEventName} event without transcript_path; briefAck left out`, ...context });
    } else {
      try {
        options.onStage?.(`reading the transcript ${input.transcriptPath}`);
        const maxBytes = options.transcriptTailBytes ?? TRANSCRIPT_TAIL_BYTES;
        briefAck =
          agent === "gemini"
            ? await geminiBriefAckFromTranscriptAsync(input.transcriptPath, options.briefAckMaxChars(), { maxBytes })
            : await briefAckFromTranscriptAsync(input.transcriptPath, options.briefAckMaxChars(), { maxBytes, finalMessage: input.lastAssistantMessage });
      } catch (error) {
        problems.push({ level: "warn", message: `cannot read the transcript: ${describeError(error)}; briefAck left out`, code: errorCode(error), ...context });
      }
    }
  }

  let hookContinuation: boolean | undefined;
  // Gemini fires BeforeAgent for a turn an AfterAgent hook made it go on with too: its chat file tells that one.
  if (agent === "gemini" && input.hookEventName === "BeforeAgent" && input.transcriptPath !== undefined && input.promptHead !== undefined) {
    try {
      options.onStage?.(`reading the chat file ${input.transcriptPath}`);
      hookContinuation = await geminiContinuationFromTranscriptAsync(input.transcriptPath, input.promptHead);
    } catch (error) {
      problems.push({ level: "warn", message: `cannot read the chat file: ${describeError(error)}; the turn counts as the person's`, code: errorCode(error), ...context });
    }
  }

  const pid = typeof options.pid === "function" ? options.pid(input.sessionId) : options.pid;
  if (pid !== undefined) result.pid = pid;
  const payload = mapAgentEvent(agent, input, { pid, briefAck, hookContinuation });
  if (payload === undefined) return result;
  try {
    const busDir = options.busDir();
    options.onStage?.(`publishing the heartbeat to ${busDir}`);
    result.envelope = await publishAsync(busDir, { topic: "heartbeat", payload, from: options.surface }, options.now);
  } catch (error) {
    problems.push({ level: "error", message: `cannot publish the heartbeat: ${describeError(error)}`, code: errorCode(error), ...context });
  }
  return result;
}
