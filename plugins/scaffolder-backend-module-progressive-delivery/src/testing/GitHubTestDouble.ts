import { createHash } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A pull request the double received. */
export interface RecordedPullRequest {
  number: number;
  title: string;
  body: string;
  /** Branch name, without the `owner:` prefix. */
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  htmlUrl: string;
  /** Files the head branch adds or changes against the base, path -> text. */
  changedFiles: Record<string, string>;
}

export interface GitHubTestDoubleOptions {
  owner: string;
  repo: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** The default branch's files, path -> text. */
  files: Record<string, string>;
  /** When set, every API call must carry it as `token <t>` or `Bearer <t>`. */
  token?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

type Tree = Map<string, string>;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * An in-memory stand-in for the GitHub REST endpoints that `publish:github:pull-request`
 * (octokit-plugin-create-pull-request) and Backstage's GitHub UrlReader use: repository, commits,
 * contents, git blobs/trees/commits/refs, pulls and the one GraphQL query about a branch's open
 * pull requests. It keeps real git-like objects, so what a pull request changes can be read back.
 * For tests and the local demo only.
 */
export class GitHubTestDouble {
  private readonly blobs = new Map<string, Buffer>();
  private readonly trees = new Map<string, Tree>();
  private readonly commits = new Map<string, Commit>();
  private readonly refs = new Map<string, string>();
  private readonly pulls: RecordedPullRequest[] = [];
  private readonly requests: string[] = [];

  private constructor(
    private readonly options: Required<Omit<GitHubTestDoubleOptions, 'token'>> &
      Pick<GitHubTestDoubleOptions, 'token'>,
    private readonly server: http.Server,
  ) {}

  static async start(
    options: GitHubTestDoubleOptions,
  ): Promise<GitHubTestDouble> {
    const server = http.createServer();
    const double = new GitHubTestDouble(
      {
        defaultBranch: 'main',
        port: 0,
        host: '127.0.0.1',
        ...options,
      },
      server,
    );
    double.seed(options.files);
    server.on('request', (req, res) => {
      double.handle(req, res).catch(error => {
        const status = error instanceof HttpError ? error.status : 500;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error.message ?? error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(double.options.port, double.options.host, resolve);
    });
    return double;
  }

  /** `http://host:port`, where pull request pages are served. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${this.options.host}:${port}`;
  }

  /** The value for `integrations.github[].apiBaseUrl`. */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api/v3`;
  }

  get pullRequests(): readonly RecordedPullRequest[] {
    return this.pulls;
  }

  /** `METHOD /path` of every API call received, in order. */
  get receivedRequests(): readonly string[] {
    return this.requests;
  }

  /** A file's text on a branch, or undefined. */
  readFile(branch: string, path: string): string | undefined {
    const commit = this.refs.get(`heads/${branch}`);
    const blob = commit && this.treeOf(commit).get(path);
    return blob ? this.blobs.get(blob)?.toString('utf8') : undefined;
  }

  /** Merges an open pull request whose base has not moved since it was opened. */
  mergePullRequest(number: number): void {
    const pr = this.pulls.find(p => p.number === number);
    if (!pr || pr.state !== 'open') {
      throw new HttpError(404, `No open pull request #${number}`);
    }
    const head = this.refs.get(`heads/${pr.head}`)!;
    const base = this.refs.get(`heads/${pr.base}`)!;
    if (!this.ancestors(head).has(base)) {
      throw new HttpError(405, 'Base branch was modified; rebase first');
    }
    this.refs.set(`heads/${pr.base}`, head);
    pr.state = 'closed';
    pr.merged = true;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server.close(error => (error ? reject(error) : resolve())),
    );
  }

