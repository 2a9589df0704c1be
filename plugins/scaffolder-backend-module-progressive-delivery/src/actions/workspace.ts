import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { z } from 'zod/v3';

/** Writes a file under the task workspace, refusing paths that would leave it. */
export async function writeWorkspaceFile(
  workspacePath: string,
  targetPath: string,
  repoPath: string,
  content: string,
): Promise<void> {
  const root = resolveSafeChildPath(workspacePath, targetPath);
  const file = resolveSafeChildPath(root, repoPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content, 'utf8');
}

/** The `targetPath` input every action of this module takes. */
export function targetPathInput(zImpl: typeof z) {
  return zImpl
    .string({
      description:
        'Workspace directory mirroring the GitOps repository; defaults to `gitops`',
    })
    .optional();
}
