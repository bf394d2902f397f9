import {
  CatalogContext,
  DataPath,
  DescriptorProblem,
  formatDataPath,
  sortProblems,
} from '@gitops/descriptors-common';
import {
  analysisTemplateObjectName,
  ANALYSIS_ARGS,
  buildAnalysisTemplate,
} from './analysisTemplates';
import { ImageReference } from './image';
import {
  apiGroup,
  applyRank,
  compareStrings,
  CONTAINER_LISTS,
  isRecord,
  KubernetesObject,
  podSpecPath,
  sortKeys,
} from './kubernetes';
import {
  describeValue,
  DNS_LABEL_RULE,
  isDnsLabel,
  LABEL_VALUE,
} from './names';
import {
  checkManifest,
  infoProblem,
  ManifestObject,
  manifestProblem,
} from './parse';
import { AnalysisTemplateName, CanaryStep, DeploymentInfo } from './schema';

/**
 * The labels and annotations Tugboat puts on every object it renders.
 *
 * @public
 */
export const TUGBOAT_METADATA = Object.freeze({
  /** Label read by Backstage's Kubernetes plugin to find a component's objects. */
  kubernetesId: 'backstage.io/kubernetes-id',
  /** Annotation: the full commit SHA that was rendered. */
  commit: 'gitops.io/commit',
  /** Annotation: the environment it was rendered for. */
  environment: 'gitops.io/environment',
  /** Value of `app.kubernetes.io/managed-by`. */
  managedBy: 'tugboat',
});

/** The `file` of problems with the render input rather than a file. @public */
export const RENDER_INPUT = '<render input>';

/** @public */
export interface RenderDeploymentInput {
  /** The parsed deployment-info.yaml. */
  readonly info: DeploymentInfo;
  /** The parsed objects of kubernetes/. */
  readonly manifests: ReadonlyArray<ManifestObject>;
  /** The commit being deployed: 7 to 40 hexadecimal characters. */
  readonly commit: string;
  /** The environment deployed to, a DNS label such as `production`. */
  readonly environment: string;
  /** What the catalog knows of the component: tier (canary strictness) and system. */
  readonly context: CatalogContext;
  /**
   * Registry put in front of the images Tugboat pins when they name no
   * registry, e.g. `europe-docker.pkg.dev/my-project/images`.
   * @defaultValue none: pinned images keep their short name
   */
  readonly registry?: string;
  /**
   * Prometheus the canary analysis queries.
   * @defaultValue DEFAULT_PROMETHEUS_ADDRESS
   */
  readonly prometheusAddress?: string;
}

/** @public */
export type RenderDeploymentResult =
  | { ok: true; objects: KubernetesObject[] }
  | { ok: false; problems: DescriptorProblem[] };

type Mutable = Record<string, unknown>;

/**
 * Renders the objects to apply for one commit and environment: per component
 * a Namespace, every manifest of kubernetes/ namespaced, labelled and with
 * its images pinned to the commit, and with `automatedCanary` the Deployment
 * as an Argo Rollouts `Rollout` plus the library `AnalysisTemplate`s it uses.
 * Pure and deterministic: objects come out in apply order with sorted keys.
 * Every problem is collected before failing.
 *
 * @public
 */