  private seed(files: Record<string, string>) {
    const tree: Tree = new Map();
    for (const [path, text] of Object.entries(files)) {
      tree.set(path, this.putBlob(Buffer.from(text, 'utf8')));
    }
    const commit = this.putCommit({
      tree: this.putTree(tree),
      parents: [],
      message: 'Initial commit',
    });
    this.refs.set(`heads/${this.options.defaultBranch}`, commit);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const { owner, repo } = this.options;
    const page = new RegExp(`^/${owner}/${repo}/pull/(\\d+)$`).exec(
      url.pathname,
    );
    if (method === 'GET' && page) {
      this.sendPullRequestPage(res, Number(page[1]));
      return;
    }
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    this.requests.push(`${method} ${path}`);
    this.authorize(req);
    const body =
      method === 'GET' || method === 'HEAD' ? {} : await readJson(req);

    if (method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
      this.send(res, 200, this.graphql(body));
      return;
    }
    const prefix = `/repos/${owner}/${repo}`;
    if (!path.startsWith(prefix)) {
      throw new HttpError(404, 'Not Found');
    }
    const rest = path.slice(prefix.length);
    const route = `${method} ${rest.replace(/^\/contents\/.*/, '/contents/*')}`;
    switch (route) {
      case 'GET ':
        this.send(res, 200, this.repository());
        return;
      case 'GET /commits':
        this.send(res, 200, this.listCommits(url.searchParams.get('sha')));
        return;
      case 'GET /contents/*':
      case 'HEAD /contents/*':
        this.sendContents(req, res, rest, url.searchParams.get('ref'));
        return;
      case 'POST /git/blobs':
        this.send(res, 201, this.createBlob(body));
        return;
      case 'POST /git/trees':
        this.send(res, 201, this.createTree(body));
        return;
      case 'POST /git/commits':
        this.send(res, 201, this.createCommit(body));
        return;
      case 'POST /git/refs':
        this.send(res, 201, this.createRef(body));
        return;
      case 'POST /pulls':
        this.send(res, 201, this.createPull(body));
        return;
      default:
    }
    const refMatch = /^\/git\/refs\/(heads\/.+)$/.exec(rest);
    if (method === 'PATCH' && refMatch) {
      this.refs.set(refMatch[1], String(body.sha));
      this.send(res, 200, {
        ref: `refs/${refMatch[1]}`,
        object: { sha: body.sha },
      });
      return;
    }
    const pullMatch = /^\/pulls\/(\d+)(\/merge)?$/.exec(rest);
    if (pullMatch && method === 'PUT' && pullMatch[2]) {
      this.mergePullRequest(Number(pullMatch[1]));
      this.send(res, 200, { merged: true });
      return;
    }
    if (
      pullMatch &&
      !pullMatch[2] &&
      (method === 'GET' || method === 'PATCH')
    ) {
      const pr = this.pulls.find(p => p.number === Number(pullMatch[1]));
      if (!pr) {
        throw new HttpError(404, 'Not Found');
      }
      if (method === 'PATCH') {
        pr.title = String(body.title ?? pr.title);
        pr.body = String(body.body ?? pr.body);
        pr.changedFiles = this.changedFiles(pr.base, pr.head);
      }
      this.send(res, 200, this.pullJson(pr));
      return;
    }
    throw new HttpError(404, `Not Found: ${method} ${path}`);
  }

  private authorize(req: http.IncomingMessage) {
    const { token } = this.options;
    if (!token) {
      return;
    }
    const header = req.headers.authorization ?? '';
    if (header !== `token ${token}` && header !== `Bearer ${token}`) {
      throw new HttpError(401, 'Bad credentials');
    }
  }

  private repository() {
    const { owner, repo, defaultBranch } = this.options;
    return {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { login: owner },
      private: true,
      default_branch: defaultBranch,
      html_url: `${this.baseUrl}/${owner}/${repo}`,
      permissions: { admin: false, push: true, pull: true },
    };
  }

