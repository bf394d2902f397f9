import {
  Descriptor,
  describeValue,
  DescriptorProblem,
  Duration,
  problemIn,
  Result,
} from '@gitops/descriptors-common';
import { analysisTemplateObjectName, ANALYSIS_ARGS } from './analysisTemplates';
import type { CanaryPlan } from './canary';
import { isRecord, KubernetesObject } from './kubernetes';
import { DeploymentInfo } from './schema';

/**
 * The Argo Rollouts side of a canary: the Deployment as a Rollout, its
 * steps, and the objects that pointed at the Deployment.
 */

type Mutable = Record<string, unknown>;

/**
 * The declared steps of the component at `index`, in the Argo Rollouts
 * vocabulary: analysis steps name the library templates by their object
 * names and pass the component as `namespace` and `service-name`; pause
 * durations are written in their largest whole unit.
 */
export function rolloutSteps(
  info: Descriptor<DeploymentInfo>,
  index: number,
): Result<unknown[]> {
  const component = info.value.components[index];
  const steps = component.tugboat.automatedCanary?.steps ?? [];
  const id = component.componentId;
  const args = [
    { name: ANALYSIS_ARGS.namespace, value: id },
    { name: ANALYSIS_ARGS.serviceName, value: id },
  ];
  const problems: DescriptorProblem[] = [];
  const rendered = steps.map((step, i) => {
    if ('setWeight' in step) {
      return { setWeight: step.setWeight };
    }
    if ('pause' in step) {
      const text = step.pause.duration;
      const duration = text === undefined ? undefined : Duration.parse(text);
      if (text !== undefined && !duration) {
        // Only a hand-built DeploymentInfo gets here: the schema checks it.
        problems.push(
          problemIn(
            info,
            [
              'components',
              index,
              'tugboat',
              'automatedCanary',
              'steps',
              i,
              'pause',
              'duration',
            ],
            `pause duration ${describeValue(
              text,
            )} is not a duration such as 30s, 5m or 1h`,
          ),
        );
      }
      return { pause: duration ? { duration: duration.toString() } : {} };
    }
    return {
      analysis: {
        templates: step.analysis.templates.map(t => ({
          templateName: analysisTemplateObjectName(t.templateName),
        })),
        args,
      },
    };
  });
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, value: rendered };
}

/**
 * A Deployment as an Argo Rollouts Rollout: the same spec (replicas,
 * selector, pod template, ...), its rolling-update surge limits kept, and
 * the planned Services and steps.
 */
export function toRollout(
  deployment: KubernetesObject,
  plan: CanaryPlan,
  steps: ReadonlyArray<unknown>,
): KubernetesObject {
  const { strategy, ...spec } = deployment.spec as Mutable;
  const rolling =
    isRecord(strategy) && isRecord(strategy.rollingUpdate)
      ? strategy.rollingUpdate
      : {};
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
          steps,
        },
      },
    },
  };
}

/**
 * A HorizontalPodAutoscaler scaling the converted Deployment scales the
 * Rollout instead (Argo Rollouts implements the scale subresource).
 */
export function retarget(
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
