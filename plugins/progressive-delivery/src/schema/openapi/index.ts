// Types generated from the backend's OpenAPI spec (`npm run generate` in this package).
export type { components, operations, paths } from './generated/schema';
