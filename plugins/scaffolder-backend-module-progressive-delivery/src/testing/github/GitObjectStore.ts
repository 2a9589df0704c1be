import { createHash } from 'node:crypto';
import { HttpError } from './http';

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

/** A tree: path -> blob sha. Flat, as the REST API's recursive trees are. */
type Tree = Map<string, string>;

/** One entry of a tree to create: new content, an existing blob, or (sha null) a deletion. */
export interface TreeEntry {
  path: string;
  content?: string;
  sha: string | null;
}

/**
 * The repository's git objects (blobs, trees, commits) and refs, content-addressed like git's, so
 * what a branch changes against another can be read back.
 */
export class GitObjectStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly trees = new Map<string, Tree>();
  private readonly commits = new Map<string, Commit>();
  private readonly refs = new Map<string, string>();

  constructor(readonly defaultBranch: string) {}

  /** Makes `files` the default branch's single commit. */
  seed(files: Record<string, string>): void {
    const tree: Tree = new Map();
    for (const [path, text] of Object.entries(files)) {
      tree.set(path, this.putBlob(Buffer.from(text, 'utf8')));
    }
    const commit = this.putCommit({
      tree: this.putTree(tree),
      parents: [],
      message: 'Initial commit',
    });
    this.refs.set(`heads/${this.defaultBranch}`, commit);
  }

  /** The commit a ref such as `heads/main` points at. */
  ref(name: string): string | undefined {
    return this.refs.get(name);
  }

  hasBranch(branch: string): boolean {
    return this.refs.has(`heads/${branch}`);
  }

  /** The commit a branch name, `refs/heads/<branch>`, or commit sha (default: the default branch) names. */
  resolve(ref: string | null): string {
    const name = ref ?? this.defaultBranch;
    const sha =
      this.refs.get(`heads/${name.replace(/^(refs\/)?heads\//, '')}`) ??
      (this.commits.has(name) ? name : undefined);
    if (!sha) {
      throw new HttpError(404, `No commit found for ${name}`);
    }
    return sha;
  }

  commit(sha: string): Commit {
    return this.commits.get(sha)!;
  }

  /** The blob sha of a file in a commit, or undefined. */
  fileBlob(commitSha: string, path: string): string | undefined {
    return this.treeOf(commitSha).get(path);
  }

  blob(sha: string): Buffer | undefined {
    return this.blobs.get(sha);
  }

  /** A file's text on a branch, or undefined. */
  readFile(branch: string, path: string): string | undefined {
    const commit = this.refs.get(`heads/${branch}`);
    const blob = commit && this.fileBlob(commit, path);
    return blob ? this.blobs.get(blob)?.toString('utf8') : undefined;
  }

  /** Files `head` adds or changes against `base`, path -> text, sorted by path. */
  changedFiles(base: string, head: string): Record<string, string> {
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

  /** Whether `ancestor` is `sha` or one of its ancestors. */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length) {
      const next = queue.pop()!;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(...(this.commits.get(next)?.parents ?? []));
      }
    }
    return seen.has(ancestor);
  }

  createBlob(content: Buffer): string {
    return this.putBlob(content);
  }

  createTree(baseTree: string | undefined, entries: TreeEntry[]): string {
    const tree: Tree = new Map(baseTree ? this.trees.get(baseTree) : undefined);
    for (const entry of entries) {
      const { path } = entry;
      if (entry.sha === null) {
        tree.delete(path);
      } else if (typeof entry.content === 'string') {
        tree.set(path, this.putBlob(Buffer.from(entry.content, 'utf8')));
      } else if (this.blobs.has(entry.sha)) {
        tree.set(path, entry.sha);
      } else {
        throw new HttpError(422, `Unknown blob for ${path}`);
      }
    }
    return this.putTree(tree);
  }

  createCommit(commit: Commit): string {
    if (!this.trees.has(commit.tree)) {
      throw new HttpError(422, 'Tree not found');
    }
    return this.putCommit(commit);
  }

  /** Creates `ref` (such as `heads/feature`) at an existing commit. */
  createRef(ref: string, sha: string): void {
    if (this.refs.has(ref)) {
      throw new HttpError(422, 'Reference already exists');
    }
    if (!this.commits.has(sha)) {
      throw new HttpError(422, 'Object does not exist');
    }
    this.refs.set(ref, sha);
  }

  /** Points `ref` at `sha`, as a force push would. */
  updateRef(ref: string, sha: string): void {
    this.refs.set(ref, sha);
  }

  private treeOf(commitSha: string): Tree {
    return this.trees.get(this.commits.get(commitSha)!.tree)!;
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
