import { expect, Page } from '@playwright/test';
import { shots } from './session';

/** Fills a template's form, runs it and opens the new component. */
export async function createService(
  page: Page,
  options: { template: string; name: string; tick?: string; shot: string },
) {
  await page.goto('/create');
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(options.template, { exact: true }) });
  await card
    .getByRole('button', { name: /choose/i })
    .first()
    .click();
  await expect(
    page.getByRole('heading', { name: options.template }),
  ).toBeVisible();
  await page.screenshot({ path: `${shots}/${options.shot}-1-form.png` });

  await page.getByLabel('Name', { exact: false }).first().fill(options.name);
  await page
    .getByLabel('Description', { exact: false })
    .first()
    .fill(`${options.name} created by the browser test`);
  const owner = page.getByLabel('Owner', { exact: false }).first();
  await owner.click();
  await owner.fill('Team A');
  await page
    .getByRole('option', { name: /Team A|team-a/ })
    .first()
    .click();
  const system = page.getByLabel('System', { exact: false }).first();
  await system.click();
  await system.fill('metadata-system');
  await page
    .getByRole('option', { name: /metadata-system/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  if (options.tick) {
    // A second page of template-specific choices.
    await page.getByLabel(options.tick, { exact: false }).first().check();
    await page.getByRole('button', { name: 'Next' }).click();
  }

  // The repository step: the local git hosting is the default host.
  const repoOwner = page.getByLabel('Owner', { exact: false }).first();
  await repoOwner.click();
  await repoOwner.pressSequentially('team-a');
  const repoName = page.getByLabel('Repository', { exact: false }).first();
  await repoName.click();
  await repoName.pressSequentially(options.name);
  // A free-text autocomplete: the value counts once the field is left.
  await repoName.press('Tab');
  await expect(repoName).toHaveValue(options.name);
  await page.screenshot({ path: `${shots}/${options.shot}-2-repository.png` });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText('Open in catalog')).toBeVisible({
    timeout: 120_000,
  });
  await page.screenshot({
    path: `${shots}/${options.shot}-3-done.png`,
    fullPage: true,
  });
  await page.getByText('Open in catalog').click();
  // The catalog processes a newly registered location shortly after.
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible()) {
      await page.reload();
    }
    await expect(page.getByText('Entity not found')).toHaveCount(0);
    await expect(page.getByText('Relations').first()).toBeVisible();
  }).toPass({ timeout: 90_000, intervals: [2_000] });
}
