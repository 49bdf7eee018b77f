// `pool rescued`: lists rescue branches (time, identity, sidetick, what they hold); `--delete NAME` removes exactly one.
import { deleteRescued, listRescued } from "../../../core/pool/index";
import { noPositionals } from "../../args";
import type { CliIO } from "../../context";
import { formatTable, writeJson } from "../../output";
import { parsePoolArgs, poolDefaults } from "./options";

/** `otto-tray pool rescued`. */
export async function runRescued(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { delete: { type: "string" } });
  if (values.help) {
    io.stdout.write("usage: otto-tray pool rescued [--repo DIR] [--identity ID] [--json]\n       otto-tray pool rescued [--repo DIR] --delete otto-rescue/<identity>/<time>-sidetick-N [--json]\n");
    return 0;
  }
  noPositionals(positionals, "pool rescued");
  const defaults = await poolDefaults(values, io);
  if (values.delete !== undefined) {
    const deleted = await deleteRescued({ ...defaults, branch: values.delete });
    if (values.json) writeJson(io.stdout, deleted);
    else io.stdout.write(`deleted ${deleted.branch} (was ${deleted.commit.slice(0, 12)})\n`);
    return 0;
  }
  const list = await listRescued({ ...defaults, identity: values.identity });
  if (values.json) {
    writeJson(io.stdout, list);
    return 0;
  }
  if (list.length === 0) {
    io.stdout.write("no rescue branches\n");
    return 0;
  }
  const rows = list.map((r) => [r.time ?? "-", r.identity ?? "-", r.sidetick ?? "-", String(r.files.length), String(r.uniqueCommits), r.subject.slice(0, 60), r.branch]);
  io.stdout.write(formatTable(["TIME", "IDENTITY", "SIDETICK", "FILES", "ONLY-HERE", "SUBJECT", "BRANCH"], rows));
  return 0;
}
