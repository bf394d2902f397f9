import {
  DataPath,
  DESCRIPTOR_FILES,
  DescriptorProblem,
  DescriptorSource,
  formatDataPath,
  MANIFEST_MAX_DOCUMENTS,
  ParsedYamlDocument,
  parseDescriptor,
  parseYaml,
  sortProblems,
  validateDocument,
  ValidateResult,
} from '@gitops/descriptors-common';
import { z } from 'zod';
import { ImageReference } from './image';
import {
  compareStrings,
  CONTAINER_LISTS,
  isRecord,
  KubernetesObject,
  podSpecPath,
  refusedKind,
} from './kubernetes';
import {
  describeValue,
  DNS_LABEL,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_RULE,
  expected,
  LABEL_VALUE,
} from './names';
import { DeploymentInfo, deploymentInfoSchema } from './schema';

/**
 * One object of a file in kubernetes/, checked: it has an apiVersion, a
 * kind and a valid name, is of a namespaced kind Tugboat deploys, and its
 * container images are valid references.
 *
 * @public
 */
export interface ManifestObject {
  /** The file it was read from, as the caller named it. */
  readonly file: string;
  /** 0-based index of its YAML document in the file (empty documents count). */
  readonly document: number;
  /** The object as written. */
  readonly object: KubernetesObject;
}

/** @public */
export type ParseManifestsResult =
  | { ok: true; objects: ManifestObject[] }
  | { ok: false; problems: DescriptorProblem[] };

/**
 * Where parsed values came from, so the renderer can point at the YAML that
 * caused a problem. A WeakMap keeps the values plain data.
 */
const origins = new WeakMap<object, ParsedYamlDocument>();

/**
 * A problem at a data path of a parsed value: at its YAML position when the
 * value came from {@link parseDeploymentInfo} or {@link parseManifests}, at
 * the start of `file` otherwise.
 */
export function problemIn(
  value: object,
  file: string,
  path: DataPath,
  message: string,
): DescriptorProblem {
  const doc = origins.get(value);
  if (doc) return doc.problemAt(path, message);
  return { file, line: 1, column: 1, path: formatDataPath(path), message };
}

/** A problem in deployment-info.yaml. */
export function infoProblem(
  info: DeploymentInfo,
  path: DataPath,
  message: string,
): DescriptorProblem {
  return problemIn(info, DESCRIPTOR_FILES.deployment, path, message);
}

/** A problem in a manifest, `path` relative to its object. */
export function manifestProblem(
  manifest: ManifestObject,
  path: DataPath,
  message: string,
): DescriptorProblem {
  return problemIn(manifest, manifest.file, path, message);
}

/**
 * Parses and validates `deployment-info.yaml`, reporting every problem with
 * its position.
 *
 * @public
 */
export function parseDeploymentInfo(
  source: DescriptorSource,
  documents?: ReadonlyArray<ParsedYamlDocument>,
): ValidateResult<DeploymentInfo> {
  const result = parseDescriptor(source, deploymentInfoSchema, {
    documents,
    emptyMessage:
      'deployment-info.yaml is empty: it needs version: 1 and components',
  });
  if (result.ok && result.document) origins.set(result.value, result.document);
  return result;
}

function stringMap(what: string) {
  return z
    .record(
      z.string(),
      z.string({
        error: i =>
          `${what} values must be strings, not ${describeValue(
            i.input,
          )}: quote the value`,
      }),
      expected(`metadata.${what}s`, 'a map'),
    )
    .optional();
}

