// Auto mode: in the process that holds the bus's publisher lock, answers a prompt that stood unanswered while
// another surface worked, only if every gate allows it (switch, armed and unexpired, allowlist, cooldown, awake).
import { checkBusTrust } from "../bus/trust";
import type { Prefs } from "../prefs/schema";
import type { Snapshot } from "../snapshot";
import { lastAutoAction, rememberAutoAction } from "./auto-memory";
import { type AutoGateInput, autoGate } from "./gates";
import { pendingRequestsFor } from "./hook/pending-requests";
import { promptFromRequest } from "./hook/request-prompt";
import { decide } from "./policy/decide";
import { type ActuatorPolicy, actuatorPolicyOf, policyContextFor } from "./policy/context";
import { loadShellParser } from "./policy/shell-parser";
import { requestControl } from "./pty/control-socket";
import { recordDecision } from "./record";
import { escalates } from "./refusals";
import { chooseAnswer } from "./screen/answer";
import { hookTarget, planFingerprint, ptyTarget } from "./screen/plan-fingerprint";
import type { ScreenReading } from "./screen/types";
import { markConfirmed, readPlanResult } from "./state/plan-handoff";
import { savePlan } from "./state/plans";
import { enforceArmedPolicy } from "./state/armed-policy";
import { autoModeActive, readSwitch } from "./state/safety-switch";
import { liveSessionFor } from "./unstick";

interface Candidate {
  surface: string;
  backend: "pty" | "hook";
  reading: ScreenReading;
  promptStoodMs: number | undefined;
  projectDir: string;
  /** The backend's target (plan-fingerprint.ts): the plan's fingerprint covers it, the cwd and the whole prompt. */
  target: string;
  act: (plan: { fingerprint: string }) => Promise<boolean>;
}

export class AutoMode {
  private busy = false;
  /** The last verdict written down per surface and prompt, so a refusal is recorded once, not every tick. */
  private readonly noted = new Map<string, string>();

  private readonly policy: () => ActuatorPolicy;

  /**
   * `policy`: the allowlist and blocklist in force, read again at every look (the app and `detect` read the
   * preferences file, so a hand edit counts at once); by default the one `prefs` sets.
   */
  constructor(private readonly options: { homeDir: string; busDir: string; prefs: Prefs; policy?: () => ActuatorPolicy }) {
    this.policy = options.policy ?? (() => actuatorPolicyOf(options.prefs));
  }

  /** Considers every waiting surface once; does nothing unless auto mode is armed, with no wider policy than it was armed with. Never throws. */
  async consider(snapshot: Snapshot, isPublisher: boolean, now: number = Date.now()): Promise<void> {
    if (this.busy || !autoModeActive(readSwitch(this.options.homeDir), now)) return;
    this.busy = true;
    try {
      const policy = this.policy();
      if (enforceArmedPolicy(this.options, policy, new Date(now)) !== undefined) return;
      await loadShellParser();
      for (const surface of snapshot.surfaces.filter((s) => s.state === "waiting")) {
        const candidate = await this.look(surface.id, now);
        if (candidate !== undefined) await this.decideAndAct(candidate, snapshot, isPublisher, now, policy);
      }
    } catch {
      // Auto mode fails closed: an error is no action (the next tick looks again).
    } finally {
      this.busy = false;
    }
  }

  private async look(surface: string, now: number): Promise<Candidate | undefined> {
    const { homeDir } = this.options;
    const session = liveSessionFor(homeDir, surface);
    if (session !== undefined) {
      const seen = (await requestControl(session.socket, { op: "screen" }, 5_000)) as { reading: ScreenReading; promptSince: number | null; sessionId: string };
      return {
        surface,
        backend: "pty",
        reading: seen.reading,
        promptStoodMs: seen.promptSince === null ? undefined : now - seen.promptSince,
        projectDir: session.cwd,
        target: ptyTarget(seen.sessionId),
        act: async (prompt) => {
          const plan = savePlan(homeDir, { surface, backend: "pty", mode: "auto", target: { sessionId: seen.sessionId, socket: session.socket }, prompt, action: { answer: "Yes" } });
          const result = (await requestControl(session.socket, { op: "act", planId: plan.planId }, 20_000)) as { ok: boolean };
          return result.ok;
        },
      };
    }
    const request = pendingRequestsFor(homeDir, surface).at(-1);
    if (request === undefined) return undefined;
    return {
      surface,
      backend: "hook",
      reading: promptFromRequest(request),
      promptStoodMs: now - Date.parse(request.createdAt),
      projectDir: request.cwd,
      target: hookTarget(request.requestId),
      act: async (prompt) => {
        const plan = savePlan(homeDir, { surface, backend: "hook", mode: "auto", target: { requestId: request.requestId }, prompt, action: { answer: "Yes" } });
        markConfirmed(homeDir, plan.planId, request.requestId);
        const deadline = Date.now() + 5_000;
        for (;;) {
          const result = readPlanResult(homeDir, plan.planId) as { ok: boolean } | undefined;
          if (result !== undefined) return result.ok;
          if (Date.now() > deadline) return false;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    };
  }

  private async decideAndAct(c: Candidate, snapshot: Snapshot, isPublisher: boolean, now: number, policy: ActuatorPolicy): Promise<void> {
    const { homeDir, busDir, prefs } = this.options;
    const windowMs = prefs.quorumWindowSeconds * 1000;
    const answer = c.reading.kind === "permission" ? chooseAnswer(c.reading.options, "allow-once") : undefined;
    const policyContext = policyContextFor(policy, c.projectDir, "auto");
    const input: AutoGateInput = {
      now,
      switchState: readSwitch(homeDir),
      busTrusted: checkBusTrust(busDir).trusted,
      reading: c.reading,
      policy: c.reading.kind === "permission" && answer !== undefined ? decide(c.reading, answer, policyContext) : undefined,
      isPublisher,
      promptStoodMs: c.promptStoodMs,
      autoAfterMs: prefs.actuator.autoAfterSeconds * 1000,
      otherSurfaceBeatRecently: snapshot.surfaces.some((s) => s.id !== c.surface && s.lastHeartbeatAt !== null && now - Date.parse(s.lastHeartbeatAt) <= windowMs),
      allSilent: snapshot.allSilent,
      lastActionAt: lastAutoAction(homeDir, c.surface, now),
      cooldownMs: prefs.actuator.autoCooldownSeconds * 1000,
    };
    const verdict = autoGate(input);
    const fingerprint = planFingerprint(c.reading, { cwd: c.projectDir, target: c.target });
    const shown = c.reading.kind === "permission" ? { subject: c.reading.subject, question: c.reading.question } : null;
    if (!verdict.act) {
      // Waiting for the prompt to stand long enough is not news; a refusal that needs a person is, once per prompt.
      const key = `${fingerprint}:${verdict.refusal}`;
      if (verdict.refusal !== "not-stuck" && this.noted.get(c.surface) !== key) {
        this.noted.set(c.surface, key);
        recordDecision(this.options, { surface: c.surface, backend: c.backend, event: "auto", prompt: shown, decision: "refused", reason: `${verdict.refusal}: ${verdict.reason}` }, { escalate: escalates(verdict.refusal) || verdict.refusal === "not-allowlisted" });
      }
      return;
    }
    rememberAutoAction(homeDir, c.surface, now);
    const ok = await c.act({ fingerprint });
    recordDecision(this.options, { surface: c.surface, backend: c.backend, event: "auto", prompt: shown, decision: ok ? "done" : "failed", reason: ok ? "auto mode answered the single-use Yes" : "auto mode's answer was refused by the backend's own checks" }, { escalate: !ok });
  }
}
