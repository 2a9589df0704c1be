// Compare links for the GitRepository URLs of flux-gitrepository-compare-urls.yaml (see its
// header), the scp-like form Flux rejects but other sources use, and hosts we do not know.
import { loadUpstream, pick } from '../../__testUtils__/fixtures';
import { gitCommitOf, gitCompareUrl, redactGitUrl } from './gitCompare';

const FROM = 'master@sha1:363a6a8fe6a7f13e05d34c163b0ef02a777da20a';
const TO = 'master@sha1:132f4e719209eb10b9485302f8593fc0e680f4fc';
const RANGE =
  '363a6a8fe6a7f13e05d34c163b0ef02a777da20a...132f4e719209eb10b9485302f8593fc0e680f4fc';

const repos = loadUpstream('flux-gitrepository-compare-urls.yaml');
const urlOf = (name: string) =>
  (pick(repos, 'GitRepository', name).spec as { url: string }).url;

describe('gitCompareUrl', () => {
  it.each([
    ['podinfo', `https://github.com/stefanprodan/podinfo/compare/${RANGE}`],
    ['podinfo-ssh', `https://github.com/stefanprodan/podinfo/compare/${RANGE}`],
    [
      'gitlab-subgroups-ssh',
      `https://gitlab.com/root_group/a_group/your_repo/-/compare/${RANGE}`,
    ],
    [
      'gitlab-subgroups-https',
      `https://gitlab.com/root_group/a_group/your_repo/-/compare/${RANGE}`,
    ],
  ])('links the GitRepository %s', (name, expected) => {
    const link = gitCompareUrl(urlOf(name), FROM, TO);
    expect(link.compareUrl).toBe(expected);
    expect(link.reason).toBeUndefined();
  });

  it.each([
    [
      'git@github.com:stefanprodan/podinfo.git',
      'github',
      `https://github.com/stefanprodan/podinfo/compare/${RANGE}`,
    ],
    [
      'git@gitlab.com:root_group/a_group/your_repo.git',
      'gitlab',
      `https://gitlab.com/root_group/a_group/your_repo/-/compare/${RANGE}`,
    ],
    [
      'ssh://git@ssh.github.com:443/stefanprodan/podinfo.git',
      'github',
      `https://github.com/stefanprodan/podinfo/compare/${RANGE}`,
    ],
    [
      'https://GitHub.com/stefanprodan/podinfo/',
      'github',
      `https://github.com/stefanprodan/podinfo/compare/${RANGE}`,
    ],
  ])('reads %s', (url, kind, expected) => {
    expect(gitCompareUrl(url, FROM, TO)).toMatchObject({
      hostKind: kind,
      compareUrl: expected,
    });
  });

  it('gives no link for an unknown host, with the reason, until the host map names it', () => {
    const url = urlOf('self-managed-gitlab');
    expect(gitCompareUrl(url, FROM, TO)).toEqual({
      host: 'gitlab.internal.example.com',
      fromCommit: '363a6a8fe6a7f13e05d34c163b0ef02a777da20a',
      toCommit: '132f4e719209eb10b9485302f8593fc0e680f4fc',
      reason:
        'gitlab.internal.example.com is not a known GitHub or GitLab host',
    });
    expect(
      gitCompareUrl(url, FROM, TO, {
        gitHosts: { 'GitLab.internal.example.com': 'gitlab' },
      }).compareUrl,
    ).toBe(
      `https://gitlab.internal.example.com/platform/apps/podinfo/-/compare/${RANGE}`,
    );
    expect(
      gitCompareUrl('git@git.example.org:team/podinfo.git', FROM, TO).reason,
    ).toBe('git.example.org is not a known GitHub or GitLab host');
  });

  it('keeps the port of a GitHub Enterprise https URL and matches host:port', () => {
    const link = gitCompareUrl(
      'https://github.example.com:8443/platform/podinfo.git',
      FROM,
      TO,
      {
        gitHosts: { 'github.example.com:8443': 'github' },
      },
    );
    expect(link.compareUrl).toBe(
      `https://github.example.com:8443/platform/podinfo/compare/${RANGE}`,
    );
  });

  it('never puts credentials in a link', () => {
    const url =
      'https://x-access-token:ghp_s3cr3tT0ken@github.com/stefanprodan/podinfo.git';
    const link = gitCompareUrl(url, FROM, TO);
    expect(link.compareUrl).toBe(
      `https://github.com/stefanprodan/podinfo/compare/${RANGE}`,
    );
    expect(JSON.stringify(link)).not.toContain('ghp_s3cr3tT0ken');
    expect(redactGitUrl(url)).toBe(
      'https://github.com/stefanprodan/podinfo.git',
    );
    expect(redactGitUrl('ssh://git:pw@github.com/o/r')).toBe(
      'ssh://git@github.com/o/r',
    );
    expect(redactGitUrl('ssh://git@gitlab.com:root_group/x.git')).toBe(
      'ssh://gitlab.com:root_group/x.git',
    );
  });

  it('says why: not a GitHub repository path, not Git commits, same commit, no URL', () => {
    expect(gitCompareUrl('https://github.com/a/b/c', FROM, TO).reason).toBe(
      'the repository path "a/b/c" is not <owner>/<repo>',
    );
    expect(gitCompareUrl('https://gitlab.com/solo', FROM, TO).reason).toBe(
      'the repository path "solo" is not <group>/<project>',
    );
    expect(
      gitCompareUrl(urlOf('podinfo'), 'latest@sha256:3b6c6f1e', TO).reason,
    ).toBe(
      'the previous revision "latest@sha256:3b6c6f1e" is not a Git commit',
    );
    expect(gitCompareUrl(urlOf('podinfo'), FROM, '6.5.3').reason).toBe(
      'the revision "6.5.3" is not a Git commit',
    );
    expect(gitCompareUrl(urlOf('podinfo'), TO, TO).reason).toBe(
      'both revisions are the same commit',
    );
    expect(gitCompareUrl(undefined, FROM, TO).reason).toBe('no repository URL');
    expect(gitCompareUrl('ftp://github.com/a/b', FROM, TO).reason).toBe(
      "the repository URL's scheme ftp: is not a Git transport",
    );
    expect(
      gitCompareUrl('ssh://git@gitlab.com:root_group/x.git', FROM, TO).reason,
    ).toBe('the repository URL cannot be read');
  });
});

describe('gitCommitOf', () => {
  it('reads Flux Git revisions and nothing else', () => {
    const sha = 'b3b00fe35424a45d373bf4c7214178bc36fd7872';
    expect(gitCommitOf(`main@sha1:${sha}`)).toBe(sha);
    expect(gitCommitOf(`sha1:${sha}`)).toBe(sha);
    expect(gitCommitOf(`6.1.8/${sha}`)).toBe(sha);
    expect(gitCommitOf(sha)).toBe(sha);
    expect(gitCommitOf('main@sha1:abc')).toBeUndefined();
    expect(
      gitCommitOf(
        'latest@sha256:b7e5a3c1d9f2e4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4',
      ),
    ).toBeUndefined();
    expect(gitCommitOf('5.2.1')).toBeUndefined();
  });
});
