// `otto-tray detect`: placeholder until its module lands (being built in this session).
import { OttoError } from "../../core/errors";
import type { CliIO } from "../context";

export async function run(_argv: string[], _io: CliIO): Promise<number> {
  throw new OttoError("detect is not built yet");
}