  private resolve(ref: string | null): string {
    const name = ref ?? this.options.defaultBranch;
    const sha =
      this.refs.get(`heads/${name.replace(/^(refs\/)?heads\//, '')}`) ??
      (this.commits.has(name) ? name : undefined);
    if (!sha) {
      throw new HttpError(404, `No commit found for ${name}`);
    }
    return sha;
  }

  private listCommits(ref: string | null) {
    const sha = this.resolve(ref);
    const commit = this.commits.get(sha)!;
    return [
      { sha, commit: { message: commit.message, tree: { sha: commit.tree } } },
    ];
  }

  private sendContents(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rest: string,
    ref: string | null,
  ) {
    const path = decodeURIComponent(rest.slice('/contents/'.length));
    const blob = this.treeOf(this.resolve(ref)).get(path);
    if (!blob) {
      throw new HttpError(404, 'Not Found');
    }
    const content = this.blobs.get(blob)!;
    if ((req.headers.accept ?? '').includes('raw')) {
      res.writeHead(200, { 'content-type': 'text/plain', etag: `"${blob}"` });
      res.end(req.method === 'HEAD' ? undefined : content);
      return;
    }
    this.send(res, 200, {
      type: 'file',
      encoding: 'base64',
      path,
      name: path.split('/').pop(),
      sha: blob,
      size: content.length,
      content: content.toString('base64'),
    });
  }

  private createBlob(body: Record<string, unknown>) {
    const encoding = body.encoding === 'base64' ? 'base64' : 'utf8';
    return { sha: this.putBlob(Buffer.from(String(body.content), encoding)) };
  }

  private createTree(body: Record<string, unknown>) {
    const tree: Tree = new Map(
      body.base_tree ? this.trees.get(String(body.base_tree)) : undefined,
    );
    for (const entry of (body.tree ?? []) as Record<string, unknown>[]) {
      const path = String(entry.path);
      if (entry.sha === null) {
        tree.delete(path);
      } else if (typeof entry.content === 'string') {
        tree.set(path, this.putBlob(Buffer.from(entry.content, 'utf8')));
      } else if (this.blobs.has(String(entry.sha))) {
        tree.set(path, String(entry.sha));
      } else {
        throw new HttpError(422, `Unknown blob for ${path}`);
      }
    }
    return { sha: this.putTree(tree) };
  }

  private createCommit(body: Record<string, unknown>) {
    const tree = String(body.tree);
    if (!this.trees.has(tree)) {
      throw new HttpError(422, 'Tree not found');
    }
    const parents = ((body.parents ?? []) as unknown[]).map(String);
    const sha = this.putCommit({
      tree,
      parents,
      message: String(body.message ?? ''),
    });
    return {
      sha,
      tree: { sha: tree },
      parents: parents.map(p => ({ sha: p })),
    };
  }

