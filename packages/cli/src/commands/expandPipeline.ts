import { stringify } from 'yaml';
import { expandRepositoryPipeline } from '@gitops/descriptors-node';
import {
  renderArgoWorkflows,
  renderGithubActions,
} from '@gitops/plugin-pipelines-common';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';
import { ContextOptions } from '../lib/context';

/** Output formats of `gitops expand-pipeline`. */
export const PIPELINE_FORMATS = [
  'tingle',
  'github-actions',
  'argo-workflows',
] as const;

/** `gitops expand-pipeline <dir>`: the expanded pipeline as YAML on stdout. */
export async function expandPipelineCommand(
  dir: string,
  options: ContextOptions & { format: (typeof PIPELINE_FORMATS)[number] },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const result = expandRepositoryPipeline(repo);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  const pipeline = result.value;
  const component = repo.context.component.name;
  switch (options.format) {
    case 'tingle':
      out.stdout(stringify(pipeline, { lineWidth: 0 }));
      break;
    case 'github-actions':
      out.stdout(
        renderGithubActions(pipeline, component)
          .map(f => `# ${f.path}\n${stringify(f.workflow, { lineWidth: 0 })}`)
          .join('---\n'),
      );
      break;
    case 'argo-workflows':
      out.stdout(
        renderArgoWorkflows(pipeline, component, { namespace: component })
          .map(w => stringify(w, { lineWidth: 0 }))
          .join('---\n'),
      );
      break;
    default:
      throw new Error(`unknown format ${options.format satisfies never}`);
  }
  return 0;
}
