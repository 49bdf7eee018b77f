// `npm start`'s build step: runs only the builds whose sources changed since they last succeeded (scripts/build-changed.mjs),
// side by side, so a second start with nothing changed goes straight to the launcher.
import { spawn } from "node:child_process";
import { BUILDS, fingerprint, staleReason, writeStamp } from "./build-changed.mjs";
import { PROJECT_ROOT } from "./electron-binary.mjs";
import { onParentGone } from "./parent-watch.mjs";

const stale = BUILDS.flatMap((build) => {
  const reason = staleReason(PROJECT_ROOT, build);
  return reason ? [{ build, reason }] : [];
});
if (stale.length === 0) process.exit(0);
console.error(`Otto Tray: building ${stale.map(({ build, reason }) => `${build.name} (${reason})`).join(", ")}…`);

const children = new Set();
const stopAll = (signal) => {
  for (const child of children) child.kill(signal);
};
// npm's shell may go without signalling us (see start.mjs): the builds stop with it, nothing runs on orphaned.
onParentGone(() => {
  stopAll("SIGTERM");
  process.exit(1);
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopAll(signal);
    process.exit(1);
  });
}

/** Runs one build; its stamp is written only when it succeeded, with the inputs as they were when it began. */
function run(build) {
  const inputs = fingerprint(PROJECT_ROOT, build.inputs);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, build.command, { cwd: PROJECT_ROOT, stdio: "inherit" });
    children.add(child);
    child.on("error", (error) => {
      console.error(`Otto Tray: could not run the ${build.name} build: ${error.message}`);
      resolve(false);
    });
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (code === 0) writeStamp(PROJECT_ROOT, build, inputs);
      else console.error(`Otto Tray: the ${build.name} build failed (${signal ?? `exit ${code}`}) — not starting.`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(stale.map(({ build }) => run(build)));
process.exit(results.every(Boolean) ? 0 : 1);
