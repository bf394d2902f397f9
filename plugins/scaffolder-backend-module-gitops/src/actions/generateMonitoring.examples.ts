import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Generate dashboards, alert rules and routes into generated/monitoring.',
    example: yaml.stringify({
      steps: [
        {
          id: 'monitoring',
          action: 'gitops:monitoring:generate',
          name: 'Generate monitoring',
          input: { path: '.', targetPath: 'generated/monitoring' },
        },
      ],
    }),
  },
];
