// The app's one service: detector + pool + actuator composed behind the typed API; both adapters (HTTP, IPC) use it.
import { EventEmitter } from "node:events";
import { type ApiArgs, type ApiName, type ApiResult, type AppSnapshot } from "./api";
import { readAudit } from "./actuator/state/audit-log";
import { recordDecision } from "./actuator/record";
import { enforceArmedPolicy } from "./actuator/state/armed-policy";
import { armAutoMode, autoModeActive, disarmAutoMode, readSwitch, switchView, turnSwitchOff, turnSwitchOn } from "./actuator/state/safety-switch";
import { describeTemplate } from "./actuator/policy/argv-template-schema";
import type { ActuatorPolicy } from "./actuator/policy/context";
import { judgeText } from "./actuator/policy/judge-text";
import { policyFingerprint } from "./actuator/policy/policy-fingerprint";
import { cachedActuatorPolicy } from "./prefs/actuator-file";
import { confirmUnstick, planUnstick } from "./actuator/unstick";
import { type AppPaths, type PathOptions, resolveAppPaths } from "./app/paths";
import { AppFileViews } from "./app/file-views";
import { readHooksView } from "./app/hooks-view";
import { type AppHooksContext, appHookCommand, installHooksForApp, previewHooksInstall } from "./app/hooks-install";
import { locatePoolRoot, readPoolView } from "./app/pool-view";
import { applyPoolPrefs, readPrefsFile, writePrefsFile } from "./app/prefs-store";
import { processDiagnostics } from "./diagnostics/diagnostics";
import { describeError } from "./errors";
import { statKey } from "./fs/stat-keyed-cache";
import { doctor } from "./pool/doctor";
import { listRescued } from "./pool/rescued";
import type { Prefs } from "./prefs/schema";
import { prefsWarnings } from "./prefs/warnings";
import type { SessionRow } from "./sessions/session-rows";
import { registrySessionSource, type SessionSource } from "./sessions/session-source";
import { AppBridge } from "./app/app-bridge";
import { HookEndpointOwner } from "./app/hook-endpoint-owner";
import { DetectorService } from "./service";
import { pausedDetectorSnapshot } from "./app/paused-snapshot";

type DetectorSnapshot = AppSnapshot["detector"];

export interface AppServiceOptions extends PathOptions {
  env?: NodeJS.ProcessEnv;
  /** Publish escalations (default true: the first detector on the bus publishes, others read). */
  publishEscalations?: boolean;
  tickMs?: number;
  /**
   * What hooks installed from this service run, as shell text (already quoted): the app's stable link, or
   * `node …/bin/otto-tray` by absolute paths. Without it `hooksInstall` is refused (install from a shell instead).
   */
  hookCommand?: string | undefined;
  /** Who this service is, told to whoever asks the hook endpoint's port who owns it (default "app"). */
  owner?: string;
}

type Handlers = { [N in ApiName]: (args: ApiArgs<N>) => Promise<ApiResult<N>> };

/** Composes the detector, the pool and the actuator; emits `snapshot` on every change. */
export class AppService extends EventEmitter<{ snapshot: [AppSnapshot]; problem: [string] }> {
  private paths!: AppPaths;
  private prefs!: Prefs;
  private prefsProblem: string | null = null;
  /** Each key of the preferences file that fell back alone. */
  private prefsKeyProblems: string[] = [];
  /** The preferences file's identity when it was last read: a change (a hand edit) reloads everything. */
  private prefsFileKey = "";
  private prefsWatch: NodeJS.Timeout | undefined;
  private followingEdit = false;
  /** Reloads one at a time: a save and a hand edit seen at once must not restart the detector twice together. */
  private reloading: Promise<void> = Promise.resolve();
  private detector: DetectorService | undefined;
  private pool: { poolRoot: string | null; problem: string | null } = { poolRoot: null, problem: null };
  private lastKey: string | undefined;
  /** While paused: since when, and the detector's last picture (shown with every surface `unknown`). */
  private paused: { since: string; last: DetectorSnapshot } | undefined;
  /** The snapshot's file-backed parts; made again with the detector when preferences change. */
  private files: AppFileViews | undefined;
  private readonly env: NodeJS.ProcessEnv;
  /** The actuator policy, read from the preferences file (failing closed) again whenever the file changes. */
  private policyCache!: () => ActuatorPolicy;
  /** What was last written to the audit log about the policy's problems, so each is written once. */
  private lastPolicyNote = "";
  /** The HTTP hook endpoint, opened when its port is free; it stays open while detection is paused. */
  private readonly hookEndpoint: HookEndpointOwner;
  /** Claude Code's sessions, for the detector and for the endpoint's pid lookup (HTTP hooks carry no pid). */
  private claudeSessions: SessionSource | undefined;
  /** The NATS bridge to other machines (preferences' bridge section), made again with the detector. */
  private bridge: AppBridge | undefined;

