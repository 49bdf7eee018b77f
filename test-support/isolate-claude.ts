// Keeps the machine's own Claude Code sessions out of every test: the default config directory is an empty place, and no inherited CLAUDE_CONFIG_DIR.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLAUDE_DIR_ENV } from "../core/sessions/config-dirs";

// Never created: a missing sessions directory holds no sessions. Tests that run Claude Code set CLAUDE_CONFIG_DIR for it.
process.env[DEFAULT_CLAUDE_DIR_ENV] = join(tmpdir(), `otto-tray-tests-${process.pid}-no-claude`, "missing");
delete process.env.CLAUDE_CONFIG_DIR;
