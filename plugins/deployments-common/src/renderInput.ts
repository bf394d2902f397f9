import {
  CatalogContext,
  DataPath,
  Descriptor,
  describeValue,
  DescriptorProblem,
  DNS_LABEL_RULE,
  fileProblem,
  isDnsLabel,
  LABEL_VALUE,
  ServiceTier,
} from '@gitops/descriptors-common';
import { ImageReference } from './image';
import type { ManifestObject } from './parse';
import type { DeploymentInfo } from './schema';

/** The `file` of problems with the render input rather than a file. @public */
export const RENDER_INPUT = '<render input>';

/** @public */
export interface RenderDeploymentInput {
  /** The parsed deployment-info.yaml: an ok result of `parseDeploymentInfo`. */
  readonly info: Descriptor<DeploymentInfo>;
  /** The parsed objects of kubernetes/: the value of `parseManifests`. */
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

/** The render options, checked, as the rest of the renderer uses them. */
export interface CheckedRenderInput {
  /** The commit in lower case. */
  readonly commit: string;
  readonly environment: string;
  readonly system?: string;
  /** The tier, or undefined when it is not one (already a problem). */
  readonly tier?: ServiceTier;
  readonly problems: DescriptorProblem[];
}

/**
 * Checks the options of a render (commit, environment, registry,
 * Prometheus address, catalog context): each bad one is a problem of
 * {@link RENDER_INPUT} whose path names the field.
 */
export function checkRenderInput(
  input: RenderDeploymentInput,
): CheckedRenderInput {
  const problems: DescriptorProblem[] = [];
  const problem = (path: DataPath, message: string) =>
    problems.push(fileProblem(RENDER_INPUT, message, path));

  // Typed as strings, but JavaScript callers pass anything: a problem, not a throw.
  const commit = String(input.commit).toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(commit)) {
    problem(
      ['commit'],
      `commit ${describeValue(
        input.commit,
      )} is not a git commit SHA (7 to 40 hexadecimal characters)`,
    );
  }
  const environment = String(input.environment);
  if (!isDnsLabel(environment)) {
    problem(
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
    problem(
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
    problem(
      ['prometheusAddress'],
      `prometheusAddress ${describeValue(
        input.prometheusAddress,
      )} is not an http(s) URL`,
    );
  }
  const { system, tier } = input.context.component;
  if (system !== undefined && !LABEL_VALUE.test(system)) {
    problem(
      ['context', 'component', 'system'],
      `system ${describeValue(system)} cannot be a label value`,
    );
  }
  const validTier = [1, 2, 3, 4].includes(tier);
  if (!validTier) {
    problem(
      ['context', 'component', 'tier'],
      `tier ${describeValue(tier)} is not a service tier (1 to 4)`,
    );
  }
  return {
    commit,
    environment,
    system,
    tier: validTier ? tier : undefined,
    problems,
  };
}
