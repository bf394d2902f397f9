import {
  Descriptor,
  DescriptorProblem,
  problemIn,
  Result,
  toDnsLabel,
} from '@gitops/descriptors-common';
import { TUGBOAT_METADATA } from './decorate';
import { apiGroup, isRecord, KubernetesObject } from './kubernetes';
import { ManifestObject, manifestProblem } from './parse';
import { DeploymentInfo } from './schema';

/**
 * Canary planning: which Deployment of a component becomes the Rollout,
 * which Service is its stable Service, and which its canary Service, the
 * one deployment-info.yaml names. A canary Service that kubernetes/
 * declares is used as written; otherwise it is derived from the stable
 * Service, so that a repository holding only its Deployment and its Service
 * gets a canary.
 */

/** What the Rollout of a component needs. */
export interface CanaryPlan {
  /** The Deployment that becomes the Rollout. */
  readonly workload: ManifestObject;
  readonly stableService: string;
  readonly canaryService: string;
  /**
   * The canary Service Tugboat adds when kubernetes/ declares none of that
   * name: the stable Service's selector and ports under the canary's name,
   * not yet decorated.
   */
  readonly derivedService?: KubernetesObject;
}

/** What planning looks at: one component's Services and Deployments. */
interface Planning {
  readonly componentId: string;
  readonly canaryService: string;
  readonly services: ReadonlyArray<ManifestObject>;
  readonly deployments: ReadonlyArray<ManifestObject>;
  /** A problem at automatedCanary.canaryService in deployment-info.yaml. */
  atCanaryService(message: string): DescriptorProblem;
  /** A problem at the automatedCanary key in deployment-info.yaml. */
  atAutomatedCanary(message: string): DescriptorProblem;
}

/**
 * Plans the canary of the component at `index` of deployment-info.yaml
 * from the objects kubernetes/ holds for it.
 */
export function planCanary(
  info: Descriptor<DeploymentInfo>,
  index: number,
  canaryService: string,
  manifests: ReadonlyArray<ManifestObject>,
): Result<CanaryPlan> {
  const at = ['components', index, 'tugboat', 'automatedCanary'];
  const planning: Planning = {
    componentId: info.value.components[index].componentId,
    canaryService,
    services: manifests.filter(
      m => m.object.kind === 'Service' && m.object.apiVersion === 'v1',
    ),
    deployments: manifests.filter(
      m =>
        m.object.kind === 'Deployment' &&
        apiGroup(m.object.apiVersion) === 'apps',
    ),
    atCanaryService: message =>
      problemIn(info, [...at, 'canaryService'], message),
    atAutomatedCanary: message => problemIn(info, at, message, { at: 'key' }),
  };
  const declared = planning.services.find(s => nameOf(s) === canaryService);
  return declared ? planDeclared(planning, declared) : planDerived(planning);
}

/**
 * The canary Service is declared: the Deployment whose pods it selects
 * (exactly one) is rolled out, and another Service selecting those pods is
 * the stable one.
 */
