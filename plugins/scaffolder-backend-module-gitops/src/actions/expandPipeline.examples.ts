import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Expand build-info.yaml and show the pipeline as a step output.',
    example: yaml.stringify({
      steps: [
        {
          id: 'pipeline',
          action: 'gitops:pipeline:expand',
          name: 'Expand the build pipeline',
          input: { path: '.' },
        },
      ],
    }),
  },
  {
    description:
      'Expand build-info.yaml and write GitHub Actions workflows into the new repository.',
    example: yaml.stringify({
      steps: [
        {
          id: 'pipeline',
          action: 'gitops:pipeline:expand',
          name: 'Write GitHub Actions workflows',
          input: { path: '.', writeAs: 'github-actions' },
        },
      ],
    }),
  },
  {
    description:
      'Expand build-info.yaml and write one Argo Workflow per pipeline under argo/, in the namespace named after the component.',
    example: yaml.stringify({
      steps: [
        {
          id: 'pipeline',
          action: 'gitops:pipeline:expand',
          name: 'Write Argo Workflows',
          input: { path: '.', writeAs: 'argo-workflows' },
        },
      ],
    }),
  },
];
