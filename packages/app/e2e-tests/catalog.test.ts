import { test, expect } from '@playwright/test';
import { shots, signInAsGuest } from './session';

test('a guest finds example-app in the catalog and opens its page', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(page.getByText('Everything is Code').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/01-home.png` });

  await page
    .getByRole('link', { name: 'Catalog', exact: true })
    .first()
    .click();
  const row = page.getByRole('row').filter({ hasText: 'example-app' });
  // The catalog ingests the examples shortly after a fresh start.
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText('Team A'); // the owner group's display name
  await page.screenshot({ path: `${shots}/02-catalog.png` });

  await row.getByRole('link', { name: 'example-app' }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/example-app/);
  await expect(
    page.getByRole('heading', { name: 'example-app' }),
  ).toBeVisible();
  const about = page.locator('article, section, div').filter({
    has: page.getByRole('heading', { name: 'About' }),
  });
  await expect(about.getByText('Artist Lookup').first()).toBeVisible();
  await expect(about.getByText('metadata-system').first()).toBeVisible();
  await page.screenshot({
    path: `${shots}/03-example-app.png`,
    fullPage: true,
  });
});
