import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Render the objects to apply to production for a commit.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:deployment:render',
          name: 'Render the deployment',
          input: {
            path: '.',
            commit: '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6',
            environment: 'production',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render with a registry and write the manifests into the workspace.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:deployment:render',
          name: 'Render and write the deployment',
          input: {
            path: '.',
            commit: '439ac5d',
            registry: 'registry.example.com/team-a',
            targetPath: 'rendered/production.yaml',
          },
        },
      ],
    }),
  },
];