function planDeclared(
  p: Planning,
  declared: ManifestObject,
): Result<CanaryPlan> {
  const name = p.canaryService;
  const selector = selectorOf(declared);
  if (!selector) {
    return fail(
      manifestProblem(
        declared,
        ['spec'],
        `canary Service ${name} has no spec.selector: Argo Rollouts narrows it to the canary pods`,
      ),
    );
  }
  const workloads = p.deployments.filter(d => selects(selector, d));
  if (workloads.length === 0) {
    return fail(
      manifestProblem(
        declared,
        ['spec', 'selector'],
        `canary Service ${name} selects ${formatSelector(
          selector,
        )}, the pods of no Deployment of component ${
          p.componentId
        }: the Deployment whose pods it selects is the one rolled out`,
      ),
    );
  }
  if (workloads.length > 1) {
    return fail(
      p.atCanaryService(
        `canary Service ${name} selects the pods of several Deployments (${names(
          workloads,
        )}); automatedCanary converts exactly one`,
      ),
    );
  }
  const [workload] = workloads;
  const problems = strategyProblems(workload);
  if (name === p.componentId || name === nameOf(workload)) {
    // Clients call the Service named after the component; narrowed to the
    // canary pods, it would send them all to the new version.
    problems.push(
      p.atCanaryService(
        `canaryService ${name} is the Service named after the ${
          name === p.componentId ? 'component' : 'Deployment'
        }, which Tugboat takes as the stable Service that clients call: Argo Rollouts would narrow it to the canary pods. Name the canary Service otherwise (e.g. ${toDnsLabel(
          p.componentId,
          'canary',
        )}) and Tugboat derives it from ${name}`,
      ),
    );
    return fail(...problems);
  }
  const stable = stableService(
    p,
    workload,
    p.services.filter(s => s !== declared && selects(selectorOf(s), workload)),
  );
  if (!stable.ok) return fail(...problems, ...stable.problems);
  if (problems.length > 0) return fail(...problems);
  return {
    ok: true,
    value: {
      workload,
      stableService: nameOf(stable.value),
      canaryService: name,
    },
  };
}

/**
 * The canary Service is not declared: the component's Deployment behind a
 * Service is rolled out (the one named after the component when several
 * are), and the canary Service is derived from its stable Service.
 */
function planDerived(p: Planning): Result<CanaryPlan> {
  const name = p.canaryService;
  if (p.deployments.length === 0) {
    return fail(
      p.atAutomatedCanary(
        `automatedCanary turns a Deployment into a Rollout, but kubernetes/ holds no Deployment for component ${p.componentId}`,
      ),
    );
  }
  const behindServices = p.deployments.filter(d =>
    p.services.some(s => selects(selectorOf(s), d)),
  );
  if (behindServices.length === 0) {
    return fail(
      p.atCanaryService(
        `canary Service ${name} is not in kubernetes/, and no Service selects the pods of ${
          p.deployments.length === 1 ? 'Deployment' : 'Deployments'
        } ${names(
          p.deployments,
        )}: Tugboat derives the canary Service from the stable Service, the one selecting the pods of the Deployment rolled out`,
      ),
    );
  }
  const workload =
    behindServices.length === 1
      ? behindServices[0]
      : behindServices.find(d => nameOf(d) === p.componentId);
  if (!workload) {
    return fail(
      p.atCanaryService(
        `canary Service ${name} is not in kubernetes/, and several Deployments of component ${
          p.componentId
        } are behind Services (${names(
          behindServices,
        )}): name the one to roll out ${
          p.componentId
        }, or declare the canary Service ${name} selecting its pods`,
      ),
    );
  }
  const problems = strategyProblems(workload);
  const stable = stableService(
    p,
    workload,
    p.services.filter(s => selects(selectorOf(s), workload)),
  );
  if (!stable.ok) return fail(...problems, ...stable.problems);
  const selector = selectorOf(stable.value)!;
  const selected = p.deployments.filter(d => selects(selector, d));
  if (selected.length > 1) {
    problems.push(
      p.atCanaryService(
        `canary Service ${name} selects the pods of several Deployments (${names(
          selected,
        )}); automatedCanary converts exactly one. It is not in kubernetes/, so it is derived from the stable Service ${nameOf(
          stable.value,
        )}, which selects them all`,
      ),
    );
  }
  const ports = portsOf(stable.value);
  if (ports.length === 0) {
    problems.push(
      manifestProblem(
        stable.value,
        ['spec'],
        `Service ${nameOf(
          stable.value,
        )} has no spec.ports: the canary Service ${name} is derived from it, with the same ports`,
      ),
    );
  }
  if (problems.length > 0) return fail(...problems);
  return {
    ok: true,
    value: {
      workload,
      stableService: nameOf(stable.value),
      canaryService: name,
      derivedService: deriveCanaryService(name, stable.value, selector, ports),
    },
  };
}

