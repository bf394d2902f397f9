import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import pipelinesPlugin from '@gitops/plugin-pipelines/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { scaffolderModule } from './modules/scaffolder';
import { catalogModule } from './modules/catalog';

export default createApp({
  features: [
    catalogPlugin,
    pipelinesPlugin,
    navModule,
    homeModule,
    scaffolderModule,
    catalogModule,
  ],
});
