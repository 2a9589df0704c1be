import http from 'node:http';
import { GitObjectStore } from './GitObjectStore';
import { HttpError, JsonBody, readJson, sendJson } from './http';
import { PullRequests } from './PullRequests';
import { pullRequestPage } from './pullRequestPage';

/** The repository the double serves, and the token it wants (none: any). */
export interface ServedRepository {
  owner: string;
  repo: string;
  defaultBranch: string;
  token?: string;
}

interface ApiCall {
  req: http.IncomingMessage;
  url: URL;
  /** The route pattern's groups. */
  params: string[];
  body: JsonBody;
}

type Reply =
  | { status: number; json: unknown }
  | { status: number; headers: http.OutgoingHttpHeaders; raw?: Buffer };

/** A REST endpoint below `/repos/<owner>/<repo>`. */
interface Route {
  methods: string[];
  path: RegExp;
  reply(call: ApiCall): Reply;
}

const json = (status: number, body: unknown): Reply => ({ status, json: body });
const route = (
  methods: string | string[],
  path: RegExp,
  reply: Route['reply'],
): Route => ({ methods: [methods].flat(), path, reply });

/**
 * The HTTP side of the double: GitHub's REST paths (with or without the `/api/v3` prefix of GitHub
 * Enterprise), the GraphQL query about a branch's pull request, and a page per pull request.
 */
export class GitHubApi {
  /** `METHOD /path` of every API call received, in order. */
  readonly requests: string[] = [];
  private readonly routes: Route[];

