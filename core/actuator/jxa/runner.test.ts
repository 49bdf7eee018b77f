// The osascript runner takes bounded output: a script that prints without end is killed, not buffered for ever.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { MAX_OSASCRIPT_OUTPUT_CHARS, osascriptRunner } from "./runner";

describe("osascriptRunner", () => {
  it("kills a script that prints more than its bound, long before its deadline", async () => {
    // Stands in for an osascript that never stops printing.
    const program = join(makeTempDir(), "endless-osascript");
    writeFileSync(program, "#!/bin/sh\nexec yes\n", { mode: 0o755 });
    const runner = osascriptRunner({ platform: "darwin", program, timeoutMs: 600_000 });
    await expect(runner.run("list-ui", {})).rejects.toThrow(`printed more than ${MAX_OSASCRIPT_OUTPUT_CHARS} characters`);
  });
});
