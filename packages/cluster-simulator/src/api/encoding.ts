import http from 'node:http';
import { KubeObject } from '../types';

/** The JSON of a stored object at the version the client asked for. */
export function serialise(
  entryBody: string,
  apiVersion: string,
  kind: string,
): string {
  return `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(
    kind,
  )},${entryBody.slice(1)}`;
}

export function withVersion(obj: KubeObject, apiVersion: string): KubeObject {
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** Whether the client asked for a server-side table (`kubectl get`). */
export function wantsTable(req: http.IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}
