import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validate the descriptors of the repository at the workspace root.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'gitops:descriptors:validate',
          name: 'Validate descriptors',
          input: { path: '.' },
        },
      ],
    }),
  },
];
