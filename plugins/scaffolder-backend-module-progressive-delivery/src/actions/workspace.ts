import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { z } from 'zod/v3';

const DEFAULT_TARGET_PATH = 'gitops';

/** The part of a task's context that says where its copy of the GitOps repository goes. */
export interface WorkspaceTarget {
  workspacePath: string;
  input: { targetPath?: string };
}

/** Writes a file of the GitOps repository under the task workspace, refusing paths that would leave it. */
export async function writeWorkspaceFile(
  ctx: WorkspaceTarget,
  repoPath: string,
  content: string,
): Promise<void> {
  const root = resolveSafeChildPath(
    ctx.workspacePath,
    ctx.input.targetPath ?? DEFAULT_TARGET_PATH,
  );
  const file = resolveSafeChildPath(root, repoPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content, 'utf8');
}

/** The `targetPath` input every action of this module takes. */
export function targetPathInput(zImpl: typeof z) {
  return zImpl
    .string({
      description: `Workspace directory mirroring the GitOps repository; defaults to \`${DEFAULT_TARGET_PATH}\``,
    })
    .optional();
}
