import { ImageReference } from './image';
import {
  CONTAINER_LISTS,
  isRecord,
  KubernetesObject,
  podSpecPath,
  sortKeys,
} from './kubernetes';

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
  /**
   * Annotation of an object Tugboat derived from a declared one, naming it
   * as `<kind>/<name>` in lower case: the canary Service derived from the
   * stable one says `service/example-app`.
   */
  derivedFrom: 'gitops.io/derived-from',
  /** Value of `app.kubernetes.io/managed-by`. */
  managedBy: 'tugboat',
});

/** What Tugboat writes on every object of one component. */
export interface Decoration {
  /** The component's namespace, its componentId. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The commit images are pinned to. */
  readonly commit: string;
  /** The registry put in front of pinned images that name none. */
  readonly registry?: string;
}

/** The labels and annotations of a component's objects for one render. */
export function componentDecoration(
  componentId: string,
  options: {
    readonly commit: string;
    readonly environment: string;
    readonly system?: string;
    readonly registry?: string;
  },
): Decoration {
  const { commit, environment, system, registry } = options;
  return {
    namespace: componentId,
    labels: {
      'app.kubernetes.io/instance': componentId,
      'app.kubernetes.io/managed-by': TUGBOAT_METADATA.managedBy,
      'app.kubernetes.io/name': componentId,
      ...(system ? { 'app.kubernetes.io/part-of': system } : {}),
      'app.kubernetes.io/version': commit.slice(0, 7),
      [TUGBOAT_METADATA.kubernetesId]: componentId,
    },
    annotations: {
      [TUGBOAT_METADATA.commit]: commit,
      [TUGBOAT_METADATA.environment]: environment,
    },
    commit,
    registry,
  };
}

type Mutable = Record<string, unknown>;

/**
 * A copy of an object in the component's namespace (except the Namespace
 * itself), with Tugboat's labels and annotations winning over the ones
 * written, the pod template labelled the same way and its images pinned.
 */
export function decorate(
  object: KubernetesObject,
  decoration: Decoration,
): KubernetesObject {
  const { namespace, labels, annotations, commit, registry } = decoration;
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
