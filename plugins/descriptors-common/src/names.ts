/**
 * Name rules shared by every generator: Kubernetes names and label values,
 * and one way of deriving a DNS label from free text.
 */

/**
 * An RFC 1123 DNS label: lowercase letters, digits and `-`, starting and
 * ending with a letter or digit, at most 63 characters. Component ids,
 * namespaces, environments, Service names and dashboard uids follow it.
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

/** Why a value is not a DNS label, for messages. @public */
export const DNS_LABEL_RULE =
  'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

/** Why a value is not a DNS subdomain, for messages. @public */
export const DNS_SUBDOMAIN_RULE =
  'lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';

/** Whether a value is a DNS label. @public */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && DNS_LABEL.test(value);
}

/** Longest DNS label. @public */
export const DNS_LABEL_MAX_LENGTH = 63;

/** Length of the hash {@link toDnsLabel} appends when it shortens. */
const HASH_LENGTH = 8;

/**
 * A DNS label made of free-text parts: lower-cased, every run of other
 * characters turned into one `-`, the parts joined with `-`. A result that
 * fits is returned as is; a longer one is cut and ends with `-` and a
 * stable 8-hex-digit hash of the whole input, so two long names that share
 * a prefix stay distinct. At most 63 characters.
 *
 * `toDnsLabel('example-app', 'Master build')` is `example-app-master-build`.
 *
 * @public
 */
export function toDnsLabel(...parts: string[]): string {
  return toBoundedDnsLabel(DNS_LABEL_MAX_LENGTH, ...parts);
}

/**
 * {@link toDnsLabel} for names with a tighter bound: a Grafana dashboard uid
 * (40), a Kubernetes `generateName` prefix (57, leaving room for the random
 * suffix).
 *
 * @public
 */
export function toBoundedDnsLabel(
  maxLength: number,
  ...parts: string[]
): string {
  if (!Number.isInteger(maxLength) || maxLength < HASH_LENGTH + 2) {
    throw new RangeError(
      `a DNS label bound must be a whole number of at least ${
        HASH_LENGTH + 2
      }, not ${maxLength}`,
    );
  }
  const bound = Math.min(maxLength, DNS_LABEL_MAX_LENGTH);
  const slug = parts
    .map(part => slugify(part))
    .filter(Boolean)
    .join('-');
  if (slug.length > 0 && slug.length <= bound) return slug;
  const hash = stableHash(parts.join('\u0000'));
  const head = slug.slice(0, bound - HASH_LENGTH - 1).replace(/-+$/, '');
  return head ? `${head}-${hash}` : hash;
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Accents come apart from their letters under NFKD; drop them.
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  );
}

/**
 * An 8-hex-digit FNV-1a hash of the UTF-8 bytes of `text`: stable across
 * machines and releases, isomorphic (no crypto module), not for security.
 *
 * @public
 */
export function stableHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/**
 * A value as a message quotes it: short, on one line.
 *
 * @public
 */
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
