import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { GitOpsLayout } from '../settings/TenantTemplateSettings';

/** The publish actions this module's template knows how to use. */
export type Publisher = 'github' | 'gitlab';

/**
 * The platform's GitOps repository, read through the backend's UrlReaderService so that the
 * integration configured for its host (tokens, API base URL) applies.
 */
export class GitOpsRepository {
  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly layout: GitOpsLayout,
    private readonly host: string,
    private readonly owner: string,
    private readonly repo: string,
    readonly publisher: Publisher,
  ) {}

  static create(options: {
    urlReader: UrlReaderService;
    integrations: ScmIntegrationRegistry;
    layout: GitOpsLayout;
  }): GitOpsRepository {
    const { urlReader, integrations, layout } = options;
    const { host, owner, repo } = parseRepoUrl(layout.repoUrl, integrations);
    const type = integrations.byHost(host)?.type;
    if (type !== 'github' && type !== 'gitlab') {
      throw new InputError(
        `The GitOps repository ${layout.repoUrl} is on ${host}, which is ${
          type ? `a ${type}` : 'not a configured'
        } integration; the new-tenant template publishes to GitHub or GitLab`,
      );
    }
    if (!owner) {
      throw new InputError(
        `The GitOps repository ${layout.repoUrl} names no owner`,
      );
    }
    return new GitOpsRepository(urlReader, layout, host, owner, repo, type);
  }

  /** The browsable URL of a file on the configured branch. */
  fileUrl(path: string): string {
    const base = `https://${this.host}/${this.owner}/${this.repo}`;
    const blob = this.publisher === 'gitlab' ? '-/blob' : 'blob';
    return `${base}/${blob}/${this.layout.branch}/${path}`;
  }

  /** The file's text, or undefined when the repository has no such file. */
  async readText(path: string): Promise<string | undefined> {
    try {
      const response = await this.urlReader.readUrl(this.fileUrl(path));
      return (await response.buffer()).toString('utf8');
    } catch (e) {
      if (isError(e) && e.name === 'NotFoundError') {
        return undefined;
      }
      throw e;
    }
  }
}