export function renderDeployment(
  input: RenderDeploymentInput,
): RenderDeploymentResult {
  const problems: DescriptorProblem[] = [];
  const inputProblem = (path: DataPath, message: string) =>
    problems.push({
      file: RENDER_INPUT,
      line: 1,
      column: 1,
      path: formatDataPath(path),
      message,
    });

  // Typed as strings, but JavaScript callers pass anything: a problem, not a throw.
  const commit = String(input.commit).toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(commit)) {
    inputProblem(
      ['commit'],
      `commit ${describeValue(
        input.commit,
      )} is not a git commit SHA (7 to 40 hexadecimal characters)`,
    );
  }
  const environment = String(input.environment);
  if (!isDnsLabel(environment)) {
    inputProblem(
      ['environment'],
      `environment ${describeValue(
        environment,
      )} is not a DNS label (${DNS_LABEL_RULE})`,
    );
  }
  if (
    input.registry !== undefined &&
    !ImageReference.isRegistry(input.registry)
  ) {
    inputProblem(
      ['registry'],
      `registry ${describeValue(
        input.registry,
      )} is not a registry such as europe-docker.pkg.dev/my-project/images`,
    );
  }
  if (
    input.prometheusAddress !== undefined &&
    !/^https?:\/\/[^\s"'{}\\]+$/.test(input.prometheusAddress)
  ) {
    inputProblem(
      ['prometheusAddress'],
      `prometheusAddress ${describeValue(
        input.prometheusAddress,
      )} is not an http(s) URL`,
    );
  }
  const { system, tier } = input.context.component;
  if (system !== undefined && !LABEL_VALUE.test(system)) {
    inputProblem(
      ['context', 'component', 'system'],
      `system ${describeValue(system)} cannot be a label value`,
    );
  }
  const validTier = [1, 2, 3, 4].includes(tier);
  if (!validTier) {
    inputProblem(
      ['context', 'component', 'tier'],
      `tier ${describeValue(tier)} is not a service tier (1 to 4)`,
    );
  }
  // Re-checked here so that hand-built manifests cannot slip in a
  // cluster-scoped kind or a hostile image; the bad ones are left out.
  const checked = input.manifests.filter(manifest => {
    const found = checkManifest(manifest.object, (p, m) =>
      manifestProblem(manifest, p, m),
    );
    problems.push(...found);
    return found.length === 0;
  });

  const { info } = input;
  const owned = assignManifests(info, checked, problems);
  const rendered: { object: KubernetesObject; origin?: ManifestObject }[] = [];
  const deployed = info.components
    .map((component, index) => ({ component, index }))
    .filter(
      ({ component }) => component.environments?.includes(environment) ?? true,
    );
  if (deployed.length === 0) {
    problems.push(
      infoProblem(
        info,
        ['components'],
        `no component deploys to environment ${describeValue(
          environment,
        )}; the environments declared are ${[
          ...new Set(info.components.flatMap(c => c.environments ?? [])),
        ]
          .sort()
          .join(', ')}`,
      ),
    );
  }

  for (const { component, index } of deployed) {
    const id = component.componentId;
    const labels: Record<string, string> = {
      'app.kubernetes.io/instance': id,
      'app.kubernetes.io/managed-by': TUGBOAT_METADATA.managedBy,
      'app.kubernetes.io/name': id,
      ...(system ? { 'app.kubernetes.io/part-of': system } : {}),
      'app.kubernetes.io/version': commit.slice(0, 7),
      [TUGBOAT_METADATA.kubernetesId]: id,
    };
    const annotations = {
      [TUGBOAT_METADATA.commit]: commit,
      [TUGBOAT_METADATA.environment]: environment,
    };
    const decorate = (object: KubernetesObject) =>
      withMetadata(object, id, labels, annotations, commit, input.registry);

    rendered.push({
      object: decorate({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: id },
      }),
    });
    const manifests = owned.get(id) ?? [];
    if (manifests.length === 0) {
      problems.push(
        infoProblem(
          info,
          ['components', index, 'componentId'],
          `kubernetes/ holds no object for component ${id}`,
        ),
      );
    }

    const canary = component.tugboat.automatedCanary;
    const plan = canary
      ? planCanary(info, index, manifests, problems)
      : undefined;
    for (const manifest of manifests) {
      let object = decorate(manifest.object);
      if (plan?.workload === manifest) {
        object = toRollout(object, plan, canary!.steps, id);
      } else if (plan) {
        object = retarget(object, plan.workload.object.metadata.name);
      }
      rendered.push({ object, origin: manifest });
    }
    if (plan && canary && validTier) {
      const names = new Set<AnalysisTemplateName>(
        canary.steps.flatMap(s =>
          'analysis' in s ? s.analysis.templates.map(t => t.templateName) : [],
        ),
      );
      for (const name of names) {
        rendered.push({
          object: decorate(
            buildAnalysisTemplate(name, {
              namespace: id,
              tier,
              prometheusAddress: input.prometheusAddress,
            }),
          ),
        });
      }
    }
  }

  checkDuplicates(rendered, problems);
  if (problems.length > 0)
    return { ok: false, problems: sortProblems(problems) };
  const objects = rendered.map(r => sortKeys(r.object)).sort(compareObjects);
  return { ok: true, objects };
}

