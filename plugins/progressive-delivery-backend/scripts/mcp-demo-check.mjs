#!/usr/bin/env node
// Checks the plugin's tools against a running backend (the demo: `scripts/pd.sh demo`) with a
// real MCP client, as an agent would use them: lists the tools, reads podinfo's delivery state,
// and attempts an approve the caller has no permission for, comparing the refusal with the HTTP
// API's 403. Exit code 0 when all of that holds.
//
//   node plugins/progressive-delivery-backend/scripts/mcp-demo-check.mjs [--url http://localhost:7007]
//        [--token T | --guest]
//
// Default token: the demo's static one (app-config.yaml, backend.auth.externalAccess), a service,
// which the demo's policy lets read but not act; the approve attempted is podinfo's. --guest signs
// in as the demo's guest user (member of team-a) and attempts checkout's approve (team-b's).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const DEMO_TOKEN = 'demo-mcp-client-token';
const PLUGIN = 'progressive-delivery';

function options(argv) {
  const opts = { url: 'http://localhost:7007', token: undefined, guest: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--url') opts.url = argv[++i];
    else if (arg === '--token') opts.token = argv[++i];
    else if (arg === '--guest') opts.guest = true;
    else
      throw new Error(
        `unknown argument ${arg} (--url URL, --token T, --guest)`,
      );
  }
  if (!opts.url) throw new Error('--url needs a value');
  return opts;
}

async function guestToken(base) {
  const res = await fetch(`${base}/api/auth/guest/refresh`);
  if (!res.ok) {
    throw new Error(`guest sign-in: ${res.status} ${await res.text()}`);
  }
  return (await res.json()).backstageIdentity.token;
}

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function listTools(client) {
  const { tools } = await client.listTools();
  const ours = tools.filter(t => t.name.startsWith(`${PLUGIN}.`));
  for (const t of ours) {
    const a = t.annotations ?? {};
    console.log(
      `     ${t.name} readOnly=${a.readOnlyHint} destructive=${a.destructiveHint} idempotent=${a.idempotentHint}`,
    );
  }
  check(
    ours.length === 8,
    `the MCP server lists ${ours.length} of the plugin's 8 tools`,
  );
}

async function readPodinfo(client) {
  const read = await client.callTool({
    name: `${PLUGIN}.get-entity-delivery-state`,
    arguments: { entityRef: 'component:default/podinfo' },
  });
  const state = read.structuredContent;
  check(
    !read.isError && !!state,
    `podinfo's state: ${read.isError ? read.content[0].text : 'read'}`,
  );
  for (const cluster of state?.clusters ?? []) {
    for (const c of cluster.canaries) {
      console.log(
        `     ${cluster.cluster} ${c.ref.namespace}/${c.ref.name}: ${c.progress.phase}, canary ${c.progress.canaryWeight}% / primary ${c.progress.primaryWeight}%`,
      );
    }
  }
  check(
    (state?.clusters ?? []).some(c =>
      c.canaries.some(k => k.ref.name === 'podinfo'),
    ),
    "podinfo's state has its canary",
  );
}

/** An approve the caller may not do: podinfo for a service, checkout (team-b) for the guest. */
async function refusedApprove(client, base, headers, guest) {
  const target = guest
    ? { cluster: 'dev-eu-1', namespace: 'tenant-b', name: 'checkout' }
    : { cluster: 'prod-eu-1', namespace: 'tenant-a', name: 'podinfo' };
  const http = await fetch(
    `${base}/api/progressive-delivery/v1/clusters/${target.cluster}/namespaces/${target.namespace}/canaries/${target.name}/approve`,
    {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: '{}',
    },
  );
  const httpBody = await http.json();
  console.log(
    `     HTTP ${http.status}: ${httpBody.error?.name}: ${httpBody.error?.message}`,
  );
  check(
    http.status === 403,
    `HTTP refuses the approve of ${target.name} with 403`,
  );
  const refused = await client.callTool({
    name: `${PLUGIN}.approve-canary`,
    arguments: target,
  });
  console.log(`     MCP: ${refused.content?.[0]?.text}`);
  check(
    refused.isError === true &&
      refused.content?.[0]?.text ===
        `NotAllowedError: ${httpBody.error?.message}`,
    'the tool refuses it with the same message',
  );
}

async function main() {
  const opts = options(process.argv.slice(2));
  const base = opts.url.replace(/\/+$/, '');
  const token = opts.guest ? await guestToken(base) : opts.token ?? DEMO_TOKEN;
  const headers = { Authorization: `Bearer ${token}` };
  const client = new Client({ name: 'mcp-demo-check', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
      requestInit: { headers },
    }),
  );
  try {
    await listTools(client);
    await readPodinfo(client);
    await refusedApprove(client, base, headers, opts.guest);
  } finally {
    await client.close();
  }
  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('all checks passed');
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