/** The envelope every manifest needs; the rest of the object is free. */
const manifestSchema = z.looseObject(
  {
    apiVersion: z
      .string(expected('apiVersion', 'a string'))
      .regex(
        /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/,
        {
          error: i =>
            `apiVersion ${describeValue(
              i.input,
            )} is not an API version such as v1 or apps/v1`,
        },
      ),
    kind: z
      .string(expected('kind', 'a string'))
      .regex(/^[A-Z][A-Za-z0-9]{0,62}$/, {
        error: i =>
          `kind ${describeValue(
            i.input,
          )} is not a Kubernetes kind such as Deployment`,
      }),
    metadata: z.looseObject(
      {
        name: z
          .string(expected('metadata.name', 'a string'))
          .regex(DNS_SUBDOMAIN, {
            error: i =>
              `metadata.name ${describeValue(
                i.input,
              )} is not a valid Kubernetes name (${DNS_SUBDOMAIN_RULE})`,
          }),
        namespace: z
          .string(expected('metadata.namespace', 'a string'))
          .regex(DNS_LABEL, {
            error: i =>
              `metadata.namespace ${describeValue(
                i.input,
              )} is not a DNS label (${DNS_LABEL_RULE})`,
          })
          .optional(),
        labels: stringMap('label').superRefine((labels, ctx) => {
          for (const [key, value] of Object.entries(labels ?? {})) {
            if (!LABEL_VALUE.test(value)) {
              ctx.addIssue({
                code: 'custom',
                path: [key],
                message: `label value ${describeValue(
                  value,
                )} is not valid: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
              });
            }
          }
        }),
        annotations: stringMap('annotation'),
      },
      expected('metadata', 'a map'),
    ),
  },
  expected('a manifest', 'a map (a Kubernetes object)'),
);

/**
 * The checks beyond the envelope: allowed kind, Service name, images. Shared
 * with the renderer, which re-checks what it is given.
 */
export function checkManifest(
  object: KubernetesObject,
  at: (path: DataPath, message: string) => DescriptorProblem,
): DescriptorProblem[] {
  const problems: DescriptorProblem[] = [];
  const refused = refusedKind(object.apiVersion, object.kind);
  if (refused) problems.push(at(['kind'], refused));
  if (object.kind === 'Service' && !DNS_LABEL.test(object.metadata.name)) {
    problems.push(
      at(
        ['metadata', 'name'],
        `Service name ${describeValue(
          object.metadata.name,
        )} is not a DNS label (${DNS_LABEL_RULE})`,
      ),
    );
  }
  const specPath = podSpecPath(object.kind);
  const spec = specPath?.reduce<unknown>(
    (node, key) => (isRecord(node) ? node[key] : undefined),
    object,
  );
  if (!specPath || !isRecord(spec)) return problems;
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      const path = [...specPath, list, index, 'image'];
      const image = isRecord(container) ? container.image : undefined;
      if (image === undefined && list !== 'ephemeralContainers') {
        problems.push(at(path, `container ${index} of ${list} has no image`));
      } else if (typeof image === 'string') {
        if (!ImageReference.parse(image)) {
          problems.push(
            at(
              path,
              `image ${describeValue(
                image,
              )} is not a valid image reference ([registry/]name[:tag][@digest], lowercase name)`,
            ),
          );
        }
      } else if (image !== undefined) {
        problems.push(
          at(path, `image must be a string, not ${describeValue(image)}`),
        );
      }
    });
  }
  return problems;
}

/**
 * Parses the files of kubernetes/: at most {@link MANIFEST_MAX_DOCUMENTS}
 * documents per file, empty documents skipped, every object checked (see
 * {@link ManifestObject}). Objects come out ordered by file, then position.
 *
 * @public
 */
export function parseManifests(
  sources: ReadonlyArray<DescriptorSource>,
  parsedFiles?: ReadonlyArray<{
    path: string;
    documents: ReadonlyArray<ParsedYamlDocument>;
  }>,
): ParseManifestsResult {
  // Files already parsed by the caller (parseDescriptorSet) are not parsed again.
  const known = new Map(parsedFiles?.map(f => [f.path, f.documents]));
  const problems: DescriptorProblem[] = [];
  const objects: ManifestObject[] = [];
  const sorted = [...sources].sort((a, b) => compareStrings(a.path, b.path));
  for (const source of sorted) {
    const documents = known.get(source.path);
    const parsed = documents
      ? { ok: true as const, documents: [...documents] }
      : parseYaml(source.path, source.text, {
          maxDocuments: MANIFEST_MAX_DOCUMENTS,
        });
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    parsed.documents.forEach((doc, document) => {
      // A document holding nothing (a trailing ---, only comments) is no object.
      if (doc.data === null || doc.data === undefined) return;
      const result = validateDocument(doc, manifestSchema);
      if (!result.ok) {
        problems.push(...result.problems);
        return;
      }
      const object = result.value as unknown as KubernetesObject;
      const found = checkManifest(object, (path, message) =>
        doc.problemAt(path, message),
      );
      if (found.length > 0) {
        problems.push(...found);
        return;
      }
      const manifest: ManifestObject = { file: source.path, document, object };
      origins.set(manifest, doc);
      objects.push(manifest);
    });
  }
  return problems.length > 0
    ? { ok: false, problems: sortProblems(problems) }
    : { ok: true, objects };
}
