import { validateCatalogInfo } from './catalogInfo';
import { parseYaml } from './parseYaml';
import { formatProblem } from './problems';

function check(text: string): string[] {
  const parsed = parseYaml('catalog-info.yaml', text, { maxDocuments: 50 });
  if (!parsed.ok)
    throw new Error(parsed.problems.map(formatProblem).join('\n'));
  return validateCatalogInfo(parsed.documents).map(formatProblem);
}

const component = (spec: string, annotations = '') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: example-app\n${annotations}spec:\n${spec}`;

describe('validateCatalogInfo', () => {
  it('accepts the seed component and a second entity in the same file', () => {
    expect(
      check(
        `${component(
          "  type: service\n  lifecycle: production\n  owner: team-a\n  system: metadata-system\n  dependsOn: ['resource:example-app-db']\n  apiConsumedBy: ['component:www-artist']\n",
          "  annotations:\n    spotify.com/service-tier: '4'\n",
        )}---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: example-app-api\n`,
      ),
    ).toEqual([]);
  });

  it("explains the seed's unquoted tier", () => {
    expect(
      check(
        component(
          '  owner: team-a\n',
          '  annotations:\n    spotify.com/service-tier: 4\n',
        ),
      ),
    ).toEqual([
      'catalog-info.yaml:6:31: annotation values must be strings; quote it: \'4\' (at metadata.annotations["spotify.com/service-tier"])',
    ]);
  });

  it('refuses a tier outside 1 to 4', () => {
    expect(
      check(
        component(
          '  owner: team-a\n',
          "  annotations:\n    gitops.io/service-tier: '7'\n",
        ),
      )[0],
    ).toMatch(/:6:29: service tier must be 1, 2, 3 or 4, not "7"/);
  });

  it('refuses owners and dependencies that are not entity references', () => {
    expect(
      check(
        component(
          '  owner: "team a; rm -rf /"\n  dependsOn: [resource:ok, "../../etc"]\n',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^catalog-info\.yaml:6:10: "team a; rm -rf \/" is not an entity reference/,
      ),
      expect.stringMatching(
        /^catalog-info\.yaml:7:28: "\.\.\/\.\.\/etc" is not an entity reference/,
      ),
    ]);
  });

  it('refuses a bad name and a missing owner', () => {
    expect(
      check(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "-bad name"\nspec:\n  type: service\n',
      ),
    ).toEqual([
      expect.stringMatching(
        /^catalog-info\.yaml:4:9: "-bad name" is not a valid entity name/,
      ),
      expect.stringMatching(
        /^catalog-info\.yaml:6:3: a Component needs "owner"/,
      ),
    ]);
  });
});
