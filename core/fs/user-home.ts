// The user's home directory: $HOME when set (tests and sandboxes move it), else the account's.
import { homedir } from "node:os";

export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir();
}
