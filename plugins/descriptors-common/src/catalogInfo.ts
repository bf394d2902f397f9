import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { parseServiceTier, TIER_ANNOTATIONS } from './catalogContext';
import type { ParsedYamlDocument } from './parseYaml';
import type { DataPath, DescriptorProblem } from './problems';

const validators = makeValidator();

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks the entities of catalog-info.yaml for what the suite reads from
 * them, with positions: names Backstage accepts, string annotations (the
 * seed's unquoted tier is a number), a tier from 1 to 4, and entity refs
 * for a Component's owner, system and dependencies. The catalog itself
 * validates the rest when it ingests the file.
 *
 * @public
 */
export function validateCatalogInfo(
  documents: ReadonlyArray<ParsedYamlDocument>,
): DescriptorProblem[] {
  const problems: DescriptorProblem[] = [];
  for (const doc of documents) {
    const at = (path: DataPath, message: string, key = false) =>
      problems.push(
        doc.problemAt(path, message, key ? { at: 'key' } : undefined),
      );
    const entity = doc.data;
    if (entity === null || entity === undefined) continue;
    if (!isRecord(entity)) {
      at([], 'an entity must be a map with apiVersion, kind and metadata');
      continue;
    }
    for (const key of ['apiVersion', 'kind'] as const) {
      if (typeof entity[key] !== 'string' || !entity[key]) {
        at([key], `"${key}" must be a non-empty string`);
      }
    }
    const metadata = entity.metadata;
    if (!isRecord(metadata)) {
      at(['metadata'], '"metadata" must be a map with a name');
      continue;
    }
    if (!validators.isValidEntityName(metadata.name)) {
      at(
        ['metadata', 'name'],
        `${JSON.stringify(
          metadata.name,
        )} is not a valid entity name: letters, digits, "-", "_" and ".", at most 63 characters, starting and ending with a letter or digit`,
      );
    }
    if (metadata.annotations !== undefined) {
      if (!isRecord(metadata.annotations)) {
        at(
          ['metadata', 'annotations'],
          '"annotations" must be a map of strings',
        );
      } else {
        for (const [key, value] of Object.entries(metadata.annotations)) {
          if (typeof value !== 'string') {
            at(
              ['metadata', 'annotations', key],
              `annotation values must be strings; quote it: '${String(value)}'`,
            );
          } else if (
            (TIER_ANNOTATIONS as readonly string[]).includes(key) &&
            !parseServiceTier(value)
          ) {
            at(
              ['metadata', 'annotations', key],
              `service tier must be 1, 2, 3 or 4, not ${JSON.stringify(value)}`,
            );
          }
        }
      }
    }
    if (entity.kind === 'Component') {
      const spec = isRecord(entity.spec) ? entity.spec : undefined;
      if (!spec) {
        at(['spec'], 'a Component needs a spec with type, lifecycle and owner');
        continue;
      }
      const ref = (path: DataPath, value: unknown, defaultKind: string) => {
        try {
          const parsed = parseEntityRef(String(value), {
            defaultKind,
            defaultNamespace: 'default',
          });
          if (
            typeof value !== 'string' ||
            !validators.isValidEntityName(parsed.name)
          )
            throw new Error();
        } catch {
          at(
            path,
            `${JSON.stringify(
              value,
            )} is not an entity reference such as "team-a" or "group:default/team-a"`,
          );
        }
      };
      if (spec.owner === undefined) at(['spec'], 'a Component needs "owner"');
      else ref(['spec', 'owner'], spec.owner, 'group');
      if (spec.system !== undefined)
        ref(['spec', 'system'], spec.system, 'system');
      for (const field of [
        'dependsOn',
        'apiConsumedBy',
        'providesApis',
        'consumesApis',
      ]) {
        const list = spec[field];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          at(['spec', field], `"${field}" must be a list of entity references`);
          continue;
        }
        list.forEach((value, i) => ref(['spec', field, i], value, 'component'));
      }
    }
  }
  return problems;
}
