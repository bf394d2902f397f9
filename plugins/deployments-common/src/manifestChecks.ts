import {
  DataPath,
  describeValue,
  DescriptorProblem,
  DNS_LABEL,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_RULE,
  isDnsLabel,
  LABEL_VALUE,
} from '@gitops/descriptors-common';
import { z } from 'zod';
import { ImageReference } from './image';
import {
  CONTAINER_LISTS,
  isRecord,
  KubernetesObject,
  podSpecPath,
  refusedKind,
} from './kubernetes';
import { expected } from './zodMessages';

/**
 * The checks every object of kubernetes/ passes, in the parser and again in
 * the renderer (which may be handed objects that never saw the parser).
 */

/** Locates a problem at a data path of one object. */
export type Locate = (path: DataPath, message: string) => DescriptorProblem;

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
export const manifestSchema = z.looseObject(
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
 * Every problem of one object: its envelope (apiVersion, kind, name,
 * labels), then, when the envelope holds, the checks of
 * {@link checkManifest}.
 */
export function checkManifestData(
  data: unknown,
  at: Locate,
): DescriptorProblem[] {
  const envelope = manifestSchema.safeParse(data);
  if (!envelope.success) {
    return envelope.error.issues.map(issue =>
      at(
        issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
        issue.message,
      ),
    );
  }
  return checkManifest(data as KubernetesObject, at);
}

/**
 * The checks beyond the envelope: allowed kind, Service name, images.
 */
export function checkManifest(
  object: KubernetesObject,
  at: Locate,
): DescriptorProblem[] {
  const problems: DescriptorProblem[] = [];
  const refused = refusedKind(object.apiVersion, object.kind);
  if (refused) problems.push(at(['kind'], refused));
  if (object.kind === 'Service' && !isDnsLabel(object.metadata.name)) {
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
