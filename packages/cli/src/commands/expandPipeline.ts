import { stringify } from 'yaml';
import { DESCRIPTOR_FILES, locateIssues } from '@gitops/descriptors-common';
import {
  expandBuildInfo,
  parseBuildInfo,
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
  const source = repo.source('build');
  if (!source) {
    return reportProblems(
      dir,
      [
        ...repo.problems,
        {
          file: DESCRIPTOR_FILES.build,
          line: 1,
          column: 1,
          path: '',
          message: 'missing: nothing to expand',
        },
      ],
      out,
    );
  }
  if (repo.problems.length) return reportProblems(dir, repo.problems, out);
  const parsed = parseBuildInfo(source);
  if (!parsed.ok) return reportProblems(dir, parsed.problems, out);
  const expanded = expandBuildInfo(parsed.value, repo.context);
  if (!expanded.ok) {
    return reportProblems(
      dir,
      locateIssues(source.path, parsed.document, expanded.issues),
      out,
    );
  }
  const component = repo.context.component.name;
  switch (options.format) {
    case 'tingle':
      out.stdout(stringify(expanded.pipeline, { lineWidth: 0 }));
      break;
    case 'github-actions':
      out.stdout(
        renderGithubActions(expanded.pipeline, component)
          .map(f => `# ${f.path}\n${stringify(f.workflow, { lineWidth: 0 })}`)
          .join('---\n'),
      );
      break;
    case 'argo-workflows':
      out.stdout(
        renderArgoWorkflows(expanded.pipeline, component, {
          namespace: component,
        })
          .map(w => stringify(w, { lineWidth: 0 }))
          .join('---\n'),
      );
      break;
    default:
      throw new Error(`unknown format ${options.format satisfies never}`);
  }
  return 0;
}
