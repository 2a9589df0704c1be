import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';

/** What every action of this module takes from the backend. */
export interface TenantActionOptions {
  config: Config;
  integrations: ScmIntegrationRegistry;
  urlReader: UrlReaderService;
}

/** The start of every task of this module: the platform's settings, the task's input and the repository. */
export interface TenantTask<T> {
  settings: TenantTemplateSettings;
  input: T;
  repository: GitOpsRepository;
}

/**
 * Reads the settings (per task, so that a configuration change applies without a restart), parses
 * the task's input against them, then opens the GitOps repository. Input problems are reported
 * before repository problems.
 */
export function startTenantTask<T>(
  options: TenantActionOptions,
  parseInput: (settings: TenantTemplateSettings) => T,
): TenantTask<T> {
  const { config, integrations, urlReader } = options;
  const settings = TenantTemplateSettings.fromConfig(config);
  const input = parseInput(settings);
  const repository = GitOpsRepository.create({
    urlReader,
    integrations,
    layout: settings.layout,
  });
  return { settings, input, repository };
}

/**
 * A file's text from the GitOps repository, or null when it has none. Checkpointed, so that a
 * resumed task edits the same content it validated.
 */
export function readRepositoryFile(
  ctx: Pick<ActionContext<any, any>, 'checkpoint'>,
  repository: GitOpsRepository,
  path: string,
): Promise<string | null> {
  return ctx.checkpoint({
    key: `read.${path}`,
    fn: async () => (await repository.readText(path)) ?? null,
  });
}