  constructor(
    private readonly served: ServedRepository,
    private readonly git: GitObjectStore,
    private readonly pulls: PullRequests,
    private readonly baseUrl: () => string,
  ) {
    this.routes = [...this.gitRoutes(), ...this.pullRoutes()];
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.baseUrl());
    const method = req.method ?? 'GET';
    const { owner, repo } = this.served;
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
    const reply = this.reply(method, path, { req, url, params: [], body });
    if ('json' in reply) {
      sendJson(res, reply.status, reply.json);
    } else {
      res.writeHead(reply.status, reply.headers);
      res.end(reply.raw);
    }
  }

  private reply(method: string, path: string, call: ApiCall): Reply {
    if (method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
      const variables = (call.body.variables ?? {}) as Record<string, string>;
      return json(200, this.pulls.branchQuery(variables.head));
    }
    const prefix = `/repos/${this.served.owner}/${this.served.repo}`;
    if (!path.startsWith(prefix)) {
      throw new HttpError(404, 'Not Found');
    }
    const rest = path.slice(prefix.length);
    for (const { methods, path: pattern, reply } of this.routes) {
      const match = methods.includes(method) ? pattern.exec(rest) : null;
      if (match) {
        return reply({ ...call, params: match.slice(1) });
      }
    }
    throw new HttpError(404, `Not Found: ${method} ${path}`);
  }

  /** The repository, commits, contents and the git data API (blobs, trees, commits, refs). */
  private gitRoutes(): Route[] {
    const { git } = this;
    return [
      route('GET', /^$/, () => json(200, this.repository())),
      route('GET', /^\/commits$/, ({ url }) =>
        json(200, this.listCommits(url.searchParams.get('sha'))),
      ),
      route(['GET', 'HEAD'], /^\/contents\/(.*)$/, call => this.contents(call)),
      route('POST', /^\/git\/blobs$/, ({ body }) => {
        const encoding = body.encoding === 'base64' ? 'base64' : 'utf8';
        const content = Buffer.from(String(body.content), encoding);
        return json(201, { sha: git.createBlob(content) });
      }),
      route('POST', /^\/git\/trees$/, ({ body }) => {
        const entries = (body.tree ?? []) as JsonBody[];
        const sha = git.createTree(
          body.base_tree ? String(body.base_tree) : undefined,
          entries.map(entry => ({
            path: String(entry.path),
            content:
              typeof entry.content === 'string' ? entry.content : undefined,
            sha: entry.sha === null ? null : String(entry.sha),
          })),
        );
        return json(201, { sha });
      }),
      route('POST', /^\/git\/commits$/, ({ body }) => {
        const tree = String(body.tree);
        const parents = ((body.parents ?? []) as unknown[]).map(String);
        const message = String(body.message ?? '');
        const sha = git.createCommit({ tree, parents, message });
        return json(201, {
          sha,
          tree: { sha: tree },
          parents: parents.map(p => ({ sha: p })),
        });
      }),
      route('POST', /^\/git\/refs$/, ({ body }) => {
        const ref = String(body.ref).replace(/^refs\//, '');
        git.createRef(ref, String(body.sha));
        return json(201, {
          ref: `refs/${ref}`,
          object: { sha: body.sha, type: 'commit' },
        });
      }),
      route('PATCH', /^\/git\/refs\/(heads\/.+)$/, ({ params, body }) => {
        git.updateRef(params[0], String(body.sha));
        return json(200, {
          ref: `refs/${params[0]}`,
          object: { sha: body.sha },
        });
      }),
    ];
  }

  /** Opening, reading, editing and merging pull requests. */
  private pullRoutes(): Route[] {
    const { pulls } = this;
    const optional = (value: unknown) =>
      value === undefined || value === null ? undefined : String(value);
    return [
      route('POST', /^\/pulls$/, ({ body }) => {
        const pr = pulls.open({
          title: String(body.title ?? ''),
          body: String(body.body ?? ''),
          head: String(body.head).replace(/^[^:]+:/, ''),
          base: String(body.base ?? this.served.defaultBranch),
          draft: body.draft === true,
        });
        return json(201, pulls.toJson(pr));
      }),
      route('GET', /^\/pulls\/(\d+)$/, ({ params }) =>
        json(200, pulls.toJson(pulls.get(Number(params[0])))),
      ),
      route('PATCH', /^\/pulls\/(\d+)$/, ({ params, body }) => {
        const pr = pulls.update(Number(params[0]), {
          title: optional(body.title),
          body: optional(body.body),
        });
        return json(200, pulls.toJson(pr));
      }),
      route('PUT', /^\/pulls\/(\d+)\/merge$/, ({ params }) => {
        pulls.merge(Number(params[0]));
        return json(200, { merged: true });
      }),
    ];
  }

  private authorize(req: http.IncomingMessage) {
    const { token } = this.served;
    if (!token) {
      return;
    }
    const header = req.headers.authorization ?? '';
    if (header !== `token ${token}` && header !== `Bearer ${token}`) {
      throw new HttpError(401, 'Bad credentials');
    }
  }

  private repository() {
    const { owner, repo, defaultBranch } = this.served;
    return {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { login: owner },
      private: true,
      default_branch: defaultBranch,
      html_url: `${this.baseUrl()}/${owner}/${repo}`,
      permissions: { admin: false, push: true, pull: true },
    };
  }

  private listCommits(ref: string | null) {
    const sha = this.git.resolve(ref);
    const commit = this.git.commit(sha);
    return [
      { sha, commit: { message: commit.message, tree: { sha: commit.tree } } },
    ];
  }

  /** A file as base64 JSON, or its bytes when the client asks for the raw media type. */
  private contents({ req, url, params }: ApiCall): Reply {
    const path = decodeURIComponent(params[0]);
    const commit = this.git.resolve(url.searchParams.get('ref'));
    const blob = this.git.fileBlob(commit, path);
    if (!blob) {
      throw new HttpError(404, 'Not Found');
    }
    const content = this.git.blob(blob)!;
    if ((req.headers.accept ?? '').includes('raw')) {
      return {
        status: 200,
        headers: { 'content-type': 'text/plain', etag: `"${blob}"` },
        raw: req.method === 'HEAD' ? undefined : content,
      };
    }
    return json(200, {
      type: 'file',
      encoding: 'base64',
      path,
      name: path.split('/').pop(),
      sha: blob,
      size: content.length,
      content: content.toString('base64'),
    });
  }

  private sendPullRequestPage(res: http.ServerResponse, number: number) {
    const pr = this.pulls.all.find(p => p.number === number);
    if (!pr) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('No such pull request');
      return;
    }
    const { owner, repo } = this.served;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(pullRequestPage(`${owner}/${repo}`, pr));
  }
}
