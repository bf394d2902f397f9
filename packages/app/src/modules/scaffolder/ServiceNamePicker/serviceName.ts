import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { DNS_LABEL_MAX_LENGTH, isDnsLabel } from '@gitops/descriptors-common';

/**
 * Why a name is not a DNS label, or undefined when it is one. `maxLength`
 * is a template's tighter limit (e.g. room for a `-canary` suffix).
 */
export function dnsLabelProblem(
  name: string,
  maxLength = DNS_LABEL_MAX_LENGTH,
): string | undefined {
  // The rule every template's `name` pattern states: the name becomes a
  // Kubernetes namespace, object names and a repository.
  const limit = Math.min(maxLength, DNS_LABEL_MAX_LENGTH);
  if (name.length > limit) {
    return `must be at most ${limit} characters, not ${name.length}`;
  }
  if (/[A-Z]/.test(name)) {
    return 'must be lowercase';
  }
  if (!isDnsLabel(name)) {
    return 'may contain only lowercase letters, digits and "-", and must start and end with a letter or digit';
  }
  return undefined;
}

/** The catalog call the check needs, so tests can hand in a stand-in. */
export type EntityLookup = Pick<CatalogApi, 'getEntityByRef'>;

/**
 * Everything wrong with a service name: not a DNS label, or already the name
 * of a component in the catalog (the new component would collide with it).
 * Returns undefined for a name that can be used.
 */
export async function serviceNameProblem(
  name: string,
  catalog: EntityLookup | undefined,
): Promise<string | undefined> {
  const problem = dnsLabelProblem(name);
  if (problem) return problem;
  // Without the catalog API nothing can be checked; the catalog itself
  // refuses the duplicate when the new repository is registered.
  if (!catalog) return undefined;
  const existing = await catalog.getEntityByRef({
    kind: 'Component',
    namespace: 'default',
    name,
  });
  return existing ? `a component named ${name} already exists` : undefined;
}
