// Entry of the bundled `otto-tray` CLI (bin/otto-tray imports the build of this file).
import { describeError, ExitCode } from "../core/errors";
import type { CliIO } from "./context";
import { main } from "./program";

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
