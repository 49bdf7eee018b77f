// Keeps every test apart from the machine's own Claude Code: no default config directory, no inherited CLAUDE_CONFIG_DIR, no hook port.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLAUDE_DIR_ENV } from "../core/sessions/config-dirs";

// Never created: a missing sessions directory holds no sessions. Tests that run Claude Code set CLAUDE_CONFIG_DIR for it.
process.env[DEFAULT_CLAUDE_DIR_ENV] = join(tmpdir(), `otto-tray-tests-${process.pid}-no-claude`, "missing");
delete process.env.CLAUDE_CONFIG_DIR;

// Each test's service would compete for the person's fixed hook port (and receive their events): none opens it
// unless a test names a port of its own.
process.env.OTTO_TRAY_HOOK_PORT = "0";
