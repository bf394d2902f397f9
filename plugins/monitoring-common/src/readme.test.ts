import fs from 'node:fs';
import path from 'node:path';
import { loadSeed, seedContext } from './__fixtures__/seed';
import { BUNDLES, bundleQueryContext } from './bundles';
import { generateMonitoring } from './generate';

/** The README is the language's reference: it must match the code. */
const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');

describe('README', () => {
  it('documents every bundle panel with its exact PromQL and setting defaults', () => {
    for (const bundle of Object.values(BUNDLES)) {
      expect(readme).toContain(`### \`${bundle.name}\``);
      const q = bundleQueryContext('example-app', {
        extra: bundle.name === 'database' ? { pool: 'example-app-db' } : {},
      });
      for (const panel of bundle.panels) {
        expect(readme).toContain(`\`${panel.id}\` — ${panel.title}`);
        expect(readme).toContain(panel.query(q));
        for (const [key, setting] of Object.entries(panel.settings)) {
          expect(readme).toContain(`\`${key}: ${setting.default}\``);
        }
      }
    }
  });

  it('shows the exact alert expression of the seed example', () => {
    const output = generateMonitoring(loadSeed(), seedContext());
    const hydration = output.prometheusRules.groups[0].rules.find(
      r => r.alert === 'ExampleAppHydrationErrors',
    )!;
    expect(readme).toContain(`\n${hydration.expr}\n`);
  });
});
