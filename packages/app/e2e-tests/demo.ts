import { APIRequestContext, expect } from '@playwright/test';

/**
 * The frontend dev server answers (which is what Playwright waits for) before the backend has
 * read the catalog and the clusters: wait for the backend too.
 */
export async function waitForDemoBackend(request: APIRequestContext) {
  await expect
    .poll(
      async () =>
        (
          await request.get(
            'http://localhost:7007/.backstage/health/v1/readiness',
          )
        ).status(),
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(200);
}