  constructor(private readonly options: AppServiceOptions = {}) {
    super();
    this.env = options.env ?? process.env;
    this.load();
    this.hookEndpoint = new HookEndpointOwner({
      owner: options.owner ?? "app",
      env: this.env,
      context: () => ({ homeDir: this.paths.homeDir, busDir: this.paths.busDir, prefs: this.prefs, prefsProblem: this.prefsProblem ?? undefined, port: this.prefs.hookHttpPort }),
      pidOfSession: (sessionId) => this.pidOfSession(sessionId),
      // Evaluated at once: the heartbeat just written need not wait for the bus watcher.
      onHandled: () => this.detector?.evaluate(),
    });
  }

  private load(): void {
    const read = (file: string | undefined) => (file === undefined ? undefined : readPrefsFile(file).prefs.busDir);
    this.paths = resolveAppPaths(this.options, this.env, read);
    // Keyed before the read: a change during it is seen as a change at the next look.
    this.prefsFileKey = statKey(this.paths.prefsFile).key;
    const prefs = readPrefsFile(this.paths.prefsFile);
    this.prefs = prefs.prefs;
    this.prefsProblem = prefs.problem;
    this.prefsKeyProblems = prefs.problems;
    this.policyCache = cachedActuatorPolicy(this.paths.prefsFile);
  }

  /**
   * Claude Code's pid for an HTTP hook event (which carries none): from the sessions the detector last evaluated, and
   * only for a session it has not seen yet from the registry afresh, so an event costs no registry read.
   */
  private pidOfSession(sessionId: string): number | undefined {
    const live = (rows: readonly SessionRow[] | undefined) => rows?.find((row) => row.sessionId === sessionId && row.state !== "ended")?.pid;
    return live(this.detector?.snapshot().sessions) ?? live(this.claudeSessions?.sessions());
  }

  /** The actuator policy in force (a hand edit of the preferences file counts at once). */
  actuatorPolicy(): ActuatorPolicy {
    return this.policyCache();
  }

  /** Writes the policy's problems (unusable section, dropped entries) to the audit log once each, and enforces what auto mode was armed with. */
  private checkPolicy(): void {
    const policy = this.actuatorPolicy();
    const notes = [
      ...(policy.problem === null ? [] : [`the actuator preferences cannot be used: auto mode stays off and manual mode refuses until they are fixed (${policy.problem})`]),
      ...(policy.dropped.length === 0 ? [] : [`auto allowlist entries dropped: ${policy.dropped.map((d) => `"${d.entry}" (${d.why})`).join("; ")}`]),
    ].join("\n");
    if (notes !== "" && notes !== this.lastPolicyNote) for (const note of notes.split("\n")) this.audit("policy", note);
    this.lastPolicyNote = notes;
    enforceArmedPolicy(this.record, policy);
  }

  /** The pool's root and the snapshot's file-backed parts, for the current preferences. */
  private async prepareViews(): Promise<void> {
    this.pool = await locatePoolRoot(this.prefs);
    const hooks = this.hooksContext;
    this.files = new AppFileViews(this.paths.homeDir, this.prefs, this.env, this.pool, Date.now, (surface, agent) => appHookCommand(hooks, surface, agent));
  }

  /** Follows hand edits of the preferences file: a few stats a tick; a change reloads as a save from the form does. */
  private watchPrefsFile(): void {
    this.prefsWatch ??= setInterval(() => {
      // One reload at a time: the key stays different until it has read the file.
      if (this.followingEdit || statKey(this.paths.prefsFile).key === this.prefsFileKey) return;
      this.followingEdit = true;
      void this.followHandEdit()
        .catch((error: unknown) => this.emit("problem", `the preferences file changed, but reloading it failed: ${describeError(error)}`))
        .finally(() => (this.followingEdit = false));
    }, this.options.tickMs ?? 1000);
    this.prefsWatch.unref();
  }

