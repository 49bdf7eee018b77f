// The carry-out against a real pty (the stand-in agent in an in-process host): the whole prompt is read again right
// before a digit, so a prompt that takes the dialog's place after the gates ran gets no key.
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test-support/cli";
import { makeTempDir } from "../../../test-support/temp";
import { prefsSchema } from "../../prefs/schema";
import { readAudit } from "../state/audit-log";
import { turnSwitchOn } from "../state/safety-switch";
import { planUnstick } from "../unstick";
import { carryOutPlan } from "./carry-out";
import { PtyHost } from "./host";

const STAND_IN = join(REPO_ROOT, "test-support", "stand-in-agent.mjs");
const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : []);

describe("carryOutPlan (pty backend, real pty)", () => {
  it("re-reads the whole prompt right before the digit: a command that changed after the gates gets no key", async () => {
    const home = makeTempDir();
    const bus = makeTempDir();
    chmodSync(bus, 0o700);
    const keys = join(home, "keys.log");
    const answers = join(home, "answers.log");
    const env = { ...process.env, STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test", STANDIN_COMMAND_2: "rm -rf ../victim", STANDIN_KEYS: keys, STANDIN_LOG: answers };
    const host = new PtyHost({ homeDir: home, busDir: bus, surface: "otto-cli", command: process.execPath, args: [STAND_IN], cwd: home, env, policy: { projectDir: home, autoAllowlist: [] }, cols: 120, rows: 40 });
    await host.start();
    try {
      turnSwitchOn(home, true);
      const access = host.access();
      // The dialog is drawn once the stand-in has started.
      for (let i = 0; (await access.readScreen()).reading.kind !== "permission"; i++) if (i > 50) throw new Error("the stand-in never showed its dialog");
      const planned = await planUnstick({ homeDir: home, busDir: bus, prefs: prefsSchema.parse({}) }, "otto-cli");
      if (!planned.ok) throw new Error(`no plan: ${planned.reason}`);
      expect(planned.plan).toMatchObject({ backend: "pty", prompt: { subject: "npm test" }, action: { answer: "Yes", keys: "1" } });

      let reads = 0;
      const result = await carryOutPlan(
        {
          ...access,
          readScreen: async () => {
            const seen = await access.readScreen();
            // Just after the gates' read, another command takes the dialog's place (SIGUSR1 redraws the stand-in).
            if (++reads === 1) {
              process.kill(host.childPid, "SIGUSR1");
              for (let i = 0; ; i++) {
                const now = (await access.readScreen()).reading;
                if (now.kind === "permission" && now.subject === "rm -rf ../victim") break;
                if (i > 50) throw new Error("the stand-in never showed the new command");
              }
            }
            return seen;
          },
        },
        planned.plan.planId,
      );
      expect(result).toEqual({ ok: false, refusal: "prompt-changed", reason: "the prompt on screen changed before 1 (nothing was pressed); nothing more was pressed" });
      expect(lines(keys)).toEqual([]);
      expect(lines(answers)).toEqual([]);
      expect(readAudit(home).at(-1)).toMatchObject({ event: "act", decision: "refused", reason: `prompt-changed: ${result.ok ? "" : result.reason}` });
    } finally {
      host.kill();
      await host.stop(await host.exited);
    }
  });
});
