// A NATS server's URL as the bridge takes it: nats:// or tls://, a host, and no credentials in it (any process can
// read a command line or a preferences file shown on screen; credentials live in a 0600 file of their own).

/** The URL normalised to `scheme://host[:port]`, or why it cannot be used (one line, naming what to write). */
export function checkNatsUrl(value: string): { ok: true; url: string } | { ok: false; problem: string; hint: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: `${JSON.stringify(value)} is not a URL`, hint: "use nats://HOST:PORT" };
  }
  if (!["nats:", "tls:"].includes(url.protocol)) return { ok: false, problem: `${JSON.stringify(value)} is not a nats:// or tls:// URL`, hint: "use nats://HOST:PORT" };
  if (url.username !== "" || url.password !== "") {
    return { ok: false, problem: "credentials do not belong in the URL (any process can read a command line)", hint: "put them in a file of yours with mode 0600 (--creds FILE, or bridge.credsFile in the preferences)" };
  }
  if (url.hostname === "") return { ok: false, problem: `${JSON.stringify(value)} names no host`, hint: "use nats://HOST:PORT" };
  return { ok: true, url: `${url.protocol}//${url.host}` };
}
