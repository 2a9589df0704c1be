import { test, expect } from '@playwright/test';

test('the demo opens on the catalog, signed in as guest, listing the demo services', async ({
  page,
}) => {
  await page.goto('/');

  // No sign-in page in the demo configuration: the catalog comes straight up.
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The catalog opens on what the guest's team (team-a) owns; "All" lists the other team's too.
  await expect(
    page.getByRole('link', { name: 'podinfo', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'checkout', exact: true }),
  ).toHaveCount(0);
  await page.getByRole('menuitem', { name: /^All/ }).click();
  for (const name of ['podinfo', 'checkout']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.screenshot({
    path: 'test-results/screenshots/catalog.png',
    fullPage: true,
  });
});
