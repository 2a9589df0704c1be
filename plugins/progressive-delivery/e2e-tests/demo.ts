import { expect, test } from '@playwright/test';

const backend = 'http://localhost:7007';

/** Waits for the demo backend before a file's tests (it restarts when its sources change). */
export function waitForDemoBackend() {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(200_000);
    // A refused connection is "not yet", not a failure.
    await expect
      .poll(
        async () =>
          request.get(`${backend}/.backstage/health/v1/readiness`).then(
            res => res.status(),
            () => 0,
          ),
        { timeout: 180_000, intervals: [1_000] },
      )
      .toBe(200);
  });
}
