// Links to a Git forge's compare view between two commits. Repository URLs come in the forms
// Flux's GitRepository `spec.url` accepts (`^(http|https|ssh)://`, source-controller CRD
// v1.9.1): `https://github.com/stefanprodan/podinfo`, `ssh://git@github.com/stefanprodan/podinfo`
// (flux2 cmd/flux/create_source_git.go examples), `ssh://git@gitlab.com/root_group/a_group/
// your_repo.git` (source-controller docs/spec/v1/gitrepositories.md, "URL"); and the scp-like
// `git@github.com:owner/repo.git`, which Flux rejects but other sources (a catalog's source
// location) use. Compare views: GitHub `/<owner>/<repo>/compare/<old>...<new>`, GitLab
// `/<group>[/<subgroup>...]/<project>/-/compare/<old>...<new>`.
import { GitCompareLink, GitHostKind } from '../../apiWhatChanged';
import { parseFluxRevision } from '../fluxRevision';
import { asRecord, asString } from '../read';

/**
 * A host's forge, and its web address when that is not `https://<host>` (an SSH endpoint on
 * another host name).
 *
 * @public
 */
export type GitHostSetting =
  | GitHostKind
  | { kind: GitHostKind; webUrl: string };

/**
 * Options of {@link gitCompareUrl}.
 *
 * @public
 */
export interface GitCompareOptions {
  /**
   * Host (`git.example.com`, or `host:port` for an HTTP(S) URL on another port) -> forge, for
   * GitHub Enterprise and self-managed GitLab; merged over {@link DEFAULT_GIT_HOSTS}.
   */
  gitHosts?: Record<string, GitHostSetting>;
}

/**
 * The forges known without configuration: github.com and gitlab.com, and their SSH-over-443
 * endpoints (`ssh.github.com`, `altssh.gitlab.com`).
 *
 * @public
 */
export const DEFAULT_GIT_HOSTS: Record<string, GitHostSetting> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'ssh.github.com': { kind: 'github', webUrl: 'https://github.com' },
  'altssh.gitlab.com': { kind: 'gitlab', webUrl: 'https://gitlab.com' },
};

interface GitUrl {
  scheme: string;
  host: string;
  port: string;
  path: string[];
  /** The URL without credentials, for display. */
  display: string;
}

const SCP_LIKE = /^(?:([^@/\s:]+)@)?([^@/\s:]+):(?!\/\/)([^\s]+)$/;
const SCHEMES = new Set(['http:', 'https:', 'ssh:', 'git:']);

function segments(path: string): string[] {
  const parts = path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  try {
    return parts.map(decodeURIComponent);
  } catch {
    return parts;
  }
}

