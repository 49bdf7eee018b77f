// Calls back once when this process's parent goes (it is re-parented: npm's shell was killed, or the terminal closed).
import { clearInterval, setInterval } from "node:timers";

/**
 * Polls process.ppid every `intervalMs`: a change means the parent that started us is gone and we are an orphan nobody
 * will signal. The timer is unref'd (it never keeps the process alive). Returns a function that stops watching.
 */
export function onParentGone(callback, intervalMs = 250) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    callback(parent);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
