/**
 * Name rules shared by the schema, the manifest checks and the renderer, and
 * the wording of "expected X, found Y" messages.
 */

/**
 * An RFC 1123 DNS label: lowercase letters, digits and `-`, starting and
 * ending with a letter or digit, at most 63 characters. Component ids,
 * namespaces, environments and Service names follow it.
 *
 * @public
 */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * An RFC 1123 DNS subdomain: DNS labels joined by dots, at most 253
 * characters. Most Kubernetes object names follow it.
 *
 * @public
 */
export const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes label value: empty, or at most 63 of `[A-Za-z0-9_.-]`. @public */
export const LABEL_VALUE =
  /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Whether a value is a DNS label. @public */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && DNS_LABEL.test(value);
}

/** A value as a message quotes it: short, on one line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') {
    const text = JSON.stringify(value);
    return text.length > 66 ? `${text.slice(0, 63)}..."` : text;
  }
  return String(value);
}

/**
 * zod error options whose messages name what was expected and what was
 * found: `setWeight must be a whole number from 0 to 100, not "20"`.
 */
export function expected(what: string, shape: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined
        ? `${what} is required`
        : `${what} must be ${shape}, not ${describeValue(issue.input)}`,
  };
}

/** Why a value is not a DNS label, for messages. */
export const DNS_LABEL_RULE =
  'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

/** Why a value is not a DNS subdomain, for messages. */
export const DNS_SUBDOMAIN_RULE =
  'lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';