/**
 * Which component each manifest belongs to: its `metadata.namespace`, which
 * must be a componentId, or the only component when it has none.
 */
function assignManifests(
  info: DeploymentInfo,
  manifests: ReadonlyArray<ManifestObject>,
  problems: DescriptorProblem[],
): Map<string, ManifestObject[]> {
  const ids = info.components.map(c => c.componentId);
  const owned = new Map<string, ManifestObject[]>(ids.map(id => [id, []]));
  for (const manifest of manifests) {
    const namespace = manifest.object.metadata.namespace;
    if (namespace === undefined && ids.length > 1) {
      problems.push(
        manifestProblem(
          manifest,
          ['metadata'],
          `metadata.namespace is required when deployment-info.yaml declares several components (${ids.join(
            ', ',
          )}): it says which component the object belongs to`,
        ),
      );
    } else if (namespace !== undefined && !owned.has(namespace)) {
      problems.push(
        manifestProblem(
          manifest,
          ['metadata', 'namespace'],
          `metadata.namespace ${describeValue(
            namespace,
          )} is not the namespace of a component: each component is deployed to the namespace named after its componentId (${ids.join(
            ', ',
          )})`,
        ),
      );
    } else {
      owned.get(namespace ?? ids[0])!.push(manifest);
    }
  }
  return owned;
}

interface CanaryPlan {
  readonly workload: ManifestObject;
  readonly canaryService: string;
  readonly stableService: string;
}

const selectorOf = (service: ManifestObject) => {
  const spec = service.object.spec;
  const selector = isRecord(spec) ? spec.selector : undefined;
  return isRecord(selector) && Object.keys(selector).length > 0
    ? (selector as Record<string, unknown>)
    : undefined;
};

const podLabelsOf = (deployment: ManifestObject) => {
  const spec = deployment.object.spec;
  const template = isRecord(spec) ? spec.template : undefined;
  const metadata = isRecord(template) ? template.metadata : undefined;
  return isRecord(metadata) && isRecord(metadata.labels) ? metadata.labels : {};
};

const selects = (
  selector: Record<string, unknown>,
  labels: Record<string, unknown>,
) => Object.entries(selector).every(([key, value]) => labels[key] === value);

const formatSelector = (selector: Record<string, unknown>) =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');

/**
 * Finds what the canary needs: the Deployment whose pods the canary Service
 * selects, and the other Service selecting those pods (the stable one).
 */
