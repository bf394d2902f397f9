import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  DescriptorProblem,
  DescriptorSetSources,
  DESCRIPTOR_FILES,
  DescriptorKind,
  GITOPS_ANNOTATIONS,
  infrastructureResource,
  parseDescriptorSet,
  sortedStrings,
  sortProblems,
} from '@gitops/descriptors-common';
import { validateDescriptors } from '@gitops/descriptors-node';
import { BUILD_TEMPLATES } from '@gitops/plugin-pipelines-common';

/** A relation the module emits, in catalog terms. */
export interface RelationSpec {
  source: { kind: string; namespace: string; name: string };
  type: string;
  target: { kind: string; namespace: string; name: string };
}

/**
 * What a component's descriptors mean for the catalog: annotations on the
 * component, Resources for its infrastructure, extra relations, and every
 * problem found.
 */
export interface DescriptorAnalysis {
  annotations: Record<string, string>;
  resources: Entity[];
  relations: RelationSpec[];
  problems: DescriptorProblem[];
}

/**
 * Pure analysis of a component and the files read beside its
 * catalog-info.yaml. When there is any problem, nothing but the problems is
 * returned, so the catalog keeps the last good data.
 */
export function analyzeDescriptors(
  component: Entity,
  sources: DescriptorSetSources,
  readProblems: ReadonlyArray<DescriptorProblem> = [],
): DescriptorAnalysis {
  const parsed = parseDescriptorSet(sources);
  const validation = validateDescriptors(sources, parsed);
  const problems = sortProblems([...readProblems, ...validation.problems]);
  if (problems.length > 0) {
    return { annotations: {}, resources: [], relations: [], problems };
  }

  const annotations: Record<string, string> = {};
  const present = sortedStrings(
    (Object.keys(sources.descriptors) as DescriptorKind[])
      .filter(kind => kind !== 'catalog')
      .map(kind => DESCRIPTOR_FILES[kind]),
  );
  if (present.length)
    annotations[GITOPS_ANNOTATIONS.descriptors] = present.join(',');

  const { build, deployment, monitoring } = validation;
  if (build) {
    const type = build.template?.type;
    annotations[GITOPS_ANNOTATIONS.buildTemplate] =
      type && type in BUILD_TEMPLATES ? type : 'custom';
  }
  if (deployment) {
    const backends = new Set(
      deployment.components.flatMap(c =>
        c.tugboat.backends.map(b => b.backend),
      ),
    );
    annotations[GITOPS_ANNOTATIONS.deployBackends] =
      sortedStrings(backends).join(',');
    annotations[GITOPS_ANNOTATIONS.automatedCanary] = String(
      deployment.components.some(c => c.tugboat.automatedCanary !== undefined),
    );
  }
  if (monitoring) {
    const dashboards = Object.values(monitoring.components).reduce(
      (n, list) => n + list.length,
      0,
    );
    annotations[GITOPS_ANNOTATIONS.dashboards] = String(dashboards);
  }

  const componentRef = getCompoundEntityRef(component);
  const owner =
    typeof component.spec?.owner === 'string'
      ? component.spec.owner
      : undefined;
  const system =
    typeof component.spec?.system === 'string'
      ? component.spec.system
      : undefined;
  const resources: Entity[] = [];
  const relations: RelationSpec[] = [];
  const seen = new Set<string>();
  for (const manifest of parsed.manifests) {
    for (const doc of manifest.documents) {
      const resource = infrastructureResource((doc.data ?? {}) as object);
      if (!resource || seen.has(resource.name)) continue;
      seen.add(resource.name);
      resources.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: resource.name,
          namespace: componentRef.namespace,
          description: `${resource.sourceKind} declared in ${manifest.path} of ${componentRef.name}`,
          annotations: {
            [GITOPS_ANNOTATIONS.sourceKind]: resource.sourceKind ?? '',
            ...(resource.engine
              ? { [GITOPS_ANNOTATIONS.databaseEngine]: resource.engine }
              : {}),
            ...(resource.region
              ? { [GITOPS_ANNOTATIONS.region]: resource.region }
              : {}),
          },
        },
        spec: {
          type: resource.type,
          ...(owner ? { owner } : {}),
          ...(system ? { system } : {}),
        },
      });
      // The component depends on its infrastructure whether or not its
      // catalog-info.yaml says so. Both directions come from the component's
      // own processing rather than from a `dependencyOf` in the Resource's
      // spec: the component is then stitched once with its dependency,
      // instead of once without it and again when the Resource is processed
      // (see the catalog benchmark in the README).
      const resourceRef = {
        kind: 'resource',
        namespace: componentRef.namespace,
        name: resource.name,
      };
      relations.push(
        {
          source: componentRef,
          type: RELATION_DEPENDS_ON,
          target: resourceRef,
        },
        {
          source: resourceRef,
          type: RELATION_DEPENDENCY_OF,
          target: componentRef,
        },
      );
    }
  }

  // The seed's `apiConsumedBy` on a component: its consumers consume every
  // API the component provides.
  const consumers = Array.isArray(component.spec?.apiConsumedBy)
    ? component.spec.apiConsumedBy
    : [];
  const apis = Array.isArray(component.spec?.providesApis)
    ? component.spec.providesApis
    : [];
  for (const consumer of consumers) {
    const consumerRef = parseEntityRef(String(consumer), {
      defaultKind: 'component',
      defaultNamespace: componentRef.namespace,
    });
    for (const api of apis) {
      const apiRef = parseEntityRef(String(api), {
        defaultKind: 'api',
        defaultNamespace: componentRef.namespace,
      });
      relations.push(
        { source: consumerRef, type: RELATION_CONSUMES_API, target: apiRef },
        { source: apiRef, type: RELATION_API_CONSUMED_BY, target: consumerRef },
      );
    }
  }
  return { annotations, resources, relations, problems: [] };
}
