// A Codex hook for tests: appends its event's stdin JSON (and who its parent is) as one line to FILE; prints REPLY if given.
// Usage (a hook's command): node codex-hook-recorder.mjs FILE [REPLY]. Reads at most 1 MiB of stdin.
import { appendFileSync, readFileSync } from "node:fs";

const LIMIT = 1024 * 1024;
const [file, reply] = process.argv.slice(2);
const chunks = [];
let size = 0;
process.stdin.on("data", (chunk) => {
  if (size < LIMIT) chunks.push(chunk.subarray(0, LIMIT - size));
  size += chunk.length;
});
process.stdin.on("end", () => {
  const text = Buffer.concat(chunks).toString("utf8");
  let stdin;
  try {
    stdin = JSON.parse(text);
  } catch {
    stdin = { unparsed: text };
  }
  let parent = "";
  try {
    parent = readFileSync(`/proc/${process.ppid}/comm`, "utf8").trim();
  } catch {
    // Not Linux: the parent's name is only a note.
  }
  appendFileSync(file, `${JSON.stringify({ at: Date.now(), ppid: process.ppid, parent, truncated: size > LIMIT, stdin })}\n`);
  if (reply !== undefined) process.stdout.write(reply);
});
