import {
  describeValue,
  DescriptorProblem,
  problemIn,
  Result,
  sortProblems,
  sortedStrings,
} from '@gitops/descriptors-common';
import { buildAnalysisTemplate } from './analysisTemplates';
import { compareObjects } from './applyOrder';
import { assignManifests } from './assignManifests';
import { planCanary } from './canary';
import { componentDecoration, decorate } from './decorate';
import { duplicateProblems, RenderedObject } from './duplicates';
import { KubernetesObject, sortKeys } from './kubernetes';
import { checkManifestData } from './manifestChecks';
import { manifestProblem } from './parse';
import { checkRenderInput, RenderDeploymentInput } from './renderInput';
import { retarget, rolloutSteps, toRollout } from './rollout';
import { AnalysisTemplateName } from './schema';

/**
 * Renders the objects to apply for one commit and environment: per component
 * a Namespace, every manifest of kubernetes/ namespaced, labelled and with
 * its images pinned to the commit, and with `automatedCanary` the Deployment
 * as an Argo Rollouts `Rollout`, its canary Service (derived from the stable
 * Service when kubernetes/ does not declare it) and the library
 * `AnalysisTemplate`s it uses. Pure and deterministic: objects come out in
 * apply order with sorted keys. Every problem is collected before failing;
 * bad input is never thrown on.
 *
 * @public
 */
export function renderDeployment(
  input: RenderDeploymentInput,
): Result<KubernetesObject[]> {
  const { info } = input;
  const checked = checkRenderInput(input);
  const problems: DescriptorProblem[] = [...checked.problems];
  const { environment } = checked;

  // Re-checked here so that hand-built manifests cannot slip in a
  // cluster-scoped kind or a hostile image; the bad ones are left out.
  const manifests = input.manifests.filter(manifest => {
    const found = checkManifestData(manifest.object, (path, message) =>
      manifestProblem(manifest, path, message),
    );
    problems.push(...found);
    return found.length === 0;
  });
  const assigned = assignManifests(info.value, manifests);
  problems.push(...assigned.problems);

  const deployed = info.value.components
    .map((component, index) => ({ component, index }))
    .filter(
      ({ component }) => component.environments?.includes(environment) ?? true,
    );
  if (deployed.length === 0) {
    problems.push(
      problemIn(
        info,
        ['components'],
        `no component deploys to environment ${describeValue(
          environment,
        )}; the environments declared are ${sortedStrings(
          new Set(info.value.components.flatMap(c => c.environments ?? [])),
        ).join(', ')}`,
      ),
    );
  }

  const rendered: RenderedObject[] = [];
  for (const { component, index } of deployed) {
    const id = component.componentId;
    const decoration = componentDecoration(id, {
      commit: checked.commit,
      environment,
      system: checked.system,
      registry: input.registry,
    });
    rendered.push({
      object: decorate(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: id } },
        decoration,
      ),
    });
    const owned = assigned.byComponent.get(id) ?? [];
    if (owned.length === 0) {
      problems.push(
        problemIn(
          info,
          ['components', index, 'componentId'],
          `kubernetes/ holds no object for component ${id}`,
        ),
      );
    }

    const canary = component.tugboat.automatedCanary;
    const plan = canary
      ? planCanary(info, index, canary.canaryService, owned)
      : undefined;
    const steps = canary ? rolloutSteps(info, index) : undefined;
    if (plan && !plan.ok) problems.push(...plan.problems);
    if (steps && !steps.ok) problems.push(...steps.problems);
    const rollout =
      plan?.ok && steps?.ok
        ? { plan: plan.value, steps: steps.value }
        : undefined;

    for (const manifest of owned) {
      let object = decorate(manifest.object, decoration);
      if (rollout?.plan.workload === manifest) {
        object = toRollout(object, rollout.plan, rollout.steps);
      } else if (rollout) {
        object = retarget(object, rollout.plan.workload.object.metadata.name);
      }
      rendered.push({ object, origin: manifest });
    }
    if (!rollout || !canary) continue;
    const { derivedService } = rollout.plan;
    if (derivedService) {
      rendered.push({ object: decorate(derivedService, decoration) });
    }
    if (checked.tier === undefined) continue;
    const templates = new Set<AnalysisTemplateName>(
      canary.steps.flatMap(s =>
        'analysis' in s ? s.analysis.templates.map(t => t.templateName) : [],
      ),
    );
    for (const name of templates) {
      rendered.push({
        object: decorate(
          buildAnalysisTemplate(name, {
            namespace: id,
            tier: checked.tier,
            prometheusAddress: input.prometheusAddress,
          }),
          decoration,
        ),
      });
    }
  }

  problems.push(...duplicateProblems(rendered));
  if (problems.length > 0) {
    return { ok: false, problems: sortProblems(problems) };
  }
  return {
    ok: true,
    value: rendered.map(r => sortKeys(r.object)).sort(compareObjects),
  };
}
