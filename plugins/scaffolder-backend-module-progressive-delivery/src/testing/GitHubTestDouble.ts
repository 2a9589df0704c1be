import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GitHubApi } from './github/GitHubApi';
import { GitObjectStore } from './github/GitObjectStore';
import { sendError } from './github/http';
import { PullRequests, RecordedPullRequest } from './github/PullRequests';

export type { RecordedPullRequest } from './github/PullRequests';

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

/**
 * An in-memory stand-in for the GitHub REST endpoints that `publish:github:pull-request`
 * (octokit-plugin-create-pull-request) and Backstage's GitHub UrlReader use: repository, commits,
 * contents, git blobs/trees/commits/refs, pulls and the one GraphQL query about a branch's open
 * pull requests. It keeps real git-like objects, so what a pull request changes can be read back.
 * For tests and the local demo only.
 */
export class GitHubTestDouble {
  private readonly git: GitObjectStore;
  private readonly pulls: PullRequests;
  private readonly api: GitHubApi;

  private constructor(
    private readonly host: string,
    private readonly server: http.Server,
    options: GitHubTestDoubleOptions,
  ) {
    const { owner, repo, token, defaultBranch = 'main' } = options;
    this.git = new GitObjectStore(defaultBranch);
    this.git.seed(options.files);
    this.pulls = new PullRequests(
      this.git,
      number => `${this.baseUrl}/${owner}/${repo}/pull/${number}`,
    );
    this.api = new GitHubApi(
      { owner, repo, defaultBranch, token },
      this.git,
      this.pulls,
      () => this.baseUrl,
    );
  }

  static async start(
    options: GitHubTestDoubleOptions,
  ): Promise<GitHubTestDouble> {
    const { host = '127.0.0.1', port = 0 } = options;
    const server = http.createServer();
    const double = new GitHubTestDouble(host, server, options);
    server.on('request', (req, res) => {
      double.api.handle(req, res).catch(error => sendError(res, error));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return double;
  }

  /** `http://host:port`, where pull request pages are served. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${this.host}:${port}`;
  }

  /** The value for `integrations.github[].apiBaseUrl`. */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api/v3`;
  }

  get pullRequests(): readonly RecordedPullRequest[] {
    return this.pulls.all;
  }

  /** `METHOD /path` of every API call received, in order. */
  get receivedRequests(): readonly string[] {
    return this.api.requests;
  }

  /** A file's text on a branch, or undefined. */
  readFile(branch: string, path: string): string | undefined {
    return this.git.readFile(branch, path);
  }

  /** Merges an open pull request whose base has not moved since it was opened. */
  mergePullRequest(number: number): void {
    this.pulls.merge(number);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server.close(error => (error ? reject(error) : resolve())),
    );
  }
}
