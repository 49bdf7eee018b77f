// Entry of the bundled `otto-tray` CLI (bin/otto-tray imports the build of this file).
import { describeError, ExitCode } from "../core/errors";
import type { CliIO } from "./context";
import { main } from "./program";

// A reader that stops early (`otto-tray pool status --json | head -c0`) closes the pipe: that is its choice, not
// our failure. Further output is dropped and the command ends with its own exit code, without a stack trace.
const CLOSED_PIPE = new Set(["EPIPE", "ERR_STREAM_DESTROYED"]);
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (CLOSED_PIPE.has(error.code ?? "")) return;
    process.exitCode = ExitCode.failure;
  });
}

const io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`otto-tray: ${describeError(error)}\n`);
    process.exitCode = ExitCode.failure;
  },
);
