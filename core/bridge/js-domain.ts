// A JetStream domain's name as the bridge takes it (`--hub-domain`, `--leaf-domain`, bridge.hubDomain): it becomes part
// of API subjects (`$JS.<domain>.API.>`), so no dots, wildcards or spaces.

export const JS_DOMAIN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Why `value` cannot name a JetStream domain (one line), or undefined when it can. */
export function jsDomainProblem(value: string): string | undefined {
  return JS_DOMAIN_PATTERN.test(value) ? undefined : `${JSON.stringify(value)} is not a JetStream domain name (letters, digits, - and _, at most 64)`;
}
