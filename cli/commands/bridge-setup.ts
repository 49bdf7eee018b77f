// `otto-tray bridge setup`: with the admin's credentials, creates the buckets and the stream the machines' users may
// only use, then exits.
import { readBridgeCredentials } from "../../core/bridge/credentials";
import { setUpHub } from "../../core/bridge/hub-setup";
import { ExitCode } from "../../core/errors";
import { terminalSafe } from "../../core/text/terminal-safe";
import { noPositionals, parseCommandArgs, requireOption } from "../args";
import type { CliIO } from "../context";
import { parseJsDomain, parseNatsUrl } from "./bridge";

const USAGE = `usage: otto-tray bridge setup --url nats://HOST:PORT --creds ADMIN_FILE [--leaf-domain NAME]
  Creates the otto-tray-surfaces and otto-tray-episodes buckets and the OTTO_TRAY_ESCALATIONS stream where they are
  missing (what exists is left as it is), then exits. Needs the admin's credentials (admin.seed from
  otto-tray bridge keys): the machines' users may not create them.
  --leaf-domain NAME  also source the escalations stream from the OTTO_TRAY_LOCAL stream of the leaf node whose
                      JetStream domain is NAME (a laptop's quorums told while cut off reach the hub afterwards);
                      repeat it for each leaf
`;

export async function runSetup(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { url: { type: "string" }, creds: { type: "string" }, "leaf-domain": { type: "string", multiple: true } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "bridge setup");
  const url = parseNatsUrl(requireOption(values.url, "url", "nats://HOST:PORT"));
  const credentials = values.creds === undefined ? undefined : readBridgeCredentials(values.creds);
  const leafDomains = (values["leaf-domain"] ?? []).map((d) => parseJsDomain(d, "leaf-domain") as string);
  for (const line of await setUpHub(url, credentials, leafDomains)) io.stdout.write(`${terminalSafe(line)}\n`);
  return ExitCode.ok;
}
