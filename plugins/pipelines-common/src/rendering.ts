import {
  DNS_LABEL_MAX_LENGTH,
  toBoundedDnsLabel,
} from '@gitops/descriptors-common';
import { Pipeline } from './model';
import { REVIEW_REF } from './templates';

/**
 * A workflow a renderer made from one pipeline, as plain data, with the
 * path it is written to inside the repository.
 *
 * @public
 */
export interface RenderedWorkflow {
  /**
   * Path inside the repository: `.github/workflows/<pipeline>.yaml` or
   * `argo/<pipeline>.yaml`, `<pipeline>` the pipeline's id.
   */
  readonly path: string;
  readonly workflow: Record<string, unknown>;
}

/**
 * Ids derived from free-text names (pipelines, stages, tasks) with
 * `toDnsLabel`, unique in order of appearance: the second "Build" is
 * `build-2`. Every id a renderer writes comes from here, so that a file
 * name, a job id and a template name are derived one way.
 */
export class UniqueIds {
  private readonly taken: Set<string>;

  /**
   * @param prefix - put before an id that does not start with a letter
   *   (GitHub job ids must), e.g. `job` for `1st-build` → `job-1st-build`
   */
  constructor(
    private readonly options: {
      maxLength?: number;
      prefix?: string;
      reserved?: string[];
    } = {},
  ) {
    this.taken = new Set(options.reserved);
  }

  next(...parts: string[]): string {
    let id = this.derive(parts);
    for (let n = 2; this.taken.has(id); n++) {
      id = this.derive([...parts, String(n)]);
    }
    this.taken.add(id);
    return id;
  }

  private derive(parts: string[]): string {
    const max = this.options.maxLength ?? DNS_LABEL_MAX_LENGTH;
    const id = toBoundedDnsLabel(max, ...parts);
    const { prefix } = this.options;
    return prefix && !/^[a-z]/.test(id)
      ? toBoundedDnsLabel(max, prefix, ...parts)
      : id;
  }
}

/**
 * One id per pipeline, in order: the name of its workflow file in every
 * format and its `gitops.io/pipeline` label.
 */
export function pipelineIds(pipeline: Pipeline): string[] {
  const ids = new UniqueIds();
  return pipeline.pipelines.map(p => ids.next(p.pipeline));
}

/** Pull-request pipelines are those on the review ref or any `pr/` pattern. */
export function isPullRequestRef(ref: string): boolean {
  return ref === REVIEW_REF || ref.startsWith('pr/');
}