function planCanary(
  info: DeploymentInfo,
  index: number,
  manifests: ReadonlyArray<ManifestObject>,
  problems: DescriptorProblem[],
): CanaryPlan | undefined {
  const component = info.components[index];
  const { canaryService } = component.tugboat.automatedCanary!;
  const at = [
    'components',
    index,
    'tugboat',
    'automatedCanary',
    'canaryService',
  ];
  const fail = (message: string) => {
    problems.push(infoProblem(info, at, message));
    return undefined;
  };
  const services = manifests.filter(
    m => m.object.kind === 'Service' && m.object.apiVersion === 'v1',
  );
  const canary = services.find(s => s.object.metadata.name === canaryService);
  if (!canary) {
    return fail(
      `canaryService ${canaryService} is not a Service in kubernetes/ for component ${
        component.componentId
      }; its Services: ${
        services.map(s => s.object.metadata.name).join(', ') || 'none'
      }`,
    );
  }
  const selector = selectorOf(canary);
  if (!selector) {
    problems.push(
      manifestProblem(
        canary,
        ['spec'],
        `canary Service ${canaryService} has no spec.selector: Argo Rollouts narrows it to the canary pods`,
      ),
    );
    return undefined;
  }
  const workloads = manifests.filter(
    m =>
      m.object.kind === 'Deployment' &&
      apiGroup(m.object.apiVersion) === 'apps' &&
      selects(selector, podLabelsOf(m)),
  );
  if (workloads.length !== 1) {
    return fail(
      workloads.length === 0
        ? `canary Service ${canaryService} selects ${formatSelector(
            selector,
          )}, the pods of no Deployment of component ${component.componentId}`
        : `canary Service ${canaryService} selects the pods of several Deployments (${workloads
            .map(w => w.object.metadata.name)
            .join(', ')}); automatedCanary converts exactly one`,
    );
  }
  const [workload] = workloads;
  const strategy = (workload.object.spec as Mutable).strategy;
  if (isRecord(strategy) && strategy.type === 'Recreate') {
    problems.push(
      manifestProblem(
        workload,
        ['spec', 'strategy', 'type'],
        `Deployment ${workload.object.metadata.name} uses the Recreate strategy, which a canary cannot honour: remove spec.strategy`,
      ),
    );
  }
  const stables = services.filter(s => {
    const sel = selectorOf(s);
    return (
      s !== canary && sel !== undefined && selects(sel, podLabelsOf(workload))
    );
  });
  const preferred = stables.filter(s =>
    [component.componentId, workload.object.metadata.name].includes(
      s.object.metadata.name,
    ),
  );
  const stable = stables.length === 1 ? stables[0] : preferred[0];
  if (!stable) {
    return fail(
      stables.length === 0
        ? `no Service other than the canary ${canaryService} selects the pods of Deployment ${workload.object.metadata.name}: Argo Rollouts needs one as the stable Service`
        : `several Services select the pods of Deployment ${
            workload.object.metadata.name
          } (${stables
            .map(s => s.object.metadata.name)
            .join(', ')}); name one of them ${
            component.componentId
          } to make it the stable Service`,
    );
  }
  return {
    workload,
    canaryService,
    stableService: stable.object.metadata.name,
  };
}

/**
 * A Deployment as an Argo Rollouts Rollout: the same spec (replicas,
 * selector, pod template, ...), its rolling-update surge limits kept, and the
 * declared steps.
 */
function toRollout(
  deployment: KubernetesObject,
  plan: CanaryPlan,
  steps: ReadonlyArray<CanaryStep>,
  componentId: string,
): KubernetesObject {
  const { strategy, ...spec } = deployment.spec as Mutable;
  const rolling =
    isRecord(strategy) && isRecord(strategy.rollingUpdate)
      ? strategy.rollingUpdate
      : {};
  const args = [
    { name: ANALYSIS_ARGS.namespace, value: componentId },
    { name: ANALYSIS_ARGS.serviceName, value: componentId },
  ];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: deployment.metadata,
    spec: {
      ...spec,
      strategy: {
        canary: {
          canaryService: plan.canaryService,
          stableService: plan.stableService,
          ...(rolling.maxSurge !== undefined
            ? { maxSurge: rolling.maxSurge }
            : {}),
          ...(rolling.maxUnavailable !== undefined
            ? { maxUnavailable: rolling.maxUnavailable }
            : {}),
          steps: steps.map(step => {
            if ('setWeight' in step) return { setWeight: step.setWeight };
            if ('pause' in step)
              return {
                pause: step.pause.duration
                  ? { duration: step.pause.duration }
                  : {},
              };
            return {
              analysis: {
                templates: step.analysis.templates.map(t => ({
                  templateName: analysisTemplateObjectName(t.templateName),
                })),
                args,
              },
            };
          }),
        },
      },
    },
  };
}

/**
 * A HorizontalPodAutoscaler scaling the converted Deployment scales the
 * Rollout instead (Argo Rollouts implements the scale subresource).
 */
