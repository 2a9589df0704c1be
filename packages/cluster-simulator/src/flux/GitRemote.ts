import { KubeObject } from '../types';
import { sha1Hex, sha256Hex } from './digests';

/** One commit of a simulated repository: path -> manifests. */
export interface GitCommit {
  sha: string;
  message: string;
  time: number;
  files: Record<string, KubeObject[]>;
}

/**
 * A remote Git repository (or OCI artifact repository) that Flux sources
 * fetch from. Scenarios commit to it to make new revisions arrive.
 */
export class GitRemote {
  private readonly commits: GitCommit[] = [];

  constructor(
    readonly url: string,
    readonly branch: string,
    files: Record<string, KubeObject[]>,
    time: number,
  ) {
    this.push('Initial commit', files, time);
  }

  head(): GitCommit {
    return this.commits[this.commits.length - 1];
  }

  /** Flux's revision string: `main@sha1:<sha>` for Git, `<tag>@sha256:<digest>` for OCI. */
  revision(commit: GitCommit = this.head()): string {
    return this.url.startsWith('oci://')
      ? `${this.branch}@sha256:${sha256Hex(commit.sha)}`
      : `${this.branch}@sha1:${commit.sha}`;
  }

  /** The commit a Flux revision string names, if this remote has it. */
  commitFor(revision: string): GitCommit | undefined {
    return this.commits.find(c => this.revision(c) === revision);
  }

  /** Commits a change made by `change` on a copy of the head's files. */
  commit(
    message: string,
    change: (files: Record<string, KubeObject[]>) => void,
    time: number,
  ): GitCommit {
    const files = structuredClone(this.head().files);
    change(files);
    // push() copies again; commits are rare, clarity wins.
    return this.push(message, files, time);
  }

  private push(
    message: string,
    files: Record<string, KubeObject[]>,
    time: number,
  ): GitCommit {
    const commit: GitCommit = {
      sha: sha1Hex(`${this.url}#${this.commits.length}#${message}`),
      message,
      time,
      // The remote owns its files: callers may go on changing what they passed.
      files: structuredClone(files),
    };
    this.commits.push(commit);
    return commit;
  }

  /** Manifests under `path` (`./apps` matches `./apps` and `./apps/...`). */
  manifestsAt(path: string, commit: GitCommit = this.head()): KubeObject[] {
    const normal = path.replace(/^\.\//, '').replace(/\/$/, '');
    const result: KubeObject[] = [];
    for (const [p, objs] of Object.entries(commit.files)) {
      const np = p.replace(/^\.\//, '').replace(/\/$/, '');
      if (normal === '' || np === normal || np.startsWith(`${normal}/`)) {
        result.push(...objs);
      }
    }
    return structuredClone(result);
  }
}

/** The remotes reachable from one cluster, by URL. */
export class SourceHub {
  private readonly remotes = new Map<string, GitRemote>();

  add(remote: GitRemote): GitRemote {
    this.remotes.set(remote.url, remote);
    return remote;
  }

  get(url: string): GitRemote | undefined {
    return this.remotes.get(url);
  }
}
