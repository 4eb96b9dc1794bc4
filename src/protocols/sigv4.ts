import type { IncomingMessage } from 'node:http';

/** `Credential=AKID/20250101/us-east-1/s3/aws4_request`, split. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

function parseScope(credential: string): CredentialScope | undefined {
  const m = SCOPE.exec(credential.trim());
  if (!m) return undefined;
  return {
    accessKeyId: m[1] as string,
    date: m[2] as string,
    region: m[3] as string,
    service: m[4] as string,
  };
}

/**
 * The SigV4 credential scope of a request, from `Authorization: AWS4-HMAC-SHA256 Credential=...` or a presigned URL's
 * `X-Amz-Credential`. Used for routing only: the signature is NOT verified (this is a local emulator; any credentials
 * work, as the README says).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export function credentialScope(req: IncomingMessage): CredentialScope | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('AWS4-HMAC-SHA256')) {
    const m = /Credential=([^,\s]+)/.exec(auth);
    if (m) return parseScope(m[1] as string);
  }
  const q = (req.url ?? '').indexOf('?');
  if (q >= 0) {
    const cred = new URLSearchParams((req.url ?? '').slice(q + 1)).get('X-Amz-Credential');
    if (cred) return parseScope(cred);
  }
  return undefined;
}
