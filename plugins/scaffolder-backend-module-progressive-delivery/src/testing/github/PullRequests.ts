import { GitObjectStore } from './GitObjectStore';
import { HttpError } from './http';

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

/** The repository's pull requests: opened, edited and merged against its git objects. */
export class PullRequests {
  private readonly pulls: RecordedPullRequest[] = [];

  constructor(
    private readonly git: GitObjectStore,
    /** The page of pull request `number`. */
    private readonly htmlUrl: (number: number) => string,
  ) {}

  get all(): readonly RecordedPullRequest[] {
    return this.pulls;
  }

  /** Pull request `number`, or a 404. */
  get(number: number): RecordedPullRequest {
    const pr = this.pulls.find(p => p.number === number);
    if (!pr) {
      throw new HttpError(404, 'Not Found');
    }
    return pr;
  }

  /** The open pull request of a head branch, if any. */
  openFor(head: string): RecordedPullRequest | undefined {
    return this.pulls.find(p => p.head === head && p.state === 'open');
  }

  open(request: {
    title: string;
    body: string;
    head: string;
    base: string;
    draft: boolean;
  }): RecordedPullRequest {
    const { title, body, head, base, draft } = request;
    if (!this.git.hasBranch(head)) {
      throw new HttpError(422, `Head branch ${head} does not exist`);
    }
    if (this.openFor(head)) {
      throw new HttpError(422, `A pull request already exists for ${head}`);
    }
    const number = this.pulls.length + 1;
    const pr: RecordedPullRequest = {
      number,
      title,
      body,
      head,
      base,
      draft,
      state: 'open',
      merged: false,
      htmlUrl: this.htmlUrl(number),
      changedFiles: this.git.changedFiles(base, head),
    };
    this.pulls.push(pr);
    return pr;
  }

  /** Edits the title and body, and reads again what the head branch changes. */
  update(
    number: number,
    changes: { title?: string; body?: string },
  ): RecordedPullRequest {
    const pr = this.get(number);
    pr.title = changes.title ?? pr.title;
    pr.body = changes.body ?? pr.body;
    pr.changedFiles = this.git.changedFiles(pr.base, pr.head);
    return pr;
  }

  /** Merges an open pull request whose base has not moved since it was opened. */
  merge(number: number): void {
    const pr = this.pulls.find(p => p.number === number);
    if (!pr || pr.state !== 'open') {
      throw new HttpError(404, `No open pull request #${number}`);
    }
    const head = this.git.ref(`heads/${pr.head}`)!;
    const base = this.git.ref(`heads/${pr.base}`)!;
    if (!this.git.isAncestor(base, head)) {
      throw new HttpError(405, 'Base branch was modified; rebase first');
    }
    this.git.updateRef(`heads/${pr.base}`, head);
    pr.state = 'closed';
    pr.merged = true;
  }

  /** A pull request as the REST API returns it. */
  toJson(pr: RecordedPullRequest) {
    return {
      number: pr.number,
      title: pr.title,
      body: pr.body,
      state: pr.state,
      merged: pr.merged,
      draft: pr.draft,
      html_url: pr.htmlUrl,
      head: { ref: pr.head, sha: this.git.ref(`heads/${pr.head}`) },
      base: { ref: pr.base, sha: this.git.ref(`heads/${pr.base}`) },
    };
  }

  /** Answers octokit-plugin-create-pull-request's GraphQL query for a branch and its open pull request. */
  branchQuery(head: string | undefined) {
    const open = head === undefined ? undefined : this.openFor(head);
    const edges = open
      ? [
          {
            node: {
              id: `PR_${open.number}`,
              number: open.number,
              url: open.htmlUrl,
            },
          },
        ]
      : [];
    const exists = head !== undefined && this.git.hasBranch(head);
    return {
      data: {
        repository: {
          ref: exists ? { associatedPullRequests: { edges } } : null,
        },
      },
    };
  }
}
