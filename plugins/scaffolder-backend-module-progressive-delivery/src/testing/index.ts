/**
 * Test doubles for the new-tenant template: an in-memory GitHub for tests and the local demo.
 *
 * @packageDocumentation
 */

export { GitHubTestDouble } from './GitHubTestDouble';
export type {
  GitHubTestDoubleOptions,
  RecordedPullRequest,
} from './GitHubTestDouble';
export { demoGitOpsRepositoryFiles } from './demoGitOpsRepository';