/**
 * The canary Service derived from the stable one: the same selector and
 * ports under the canary's name, and nothing else of it. Its labels are the
 * suite's only (a ServiceMonitor selecting the stable Service's labels
 * would scrape the pods twice), its node ports are left to Kubernetes (the
 * stable Service holds them), and the annotation says where it comes from.
 */
function deriveCanaryService(
  name: string,
  stable: ManifestObject,
  selector: Readonly<Record<string, unknown>>,
  ports: ReadonlyArray<Record<string, unknown>>,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      annotations: {
        [TUGBOAT_METADATA.derivedFrom]: `service/${nameOf(stable)}`,
      },
    },
    spec: {
      selector: { ...selector },
      ports: ports.map(({ nodePort: _nodePort, ...port }) => port),
    },
  };
}

/**
 * The stable Service among the Services selecting the workload's pods: the
 * only one, or the one named after the component or the Deployment.
 */
function stableService(
  p: Planning,
  workload: ManifestObject,
  candidates: ReadonlyArray<ManifestObject>,
): Result<ManifestObject> {
  const preferred = candidates.filter(s =>
    [p.componentId, nameOf(workload)].includes(nameOf(s)),
  );
  const stable = candidates.length === 1 ? candidates[0] : preferred[0];
  if (stable) return { ok: true, value: stable };
  return fail(
    p.atCanaryService(
      candidates.length === 0
        ? `canary Service ${
            p.canaryService
          } selects the pods of Deployment ${nameOf(
            workload,
          )}, which no other Service selects: Argo Rollouts needs a stable Service beside the canary one (a canary Service that kubernetes/ does not declare is derived from the stable one)`
        : `several Services select the pods of Deployment ${nameOf(
            workload,
          )} (${names(candidates)}); name one of them ${
            p.componentId
          } to make it the stable Service`,
    ),
  );
}

/** A Deployment with the Recreate strategy cannot be rolled out gradually. */
function strategyProblems(workload: ManifestObject): DescriptorProblem[] {
  const spec = workload.object.spec;
  const strategy = isRecord(spec) ? spec.strategy : undefined;
  if (!isRecord(strategy) || strategy.type !== 'Recreate') return [];
  return [
    manifestProblem(
      workload,
      ['spec', 'strategy', 'type'],
      `Deployment ${nameOf(
        workload,
      )} uses the Recreate strategy, which a canary cannot honour: remove spec.strategy`,
    ),
  ];
}

function fail<T>(...problems: DescriptorProblem[]): Result<T> {
  return { ok: false, problems };
}

function nameOf(manifest: ManifestObject): string {
  return manifest.object.metadata.name;
}

function names(manifests: ReadonlyArray<ManifestObject>): string {
  return manifests.map(nameOf).join(', ');
}

/** A Service's selector, when it has a non-empty one. */
function selectorOf(
  service: ManifestObject,
): Readonly<Record<string, unknown>> | undefined {
  const spec = service.object.spec;
  const selector = isRecord(spec) ? spec.selector : undefined;
  return isRecord(selector) && Object.keys(selector).length > 0
    ? selector
    : undefined;
}

/** A Service's ports that are maps. */
function portsOf(service: ManifestObject): Record<string, unknown>[] {
  const spec = service.object.spec;
  const ports = isRecord(spec) ? spec.ports : undefined;
  return Array.isArray(ports) ? ports.filter(isRecord) : [];
}

/** Whether a selector selects the pods of a Deployment's template. */
function selects(
  selector: Readonly<Record<string, unknown>> | undefined,
  deployment: ManifestObject,
): boolean {
  if (!selector) return false;
  const spec = deployment.object.spec;
  const template = isRecord(spec) ? spec.template : undefined;
  const metadata = isRecord(template) ? template.metadata : undefined;
  const labels =
    isRecord(metadata) && isRecord(metadata.labels) ? metadata.labels : {};
  return Object.entries(selector).every(
    ([key, value]) => labels[key] === value,
  );
}

function formatSelector(selector: Readonly<Record<string, unknown>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}