  /** A hand edit applies as a save from the form does: live, and the pool resized (leased and dirty sideticks kept). */
  private async followHandEdit(): Promise<void> {
    const previous = this.prefs;
    await this.reload();
    const resized = await applyPoolPrefs(previous, this.prefs);
    for (const resize of resized) {
      if (resize.error !== null) this.emit("problem", `the preferences file changed the pool, but ${resize.identity}'s could not be resized: ${resize.error}`);
      for (const kept of resize.kept) this.emit("problem", `pool ${resize.identity}: kept ${kept.path} (${kept.reason})`);
    }
    if (resized.length > 0) this.publish();
  }

  async start(): Promise<void> {
    // The endpoint first: the detector's first snapshot then already says who owns it.
    const endpoint = await this.hookEndpoint.start();
    if (endpoint.state === "failed" && endpoint.detail !== null) this.emit("problem", `hook endpoint: ${endpoint.detail}`);
    await this.startDetector();
  }

  /** Stops detection and closes the hook endpoint (the service is done). */
  async stop(): Promise<void> {
    await this.stopDetector();
    await this.hookEndpoint.stop();
  }

  private async startDetector(): Promise<void> {
    this.watchPrefsFile();
    await this.prepareViews();
    this.checkPolicy();
    const detector = new DetectorService({
      busDir: this.paths.busDir,
      prefs: this.prefs,
      homeDir: this.paths.homeDir,
      policy: () => this.actuatorPolicy(),
      publishEscalations: this.options.publishEscalations ?? true,
      tickMs: this.options.tickMs ?? 1000,
      // Claude Code's sessions of the app's environment (its HOME and $CLAUDE_CONFIG_DIR) and preferences.
      claudeSessions: (this.claudeSessions = registrySessionSource(this.env, this.prefs)),
      // While a bridge links this machine to others, the quorum is told once across machines, not here.
      quorumScope: () => bridge.quorumScope(),
    });
    const bridge = new AppBridge({
      homeDir: this.paths.homeDir,
      busDir: this.paths.busDir,
      prefs: this.prefs,
      env: this.env,
      // Only while running: a bridge that stops after the detector (the service stopping) has no one to tell.
      onChange: () => {
        if (this.detector !== undefined) this.publish();
      },
      log: (line) => this.emit("problem", `bridge: ${line}`),
    });
    detector.on("snapshot", () => this.publish());
    detector.on("problem", (message) => this.emit("problem", message));
    this.detector = detector;
    this.bridge = bridge;
    await detector.start();
    await bridge.start(detector);
    this.publish();
  }

  private async stopDetector(): Promise<void> {
    clearInterval(this.prefsWatch);
    this.prefsWatch = undefined;
    const detector = this.detector;
    const bridge = this.bridge;
    this.detector = undefined;
    this.bridge = undefined;
    await bridge?.stop();
    await detector?.stop();
  }

  /**
   * Pauses detection (the menu's "Pause detection"): the detector stops reading the bus and publishing, its
   * publisher lock is freed for another detector, and every surface shows `unknown` until it resumes — a paused
   * app must not show old states as if they were current.
   */
  async setPaused(paused: boolean): Promise<{ pausedSince: string | null }> {
    if (paused && this.paused === undefined && this.detector !== undefined) {
      const last = this.detector.snapshot();
      this.paused = { since: new Date().toISOString(), last };
      await this.stopDetector();
      // Paused, the service still follows hand edits of the preferences (shown; applied when it resumes).
      this.watchPrefsFile();
      this.auditSafely("detection-paused", "detection was paused in the app");
      this.publish();
    } else if (!paused && this.paused !== undefined) {
      this.paused = undefined;
      await this.startDetector();
      this.auditSafely("detection-resumed", "detection was resumed in the app");
    }
    return { pausedSince: this.paused?.since ?? null };
  }

  /** The platform reported a wake (Electron's powerMonitor): start the wake grace at once, not at the next clock check. */
  noteWake(): void {
    const detector = this.detector;
    if (detector === undefined) return;
    detector.engine.wake.noteWake(Date.now());
    detector.evaluate();
  }

