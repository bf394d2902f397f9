import { expandRepositoryPipeline } from '@gitops/descriptors-node';
import {
  PIPELINE_FORMATS,
  PipelineFormat,
  pipelineFiles,
} from '@gitops/plugin-pipelines-common';
import { emitFiles } from '../lib/files';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';
import { ContextOptions } from '../lib/context';

/** Output formats of `gitops expand-pipeline`: those of the engine. */
export { PIPELINE_FORMATS };

/**
 * `gitops expand-pipeline <dir>`: the expanded pipeline's files in a format,
 * printed, or written under `--out`; the files the scaffolder action
 * `gitops:pipeline:expand` writes, byte for byte.
 */
export async function expandPipelineCommand(
  dir: string,
  options: ContextOptions & { format: PipelineFormat; out?: string },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const result = expandRepositoryPipeline(repo);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  const files = pipelineFiles(result.value, options.format, {
    component: repo.context.component.name,
  });
  await emitFiles(files, options.out, out);
  return 0;
}