  private createRef(body: Record<string, unknown>) {
    const ref = String(body.ref).replace(/^refs\//, '');
    if (this.refs.has(ref)) {
      throw new HttpError(422, 'Reference already exists');
    }
    if (!this.commits.has(String(body.sha))) {
      throw new HttpError(422, 'Object does not exist');
    }
    this.refs.set(ref, String(body.sha));
    return { ref: `refs/${ref}`, object: { sha: body.sha, type: 'commit' } };
  }

  private createPull(body: Record<string, unknown>) {
    const head = String(body.head).replace(/^[^:]+:/, '');
    const base = String(body.base ?? this.options.defaultBranch);
    if (!this.refs.has(`heads/${head}`)) {
      throw new HttpError(422, `Head branch ${head} does not exist`);
    }
    if (this.pulls.some(p => p.head === head && p.state === 'open')) {
      throw new HttpError(422, `A pull request already exists for ${head}`);
    }
    const number = this.pulls.length + 1;
    const pr: RecordedPullRequest = {
      number,
      title: String(body.title ?? ''),
      body: String(body.body ?? ''),
      head,
      base,
      draft: body.draft === true,
      state: 'open',
      merged: false,
      htmlUrl: `${this.baseUrl}/${this.options.owner}/${this.options.repo}/pull/${number}`,
      changedFiles: this.changedFiles(base, head),
    };
    this.pulls.push(pr);
    return this.pullJson(pr);
  }

  private pullJson(pr: RecordedPullRequest) {
    return {
      number: pr.number,
      title: pr.title,
      body: pr.body,
      state: pr.state,
      merged: pr.merged,
      draft: pr.draft,
      html_url: pr.htmlUrl,
      head: { ref: pr.head, sha: this.refs.get(`heads/${pr.head}`) },
      base: { ref: pr.base, sha: this.refs.get(`heads/${pr.base}`) },
    };
  }

  /** Answers octokit-plugin-create-pull-request's query for a branch and its open pull request. */
  private graphql(body: Record<string, unknown>) {
    const variables = (body.variables ?? {}) as Record<string, string>;
    const head = variables.head;
    const exists = head !== undefined && this.refs.has(`heads/${head}`);
    const open = this.pulls.find(p => p.head === head && p.state === 'open');
    return {
      data: {
        repository: {
          ref: exists
            ? {
                associatedPullRequests: {
                  edges: open
                    ? [
                        {
                          node: {
                            id: `PR_${open.number}`,
                            number: open.number,
                            url: open.htmlUrl,
                          },
                        },
                      ]
                    : [],
                },
              }
            : null,
        },
      },
    };
  }

  private changedFiles(base: string, head: string): Record<string, string> {
    const before = this.treeOf(this.resolve(base));
    const after = this.treeOf(this.resolve(head));
    const changed: Record<string, string> = {};
    for (const [path, blob] of [...after.entries()].sort()) {
      if (before.get(path) !== blob) {
        changed[path] = this.blobs.get(blob)!.toString('utf8');
      }
    }
    return changed;
  }

  private sendPullRequestPage(res: http.ServerResponse, number: number) {
    const pr = this.pulls.find(p => p.number === number);
    if (!pr) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('No such pull request');
      return;
    }
    const files = Object.entries(pr.changedFiles)
      .map(
        ([path, text]) =>
          `<h3>${escapeHtml(path)}</h3><pre>${escapeHtml(text)}</pre>`,
      )
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><title>${escapeHtml(
        pr.title,
      )}</title></head><body><p>GitHub test double: ${escapeHtml(
        `${this.options.owner}/${this.options.repo}`,
      )} pull request #${pr.number} (${
        pr.merged ? 'merged' : pr.state
      }, ${escapeHtml(pr.head)} into ${escapeHtml(
        pr.base,
      )})</p><h1>${escapeHtml(pr.title)}</h1><pre>${escapeHtml(
        pr.body,
      )}</pre><h2>Files</h2>${files}</body></html>`,
    );
  }

  private send(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private treeOf(commitSha: string): Tree {
    return this.trees.get(this.commits.get(commitSha)!.tree)!;
  }

  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length) {
      const next = queue.pop()!;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(...(this.commits.get(next)?.parents ?? []));
      }
    }
    return seen;
  }

  private putBlob(content: Buffer): string {
    const sha = gitHash('blob', content);
    this.blobs.set(sha, content);
    return sha;
  }

  private putTree(tree: Tree): string {
    const sha = gitHash(
      'tree',
      Buffer.from(JSON.stringify([...tree.entries()].sort())),
    );
    this.trees.set(sha, tree);
    return sha;
  }

  private putCommit(commit: Commit): string {
    // Commits with equal content stay distinct, as git's timestamps would make them.
    const sha = gitHash(
      'commit',
      Buffer.from(JSON.stringify([commit, this.commits.size])),
    );
    this.commits.set(sha, commit);
    return sha;
  }
}

function gitHash(type: string, content: Buffer): string {
  return createHash('sha1')
    .update(`${type} ${content.length}\0`)
    .update(content)
    .digest('hex');
}

async function readJson(
  req: http.IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
