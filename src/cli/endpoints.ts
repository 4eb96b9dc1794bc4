import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shape of `<dataDir>/endpoints.json`, which other tools and tests read to find the running local cloud. */
export interface EndpointsFile {
  region: string;
  /** The one AWS endpoint: give it to the aws CLI and SDKs as `AWS_ENDPOINT_URL` (or `--endpoint-url`). */
  awsEndpoint: string;
  cognitoIdpEndpoint: string;
  inboxUrl: string;
  userPools: {
    logicalId: string;
    id: string;
    name: string;
    issuer: string;
    jwksUri: string;
    hostedUiUrl: string | null;
    clients: {
      logicalId: string;
      id: string;
      secret: string | null;
      callbackUrls: string[];
      logoutUrls: string[];
    }[];
  }[];
  apis: { logicalId: string; name: string; stage: string; url: string }[];
}

export const endpointsPath = (dataDir: string) => join(dataDir, 'endpoints.json');

/** Writes endpoints.json atomically (temp file + rename), so a reader never sees a half-written file. */
export function writeEndpointsFile(dataDir: string, data: EndpointsFile): string {
  mkdirSync(dataDir, { recursive: true });
  const target = endpointsPath(dataDir);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, target);
  return target;
}

export function removeEndpointsFile(dataDir: string): void {
  rmSync(endpointsPath(dataDir), { force: true });
}
