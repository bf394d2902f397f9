import fs from 'node:fs';
import path from 'node:path';
import { formatProblem } from '@gitops/descriptors-common';
import { generated, loadSeed, seedContext } from './__fixtures__/seed';
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
    const output = generated(loadSeed(), seedContext());
    const hydration = output.prometheusRules.groups[0].rules.find(
      r => r.alert === 'ExampleAppHydrationErrors',
    )!;
    expect(readme).toContain(`\n${hydration.expr}\n`);
  });

  it("shows the seed's dashboard uid and the owner problem as the generator makes them", () => {
    expect(readme).toContain(`\`${generated(loadSeed()).dashboards[0].uid}\``);
    const result = generateMonitoring(
      loadSeed(),
      seedContext({ owner: '../../etc/passwd' }),
    );
    expect(result.ok).toBe(false);
    for (const problem of result.ok ? [] : result.problems) {
      expect(readme).toContain(`\n${formatProblem(problem)}\n`);
    }
  });

  it('names every source file in its map of the package', () => {
    const sources = (dir: string): string[] =>
      fs
        .readdirSync(path.join(__dirname, dir), { withFileTypes: true })
        .flatMap(e => {
          if (e.isDirectory()) {
            return e.name.startsWith('__') ? [] : sources(`${dir}${e.name}/`);
          }
          return /\.test\.ts$|^index\.ts$/.test(e.name)
            ? []
            : [`${dir}${e.name}`];
        });
    // `src/x.ts` for a file at the top, `src/dir/` and `x.ts` for one in a folder.
    const names = sources('').flatMap(file => {
      const [folder, name] = file.split('/');
      return name ? [`\`src/${folder}/\``, `\`${name}\``] : [`\`src/${file}\``];
    });
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(readme).toContain(name);
  });
});
