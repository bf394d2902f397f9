import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as team-a/my-service on the local git hosting.',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:githost',
          name: 'Publish',
          input: {
            repoUrl: 'localhost:7007?owner=team-a&repo=my-service',
            description: 'My new service',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish one folder of the workspace to a main branch, with its own commit message and author.',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:githost',
          name: 'Publish the service folder',
          input: {
            repoUrl: 'localhost:7007?owner=team-b&repo=web',
            sourcePath: 'service',
            defaultBranch: 'main',
            gitCommitMessage: 'Create web from the template',
            gitAuthorName: 'Jane Doe',
            gitAuthorEmail: 'jane@example.com',
          },
        },
      ],
    }),
  },
];
