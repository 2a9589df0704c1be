import fs from 'node:fs';
import path from 'node:path';
import { SimulatedClusterInfo, TargetName } from './backendConfig';
import { BackendProcess, BackendResponse, freePort } from './BackendProcess';

/** The catalog query every run waits on: how many Components the catalog holds. */
export const CATALOG_COUNT_VIEW = {
  method: 'GET' as const,
  path: '/api/catalog/entities/by-query?filter=kind=component&limit=1',
};

/** Whether a catalog count answer shows at least `entities` Components. */
export function holdsEntities(res: BackendResponse, entities: number): boolean {
  try {
    const page = JSON.parse(res.body) as { totalItems?: number };
    return (page.totalItems ?? 0) >= entities;
  } catch {
    return false;
  }
}

/**
 * Ingests the scale entities once, into a catalog database on disk, with the backend every
 * target shares (catalog and permissions, no plugin under test). Each target then starts on a
 * copy of it (see {@link catalogCopyFor}): a restart of a backend whose catalog is already
 * filled, as in production, rather than the catalog's first ingestion, which only ours would
 * wait for (the peer's entity tab sends the entity; the ceiling reads nothing).
 */
export async function seedCatalog(options: {
  workDir: string;
  entities: number;
  token: string;
  clusters: SimulatedClusterInfo[];
  clusterToken: string;
  caFile: string;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<string> {
  const dir = path.join(options.workDir, 'catalog-seed');
  fs.mkdirSync(dir, { recursive: true });
  options.log(`filling the catalog with ${options.entities} entities once`);
  const backend = BackendProcess.start({
    target: 'ceiling',
    name: 'catalog-seed',
    port: await freePort(),
    inspectorPort: await freePort(),
    token: options.token,
    clusters: options.clusters,
    clusterToken: options.clusterToken,
    caFile: options.caFile,
    entities: options.entities,
    workDir: options.workDir,
    catalogDatabaseDir: dir,
  });
  try {
    const ms = await backend.waitFor(
      CATALOG_COUNT_VIEW,
      res => holdsEntities(res, options.entities),
      { timeoutMs: options.timeoutMs, intervalMs: 250, what: 'the catalog' },
    );
    options.log(`catalog filled after ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await backend.stop();
  }
  return dir;
}

/** A fresh copy of the seeded catalog for one target, so no target starts on another's. */
export function catalogCopyFor(
  seedDir: string,
  workDir: string,
  target: TargetName,
): string {
  const dir = path.join(workDir, `${target}-catalog`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(seedDir, dir, { recursive: true });
  return dir;
}
