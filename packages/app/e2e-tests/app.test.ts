import { test, expect } from '@playwright/test';

const backend = 'http://localhost:7007';

test.beforeAll(async ({ request }) => {
  // The frontend dev server answers before the backend has read the catalog: wait for both.
  await expect
    .poll(
      async () =>
        (
          await request.get(`${backend}/.backstage/health/v1/readiness`)
        ).status(),
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(200);
});

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

  for (const name of ['podinfo', 'checkout']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.screenshot({
    path: 'test-results/screenshots/catalog.png',
    fullPage: true,
  });
});
