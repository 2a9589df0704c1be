import { setupServer } from 'msw/node';
import { GitHubTestDouble } from './GitHubTestDouble';

// Lets the requests reach the local double past the test setup's network guard.
const server = setupServer();

describe('GitHubTestDouble', () => {
  let double: GitHubTestDouble;
  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => server.close());
  beforeEach(async () => {
    double = await GitHubTestDouble.start({
      owner: 'acme',
      repo: 'gitops',
      token: 'secret',
      files: { 'a.yaml': 'a: 1\n' },
    });
  });
  afterEach(() => double.stop());

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${double.apiBaseUrl}${path}`, {
      ...init,
      headers: {
        authorization: 'token secret',
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  const post = async (path: string, body: object) =>
    (await api(path, { method: 'POST', body: JSON.stringify(body) })).json();

  /** Commits `files` on top of `branch` (or of main when creating it) through the git data API. */
  async function commit(
    branch: string,
    files: Record<string, string>,
    create: boolean,
  ) {
    const [latest] = await (
      await api(`/repos/acme/gitops/commits?sha=${create ? 'main' : branch}`)
    ).json();
    const tree = await post('/repos/acme/gitops/git/trees', {
      base_tree: latest.commit.tree.sha,
      tree: Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644',
        content,
      })),
    });
    const next = await post('/repos/acme/gitops/git/commits', {
      message: 'change',
      tree: tree.sha,
      parents: [latest.sha],
    });
    if (create) {
      await post('/repos/acme/gitops/git/refs', {
        ref: `refs/heads/${branch}`,
        sha: next.sha,
      });
    } else {
      await api(`/repos/acme/gitops/git/refs/heads/${branch}`, {
        method: 'PATCH',
        body: JSON.stringify({ sha: next.sha }),
      });
    }
  }

  it('refuses calls without the token', async () => {
    const response = await fetch(`${double.apiBaseUrl}/repos/acme/gitops`);
    expect(response.status).toBe(401);
  });

  it('serves file contents raw or as base64 JSON, and 404 for missing files', async () => {
    const raw = await api('/repos/acme/gitops/contents/a.yaml?ref=main', {
      headers: { accept: 'application/vnd.github.v3.raw' },
    });
    expect(await raw.text()).toBe('a: 1\n');
    const json = await (
      await api('/repos/acme/gitops/contents/a.yaml?ref=main')
    ).json();
    expect(Buffer.from(json.content, 'base64').toString()).toBe('a: 1\n');
    expect(
      (await api('/repos/acme/gitops/contents/b.yaml?ref=main')).status,
    ).toBe(404);
  });

  it('records a pull request with what it changes and merges it', async () => {
    await commit('feature', { 'b.yaml': 'b: 2\n' }, true);
    const pr = await post('/repos/acme/gitops/pulls', {
      head: 'acme:feature',
      base: 'main',
      title: 'Add b',
      body: 'Adds b.',
    });
    expect(pr.number).toBe(1);
    expect(double.pullRequests[0]).toMatchObject({
      head: 'feature',
      title: 'Add b',
      changedFiles: { 'b.yaml': 'b: 2\n' },
    });
    const page = await fetch(pr.html_url);
    expect(await page.text()).toContain('<h1>Add b</h1>');

    const merge = await api('/repos/acme/gitops/pulls/1/merge', {
      method: 'PUT',
    });
    expect(merge.status).toBe(200);
    expect(double.readFile('main', 'b.yaml')).toBe('b: 2\n');
    expect(double.pullRequests[0]).toMatchObject({
      state: 'closed',
      merged: true,
    });
  });

  it('refuses to merge when the base branch has moved on', async () => {
    await commit('feature', { 'b.yaml': 'b: 2\n' }, true);
    await post('/repos/acme/gitops/pulls', {
      head: 'feature',
      base: 'main',
      title: 't',
    });
    await commit('main', { 'c.yaml': 'c: 3\n' }, false);
    expect(() => double.mergePullRequest(1)).toThrow(
      'Base branch was modified; rebase first',
    );
    expect(double.readFile('main', 'b.yaml')).toBeUndefined();
  });
});