  /** The current snapshot (built from the detector's last evaluation plus the state directory's files). */
  snapshot(): AppSnapshot {
    const detector = this.detector?.snapshot() ?? (this.paused ? pausedDetectorSnapshot(this.paused.last) : undefined);
    const files = this.files;
    if (detector === undefined || files === undefined) throw new Error("the service is not started");
    return {
      detector,
      actuator: files.actuator(),
      paths: this.paths,
      pool: files.poolView(),
      hooks: files.hooks(),
      hookEndpoint: this.hookEndpoint.view(),
      audit: files.audit(),
      publisher: this.detector?.isPublisher ?? false,
      pausedSince: this.paused?.since ?? null,
      policy: { problem: this.actuatorPolicy().problem, dropped: this.actuatorPolicy().dropped, allowlist: this.actuatorPolicy().templates.map(describeTemplate) },
      prefsProblems: [...(this.prefsProblem === null ? [] : [this.prefsProblem]), ...this.prefsKeyProblems],
      bridge: this.bridge?.view() ?? { state: "off", host: null, url: null, link: null, since: null, problem: null, publisher: null, hosts: [] },
    };
  }

  /** Emits a snapshot when it differs from the last one sent (ticks that change nothing send nothing). */
  private publish(): void {
    const next = this.snapshot();
    // The evaluation time changes on every tick; it alone is not a change worth pushing.
    const key = JSON.stringify({ ...next, detector: { ...next.detector, generatedAt: "" } });
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.emit("snapshot", next);
  }

  private get record() {
    return { homeDir: this.paths.homeDir, busDir: this.paths.busDir };
  }

  private audit(event: string, reason: string): void {
    recordDecision(this.record, { surface: null, backend: null, event, prompt: null, decision: "info", reason });
  }

  /** For what is already done in the safe direction (off, disarm, pause): an audit log that cannot be written is a problem shown, not a failure. */
  private auditSafely(event: string, reason: string): void {
    try {
      this.audit(event, reason);
    } catch (error) {
      this.emit("problem", `${event} was done, but the audit log could not record it: ${describeError(error)}`);
    }
  }

  private get hooksContext(): AppHooksContext {
    return { prefs: this.prefs, paths: this.paths, env: this.env, executable: this.options.hookCommand };
  }

  /** What installing `surface`'s hooks would write where, for the app's native confirmation; or why it will not. */
  hooksInstallPreview(surface: string): ReturnType<typeof previewHooksInstall> {
    return previewHooksInstall(this.hooksContext, surface);
  }

  private switchView() {
    return switchView(readSwitch(this.paths.homeDir), Date.now());
  }