function retarget(
  object: KubernetesObject,
  deployment: string,
): KubernetesObject {
  const spec = object.spec;
  const target = isRecord(spec) ? spec.scaleTargetRef : undefined;
  if (
    object.kind !== 'HorizontalPodAutoscaler' ||
    !isRecord(spec) ||
    !isRecord(target) ||
    target.kind !== 'Deployment' ||
    target.name !== deployment
  ) {
    return object;
  }
  return {
    ...object,
    spec: {
      ...spec,
      scaleTargetRef: {
        ...target,
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
      },
    },
  };
}

/**
 * A copy of an object in the component's namespace (except the Namespace
 * itself), with Tugboat's labels and annotations winning over the ones
 * written, the pod template labelled the same way and its images pinned.
 */
function withMetadata(
  object: KubernetesObject,
  namespace: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  commit: string,
  registry: string | undefined,
): KubernetesObject {
  const copy = sortKeys(object) as Mutable & KubernetesObject;
  const metadata: Mutable = {
    ...copy.metadata,
    ...(object.kind === 'Namespace' ? {} : { namespace }),
    labels: { ...copy.metadata.labels, ...labels },
    annotations: { ...copy.metadata.annotations, ...annotations },
  };
  const specPath = podSpecPath(object.kind);
  if (specPath && specPath.length > 1) {
    // The pod template's metadata sits beside its spec.
    const template = specPath
      .slice(0, -1)
      .reduce<unknown>(
        (node, key) => (isRecord(node) ? node[key] : undefined),
        copy,
      );
    if (isRecord(template)) {
      const podMeta = isRecord(template.metadata) ? template.metadata : {};
      template.metadata = {
        ...podMeta,
        labels: {
          ...(isRecord(podMeta.labels) ? podMeta.labels : {}),
          ...labels,
        },
      };
    }
  }
  const podSpec = specPath?.reduce<unknown>(
    (node, key) => (isRecord(node) ? node[key] : undefined),
    copy,
  );
  if (isRecord(podSpec)) {
    for (const list of CONTAINER_LISTS) {
      const containers = podSpec[list];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        const image =
          isRecord(container) && typeof container.image === 'string'
            ? ImageReference.parse(container.image)
            : undefined;
        if (image)
          container.image = image.pinnedTo(commit, registry).toString();
      }
    }
  }
  return { ...copy, metadata: metadata as KubernetesObject['metadata'] };
}

const objectKey = (o: KubernetesObject) =>
  `${apiGroup(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${
    o.metadata.name
  }`;

/**
 * Two objects with the same group, kind, namespace and name would overwrite
 * each other: each user-written one is reported, naming where the others are.
 */
function checkDuplicates(
  rendered: ReadonlyArray<{
    object: KubernetesObject;
    origin?: ManifestObject;
  }>,
  problems: DescriptorProblem[],
) {
  const byKey = new Map<
    string,
    { object: KubernetesObject; origin?: ManifestObject }[]
  >();
  for (const entry of rendered) {
    const key = objectKey(entry.object);
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  for (const entries of byKey.values()) {
    if (entries.length < 2) continue;
    const generated = entries.some(e => !e.origin);
    for (const { object, origin } of entries) {
      if (!origin) continue;
      const what = `${object.kind} ${object.metadata.name}`;
      const others = entries
        .filter(e => e.origin && e.origin !== origin)
        .map(e => e.origin!.file);
      problems.push(
        manifestProblem(
          origin,
          ['metadata', 'name'],
          generated
            ? `${what} is generated by Tugboat in namespace ${object.metadata.namespace}; rename this one`
            : `${what} is declared twice in namespace ${
                object.metadata.namespace
              }: also in ${[...new Set(others)].join(', ')}`,
        ),
      );
    }
  }
}

/** Apply order, then kind, namespace and name. */
function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
  const key = (o: KubernetesObject) => [
    o.kind,
    o.metadata.namespace ?? '',
    o.metadata.name,
  ];
  const [ka, kb] = [key(a), key(b)];
  return (
    applyRank(a) - applyRank(b) ||
    ka.map((v, i) => compareStrings(v, kb[i])).find(c => c !== 0) ||
    0
  );
}
