// Playwright's web server check only sees the frontend dev server, which answers before the
// backend listens; the first test then met ECONNREFUSED on :7007. Every browser test starts
// only once the backend is ready too.
const readiness = 'http://localhost:7007/.backstage/health/v1/readiness';
const deadlineMs = 300_000;

export default async function waitForDemoBackend(): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(readiness);
      if (res.ok) {
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (error) {
      // A refused connection means "not yet".
      last = String((error as Error).cause ?? error);
    }
    await new Promise(resolve => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `The demo backend was not ready after ${
      deadlineMs / 1000
    } s (${readiness}: ${last})`,
  );
}
