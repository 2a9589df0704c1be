import { demoGitOpsRepositoryFiles } from './demoGitOpsRepository';
import { GitHubTestDouble } from './GitHubTestDouble';

/**
 * `gitops-test-double [--port 7008] [--owner acme] [--repo gitops] [--token T]`: serves the demo
 * GitOps repository until interrupted.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, fallback?: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : fallback;
  };
  const double = await GitHubTestDouble.start({
    owner: arg('owner', 'acme')!,
    repo: arg('repo', 'gitops')!,
    token: arg('token'),
    port: Number(arg('port', '7008')),
    files: demoGitOpsRepositoryFiles(),
  });
  process.stdout.write(
    `GitHub test double serving ${arg('owner', 'acme')}/${arg(
      'repo',
      'gitops',
    )}: apiBaseUrl ${double.apiBaseUrl}\n`,
  );
  const stop = () => {
    double.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
