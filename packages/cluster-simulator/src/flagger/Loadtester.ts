import { ProxyResponse, ServiceHandler } from '../api/serviceProxy';

/** The JSON Flagger POSTs to webhooks (CanaryWebhookPayload). */
export interface WebhookPayload {
  name: string;
  namespace: string;
  phase?: string;
  checksum?: string;
  metadata?: Record<string, string>;
}

const text = (status: number, body = ''): ProxyResponse => ({ status, body });

/**
 * The flagger-loadtester of one namespace, as fluxcd/flagger
 * pkg/loadtester/server.go answers: in-memory gates keyed `<name>.<ns>`
 * (`rollback.<name>.<ns>` for rollback gates), closed until opened, never
 * reset by Flagger; `/` accepts tasks (bash: run and 200, others: queued, 202).
 */
export class Loadtester {
  private readonly open = new Set<string>();
  /** Commands received on `/`, newest last, for tests and the demo log. */
  readonly tasks: Array<{ canary: string; type: string; cmd: string }> = [];

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  readonly handle: ServiceHandler = request => {
    const path = request.path.replace(/\/+$/, '') || '/';
    if (path === '/healthz') return text(200, 'OK');
    if (path === '/gate/approve') return text(200, 'OK');
    if (path === '/gate/halt') return text(403, 'Forbidden');
    if (path === '/metrics') {
      return {
        status: 200,
        body: `# HELP flagger_loadtester_tasks_total Tasks received.\n# TYPE flagger_loadtester_tasks_total counter\nflagger_loadtester_tasks_total ${this.tasks.length}\n`,
        contentType: 'text/plain; version=0.0.4',
      };
    }
    let payload: WebhookPayload;
    try {
      payload = JSON.parse(request.body || 'null');
    } catch {
      return text(400);
    }
    if (!payload || typeof payload.name !== 'string') return text(400);
    const canary = `${payload.name}.${payload.namespace}`;
    switch (path) {
      case '/gate/check':
        return this.open.has(canary)
          ? text(200, 'Approved')
          : text(403, 'Forbidden');
      case '/gate/open':
        this.open.add(canary);
        return text(202);
      case '/gate/close':
        this.open.delete(canary);
        return text(202);
      case '/rollback/check':
        return this.open.has(`rollback.${canary}`)
          ? text(200, 'Approved')
          : text(403, 'Forbidden');
      case '/rollback/open':
        this.open.add(`rollback.${canary}`);
        return text(202);
      case '/rollback/close':
        this.open.delete(`rollback.${canary}`);
        return text(202);
      case '/': {
        const metadata = payload.metadata ?? {};
        if (Object.keys(metadata).length === 0) {
          return text(400, 'metadata not found in payload');
        }
        const type = metadata.type ?? 'bash';
        this.tasks.push({ canary, type, cmd: metadata.cmd ?? '' });
        if (this.tasks.length > 200)
          this.tasks.splice(0, this.tasks.length - 200);
        return type === 'bash' ? text(200) : text(202);
      }
      default:
        return text(404, '404 page not found');
    }
  };
}