function parseGitUrl(raw: string): GitUrl | string {
  const text = raw.trim();
  const scp = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text)
    ? null
    : SCP_LIKE.exec(text);
  if (scp) {
    const user = scp[1] ? `${scp[1]}@` : '';
    return {
      scheme: 'scp',
      host: scp[2].toLowerCase(),
      port: '',
      path: segments(scp[3]),
      display: `${user}${scp[2]}:${scp[3]}`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'the repository URL cannot be read';
  }
  if (!SCHEMES.has(url.protocol)) {
    return `the repository URL's scheme ${url.protocol} is not a Git transport`;
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  const user = !web && url.username ? `${url.username}@` : '';
  const host = url.hostname.toLowerCase();
  const port = url.port ? `:${url.port}` : '';
  return {
    scheme: url.protocol.slice(0, -1),
    host,
    port: url.port,
    path: segments(url.pathname),
    display: `${url.protocol}//${user}${host}${port}${url.pathname}`,
  };
}

/**
 * A repository URL without credentials (a token in an HTTPS URL, a password anywhere), for
 * display; unreadable URLs lose everything up to an `@`.
 *
 * @public
 */
export function redactGitUrl(url: string): string {
  const parsed = parseGitUrl(url);
  return typeof parsed === 'string'
    ? url.replace(/^([^/]*\/\/)?[^@/]*@/, '$1')
    : parsed.display;
}

/**
 * The Git commit SHA of a Flux revision (`main@sha1:<40 hex>`, `sha1:<hex>`, the legacy
 * `main/<sha>`) or of a bare 40-hex SHA; undefined for an OCI digest or a chart version.
 *
 * @public
 */
export function gitCommitOf(revision: string | undefined): string | undefined {
  if (!revision) {
    return undefined;
  }
  if (/^[0-9a-f]{40}$/.test(revision)) {
    return revision;
  }
  const parts = parseFluxRevision(revision);
  return parts.algorithm === 'sha1' && parts.hash?.length === 40
    ? parts.hash
    : undefined;
}

const isKind = (value: unknown): value is GitHostKind =>
  value === 'github' || value === 'gitlab';

/** A configured host setting, or undefined when it is neither form. */
function readSetting(value: unknown): GitHostSetting | undefined {
  if (isKind(value)) {
    return value;
  }
  const record = asRecord(value);
  const webUrl = asString(record?.webUrl);
  return isKind(record?.kind) && webUrl
    ? { kind: record.kind, webUrl }
    : undefined;
}

function forge(url: GitUrl, options: GitCompareOptions) {
  const hosts: Record<string, GitHostSetting> = { ...DEFAULT_GIT_HOSTS };
  for (const [host, value] of Object.entries(
    asRecord(options.gitHosts) ?? {},
  )) {
    const setting = readSetting(value);
    if (setting) {
      hosts[host.toLowerCase()] = setting;
    }
  }
  const web = url.scheme === 'http' || url.scheme === 'https';
  const setting =
    (web && url.port ? hosts[`${url.host}:${url.port}`] : undefined) ??
    hosts[url.host];
  if (!setting) {
    return undefined;
  }
  const kind = typeof setting === 'string' ? setting : setting.kind;
  const base =
    typeof setting === 'string'
      ? `${web ? url.scheme : 'https'}://${url.host}${
          web && url.port ? `:${url.port}` : ''
        }`
      : setting.webUrl.replace(/\/+$/, '');
  return { kind, base };
}

function repositoryPath(kind: GitHostKind, path: string[]): string | undefined {
  const ok = kind === 'github' ? path.length === 2 : path.length >= 2;
  return ok ? path.map(encodeURIComponent).join('/') : undefined;
}

function commits(from: string | undefined, to: string | undefined) {
  const fromCommit = gitCommitOf(from);
  const toCommit = gitCommitOf(to);
  let reason: string | undefined;
  if (!from) {
    reason = 'no previous revision to compare with';
  } else if (!fromCommit) {
    reason = `the previous revision "${from}" is not a Git commit`;
  } else if (!toCommit) {
    reason = `the revision "${to ?? ''}" is not a Git commit`;
  } else if (fromCommit === toCommit) {
    reason = 'both revisions are the same commit';
  }
  return {
    ...(fromCommit ? { fromCommit } : {}),
    ...(toCommit ? { toCommit } : {}),
    reason,
  };
}

/**
 * The forge's compare view from commit `from` to `to` (Flux revisions or SHAs) of the
 * repository at `repositoryUrl` (https, ssh or scp-like); without a link, `reason` says why: an
 * unreadable URL, a host not known as GitHub or GitLab (add it to `gitHosts`), a GitHub path
 * that is not `<owner>/<repo>`, a revision that is not a Git commit, or the same commit.
 *
 * @public
 */
export function gitCompareUrl(
  repositoryUrl: string | undefined,
  from: string | undefined,
  to: string | undefined,
  options: GitCompareOptions = {},
): GitCompareLink {
  const { reason: commitReason, ...shas } = commits(from, to);
  if (!repositoryUrl) {
    return { ...shas, reason: 'no repository URL' };
  }
  const url = parseGitUrl(repositoryUrl);
  if (typeof url === 'string') {
    return { ...shas, reason: url };
  }
  const known = forge(url, options);
  if (!known) {
    return {
      ...shas,
      host: url.host,
      reason: `${url.host} is not a known GitHub or GitLab host`,
    };
  }
  const path = repositoryPath(known.kind, url.path);
  const link = { host: url.host, hostKind: known.kind, ...shas };
  if (!path) {
    const expected =
      known.kind === 'github' ? '<owner>/<repo>' : '<group>/<project>';
    return {
      ...link,
      reason: `the repository path "${url.path.join('/')}" is not ${expected}`,
    };
  }
  const repository = `${known.base}/${path}`;
  if (commitReason) {
    return { repositoryUrl: repository, ...link, reason: commitReason };
  }
  const view = known.kind === 'github' ? 'compare' : '-/compare';
  return {
    repositoryUrl: repository,
    ...link,
    compareUrl: `${repository}/${view}/${shas.fromCommit ?? ''}...${
      shas.toCommit ?? ''
    }`,
  };
}