  /** Every API call, typed from core/api.ts; arguments are validated by the adapter before they get here. */
  readonly handlers: Handlers = {
    snapshot: async () => this.snapshot(),
    paths: async () => this.paths,
    actuatorStatus: async () => this.switchView(),
    actuatorOn: async () => {
      turnSwitchOn(this.paths.homeDir, true);
      this.audit("switch-on", "the safety switch was turned on (confirmed in the app)");
      return this.changed(this.switchView());
    },
    actuatorOff: async () => {
      // Never throws: off does what it can in any state of the directory (core/actuator/state/safety-switch.ts).
      const state = turnSwitchOff(this.paths.homeDir);
      this.auditSafely("switch-off", state.on ? `turning the safety switch off in the app failed: ${state.problem ?? "unknown"}` : "the safety switch was turned off in the app");
      if (state.on) throw new Error(state.problem ?? "the safety switch could not be turned off");
      return this.changed({ ...this.switchView(), problem: state.problem });
    },
    autoOn: async ({ hours }) => {
      const policy = this.actuatorPolicy();
      if (policy.problem !== null) throw new Error(`auto mode cannot be armed: the actuator preferences cannot be used (${policy.problem})`);
      armAutoMode(this.paths.homeDir, hours, true, policyFingerprint(policy));
      this.audit("auto-on", `auto mode armed for ${hours} h (confirmed in the app)`);
      return this.changed(this.switchView());
    },
    autoOff: async () => {
      const state = disarmAutoMode(this.paths.homeDir);
      const stillArmed = autoModeActive(state, Date.now());
      this.auditSafely("auto-off", stillArmed ? `turning auto mode off in the app failed: ${state.problem ?? "unknown"}` : "auto mode was turned off in the app");
      if (stillArmed) throw new Error(state.problem ?? "auto mode could not be turned off");
      return this.changed({ ...this.switchView(), problem: state.problem });
    },
    unstickPlan: async ({ surface }) => this.changed(await planUnstick({ ...this.record, prefs: this.prefs, policy: this.actuatorPolicy() }, surface)),
    unstickConfirm: async ({ planId }) => this.changed(await confirmUnstick({ ...this.record, prefs: this.prefs, policy: this.actuatorPolicy() }, planId)),
    audit: async ({ limit }) => readAudit(this.paths.homeDir, limit ?? 20).map((e) => ({ at: e.at, surface: e.surface, backend: e.backend, event: e.event, decision: e.decision, reason: e.reason })),
    poolStatus: async () => readPoolView(this.pool.poolRoot, this.pool.problem, this.prefs),
    poolRescued: async () => {
      if (this.prefs.repo === undefined) return { problem: "no repository in the preferences", branches: [] };
      return listRescued({ repo: this.prefs.repo, poolRoot: this.prefs.poolRoot }).then(
        (branches) => ({ problem: null, branches }),
        (error: unknown) => ({ problem: describeError(error), branches: [] }),
      );
    },
    doctor: async () => {
      if (this.prefs.repo === undefined) return { problem: "no repository in the preferences", problems: [] };
      return doctor({ repo: this.prefs.repo, poolRoot: this.prefs.poolRoot, identities: this.prefs.identities, defaultSize: this.prefs.poolSize, fix: false }).then(
        (r) => ({ problem: null, problems: r.problems }),
        (error: unknown) => ({ problem: describeError(error), problems: [] }),
      );
    },
    hooksStatus: async () => {
      const hooks = this.hooksContext;
      return readHooksView(this.prefs, this.env, (surface, agent) => appHookCommand(hooks, surface, agent));
    },
    hooksInstall: async ({ surface }) => {
      const result = await installHooksForApp(this.hooksContext, surface);
      this.files?.hooksChanged();
      return this.changed(result);
    },
    prefsGet: async () => ({ file: this.paths.prefsFile, prefs: this.prefs as Record<string, unknown>, problem: this.prefsProblem, problems: this.prefsKeyProblems }),
    setPaused: async ({ paused }) => this.setPaused(paused),
    // Surfaces heard from: those whose beats the detector reads now (a paused app has none, so each new id is warned of).
    prefsCheck: async ({ prefs }) => ({ warnings: await prefsWarnings(prefs, { heardFrom: this.detector?.reader.heartbeats.surfaces() ?? [] }) }),
    diagnostics: async () => processDiagnostics(),
    actuatorJudge: async ({ text, auto, cwd }) => judgeText(text, { policy: this.actuatorPolicy(), mode: auto === true ? "auto" : "manual", projectDir: cwd ?? this.prefs.repo ?? null }),
    prefsSet: async ({ prefs, base }) => {
      const written = writePrefsFile(this.paths.prefsFile, base, prefs);
      if (!written.ok) return written;
      const previous = this.prefs;
      const pool = await applyPoolPrefs(previous, written.prefs);
      // reload() checks the new policy against the one auto mode was armed with (a wider one disarms it).
      await this.reload();
      return { ok: true as const, prefs: written.prefs as Record<string, unknown>, pool };
    },
  };

  /** Preferences changed (saved, or edited by hand): re-resolve paths and restart the detector with them (applied live). */
  private reload(): Promise<void> {
    this.reloading = this.reloading.catch(() => undefined).then(() => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<void> {
    await this.stopDetector();
    this.load();
    this.lastKey = undefined;
    // The endpoint follows a changed port at once, paused or not.
    await this.hookEndpoint.start();
    // A paused app stays paused with the new preferences; resuming starts the detector with them.
    if (this.paused === undefined) await this.startDetector();
    else {
      this.watchPrefsFile();
      await this.prepareViews();
      this.checkPolicy();
      this.publish();
    }
  }

  private changed<T>(value: T): T {
    if (this.detector !== undefined) this.publish();
    return value;
  }
}
