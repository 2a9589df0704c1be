import { RecordedPullRequest } from './PullRequests';

/** A plain HTML page showing a pull request: its state, description and changed files. */
export function pullRequestPage(
  repository: string,
  pr: RecordedPullRequest,
): string {
  const files = Object.entries(pr.changedFiles)
    .map(
      ([path, text]) =>
        `<h3>${escapeHtml(path)}</h3><pre>${escapeHtml(text)}</pre>`,
    )
    .join('\n');
  const state = pr.merged ? 'merged' : pr.state;
  return `<!doctype html><html><head><title>${escapeHtml(
    pr.title,
  )}</title></head><body><p>GitHub test double: ${escapeHtml(
    repository,
  )} pull request #${pr.number} (${state}, ${escapeHtml(
    pr.head,
  )} into ${escapeHtml(pr.base)})</p><h1>${escapeHtml(
    pr.title,
  )}</h1><pre>${escapeHtml(pr.body)}</pre><h2>Files</h2>${files}</body></html>`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
