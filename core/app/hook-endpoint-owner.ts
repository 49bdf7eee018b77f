// Opens the HTTP hook endpoint for a service (the app or `serve`) when its port is free, and says who owns it when not.
import type { z } from "zod";
import type { hookEndpointViewSchema } from "../api";
import { describeError } from "../errors";
import { type HookEndpoint, type HookEndpointContext, HookPortTakenError, startHookEndpoint } from "../hooks/http/endpoint";
import { hookPortFrom } from "../hooks/http/hook-url";
import { probeHookEndpoint } from "../hooks/http/probe";
import { ensureHookToken } from "../hooks/http/token";
import { appendHookLog } from "../hooks/log";

export type HookEndpointView = z.infer<typeof hookEndpointViewSchema>;

export interface HookEndpointOwnerOptions {
  /** "app" or "serve": told to whoever asks the port who owns it. */
  owner: string;
  env: NodeJS.ProcessEnv;
  context: () => HookEndpointContext & { port: number };
  pidOfSession: (sessionId: string) => number | undefined;
  onHandled: () => void;
}

/** One service's hold on the endpoint: started with the service, closed with it, and viewed in its snapshot. */
export class HookEndpointOwner {
  private endpoint: HookEndpoint | undefined;
  private state: HookEndpointView = { port: 0, state: "off", detail: null };

  constructor(private readonly options: HookEndpointOwnerOptions) {}

  view(): HookEndpointView {
    return this.state;
  }

  /** Never throws: a port taken by another Otto Tray (or anything else) is a state shown, not a failure of the service. */
  async start(): Promise<HookEndpointView> {
    const context = this.options.context();
    const port = hookPortFrom(context.port, this.options.env);
    // Running on the port preferences name: nothing to do; on another (they changed): move.
    if (this.endpoint !== undefined && this.endpoint.port === port) return this.state;
    await this.stop();
    if (port === 0) return (this.state = { port, state: "off", detail: "OTTO_TRAY_HOOK_PORT is 0: this process opens no hook endpoint" });
    let token: string;
    try {
      token = ensureHookToken(context.homeDir);
    } catch (error) {
      return (this.state = { port, state: "failed", detail: `the endpoint's token cannot be used: ${describeError(error)}` });
    }
    try {
      this.endpoint = await startHookEndpoint({
        port,
        token,
        owner: this.options.owner,
        context: () => this.options.context(),
        pidOfSession: this.options.pidOfSession,
        onHandled: this.options.onHandled,
        log: (record) => {
          try {
            appendHookLog(this.options.context().homeDir, record);
          } catch {
            // The log is the only place left to say it; an endpoint keeps answering without it.
          }
        },
      });
      return (this.state = { port, state: "owned", detail: null });
    } catch (error) {
      if (!(error instanceof HookPortTakenError)) return (this.state = { port, state: "failed", detail: `cannot open 127.0.0.1:${port}: ${describeError(error)}` });
      const probe = await probeHookEndpoint(port);
      const detail = probe.answers ? `owned by otto-tray ${probe.owner} (pid ${probe.pid})` : `127.0.0.1:${port} is taken by another program (${probe.reason}); choose another hookHttpPort in preferences`;
      return (this.state = { port, state: probe.answers ? "elsewhere" : "failed", detail });
    }
  }

  async stop(): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    this.state = { port: this.state.port, state: "off", detail: null };
    await endpoint?.close();
  }
}
