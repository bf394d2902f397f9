import { dirname, join } from 'node:path';
import type { Workflow as WorkflowModel } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';

type WorkflowClass = typeof WorkflowModel;
let workflowClass: WorkflowClass | undefined;

/**
 * `@kubernetes-models/argo-workflows` is published as ES modules only
 * (its `exports` have just the `import` condition), which a CommonJS
 * backend cannot `require` by name. Node 22 can `require` an ES module
 * file, so the class is loaded by its path inside the package.
 */
function loadWorkflowClass(): WorkflowClass {
  if (!workflowClass) {
    const root = dirname(
      require.resolve('@kubernetes-models/argo-workflows/package.json'),
    );
    workflowClass = require(join(
      root,
      'argoproj.io',
      'v1alpha1',
      'Workflow.js',
    )).Workflow as WorkflowClass;
  }
  return workflowClass;
}

/**
 * Checks a Workflow against the Argo Workflows schema of
 * `@kubernetes-models/argo-workflows`: `undefined` when valid, otherwise
 * the schema's complaint (the field and what is wrong with it).
 */
export function workflowSchemaError(
  workflow: Record<string, unknown>,
): string | undefined {
  const Workflow = loadWorkflowClass();
  try {
    new Workflow(workflow as any).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
