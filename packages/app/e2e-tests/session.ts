import { expect, Page } from '@playwright/test';

/** Where every browser test writes its screenshots (ignored by git). */
export const shots = 'test-results/e2e/screens';

/** Signs in with the guest provider and waits for the sidebar. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}
