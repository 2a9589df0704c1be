import { NotFoundError } from '@backstage/errors';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import { GitOpsRepository } from './GitOpsRepository';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', token: 't' }],
      gitlab: [
        {
          host: 'gitlab.example.com',
          apiBaseUrl: 'https://gitlab.example.com/api/v4',
          token: 't',
        },
      ],
      bitbucketServer: [{ host: 'bitbucket.example.com' }],
    },
  }),
);
const layout = {
  branch: 'main',
  basePath: 'kubernetes/apps/base',
  overlaysPath: 'kubernetes/apps/overlays',
  catalogPath: 'catalog-info.yaml',
  clusters: ['prod-eu-1'],
};

describe('GitOpsRepository', () => {
  it('publishes to GitHub and reads files at their blob URL', async () => {
    const urlReader = mockServices.urlReader.mock();
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.from('resources: []\n'),
    } as any);
    const repo = GitOpsRepository.create({
      urlReader,
      integrations,
      layout: { ...layout, repoUrl: 'github.com?owner=acme&repo=gitops' },
    });
    expect(repo.publisher).toBe('github');
    await expect(repo.readText('a/kustomization.yaml')).resolves.toBe(
      'resources: []\n',
    );
    expect(urlReader.readUrl).toHaveBeenCalledWith(
      'https://github.com/acme/gitops/blob/main/a/kustomization.yaml',
    );
  });

  it('publishes to GitLab, with nested groups, and uses its blob URLs', () => {
    const repo = GitOpsRepository.create({
      urlReader: mockServices.urlReader.mock(),
      integrations,
      layout: {
        ...layout,
        repoUrl: 'gitlab.example.com?owner=platform/infra&repo=gitops',
      },
    });
    expect(repo.publisher).toBe('gitlab');
    expect(repo.fileUrl('catalog-info.yaml')).toBe(
      'https://gitlab.example.com/platform/infra/gitops/-/blob/main/catalog-info.yaml',
    );
  });

  it('reads a missing file as undefined and passes other failures on', async () => {
    const urlReader = mockServices.urlReader.mock();
    const repo = GitOpsRepository.create({
      urlReader,
      integrations,
      layout: { ...layout, repoUrl: 'github.com?owner=acme&repo=gitops' },
    });
    urlReader.readUrl.mockRejectedValueOnce(new NotFoundError('nope'));
    await expect(repo.readText('missing.yaml')).resolves.toBeUndefined();
    urlReader.readUrl.mockRejectedValueOnce(new Error('401 Bad credentials'));
    await expect(repo.readText('x.yaml')).rejects.toThrow(
      '401 Bad credentials',
    );
  });

  it('refuses a repository on a host it cannot publish to', () => {
    expect(() =>
      GitOpsRepository.create({
        urlReader: mockServices.urlReader.mock(),
        integrations,
        layout: {
          ...layout,
          repoUrl: 'bitbucket.example.com?project=P&repo=gitops',
        },
      }),
    ).toThrow(
      'The GitOps repository bitbucket.example.com?project=P&repo=gitops is on bitbucket.example.com, which is a bitbucketServer integration; the new-tenant template publishes to GitHub or GitLab',
    );
  });
});
