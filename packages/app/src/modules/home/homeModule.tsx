import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Everything is Code

Four small files in a service's repository decide everything about it:

- **build-info.yaml**: the build pipelines, run on every push (CI/CD tab)
- **deployment-info.yaml** and **kubernetes/**: deployments with an automated
  canary (Deployment tab)
- **monitoring-info.yaml**: dashboards and alerts (Monitoring tab)
- **catalog-info.yaml**: the service's place in the [catalog graph](/catalog-graph)

### Start here

- [Create a service](/create) from a template with a few clicks; you never
  touch the YAML.
- Browse the [Software Catalog](/catalog), for example
  [example-app](/catalog/default/component/example-app).
- Check descriptors offline: \`npm run --silent gitops -- validate <repo-dir>\`.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What the suite does and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
