import { BerthError } from '../base/errors';
import { HUB_NAME_PART } from '../contract/hub';

/** A Docker Hub repository, split the way Hub's API addresses it. Official images use namespace `library`. */
export interface HubRepositoryRef {
  namespace: string;
  name: string;
}

// One path component of a distribution reference. Hub applies the same grammar to namespaces and names, and
// checking it here means a typo never costs a request (or a slot in the rate limit).
const COMPONENT = HUB_NAME_PART;
const MAX_COMPONENT = 255;
const HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com'];

function badName(input: string, why: string, hint: string): BerthError {
  return new BerthError('bad-request', `"${input}" is not a Docker Hub repository name: ${why}`, hint);
}

/**
 * Accepts what people type or paste: `busybox`, `library/busybox`, `bitnami/redis`, `docker.io/bitnami/redis`.
 * Tags and digests are refused rather than silently dropped, so a caller never believes it asked about a tag.
 */
export function parseRepositoryRef(input: string): HubRepositoryRef {
  const text = input.trim();
  if (!text) throw badName(input, 'it is empty', 'Type a name such as busybox or bitnami/redis.');
  if (text.length > 2 * MAX_COMPONENT + 1 + 32) throw badName(text.slice(0, 40) + '…', 'it is too long', 'Repository names are at most 255 characters per part.');
  if (/[@:]/.test(text)) {
    throw badName(text, 'it includes a tag or digest', `Give the repository alone, e.g. ${text.split(/[@:]/)[0] || 'busybox'}.`);
  }
  let parts = text.split('/');
  if (parts.length > 1 && HUB_HOSTS.includes(parts[0].toLowerCase())) parts = parts.slice(1);
  if (parts.length === 1) parts = ['library', parts[0]];
  if (parts.length !== 2) {
    throw badName(text, 'Docker Hub names have at most two parts', 'Use namespace/name, e.g. bitnami/redis.');
  }
  const [namespace, name] = parts;
  for (const part of [namespace, name]) {
    if (part !== part.toLowerCase()) throw badName(text, 'it has capital letters', `Use ${text.toLowerCase()}.`);
    if (!part || part.length > MAX_COMPONENT || !COMPONENT.test(part)) {
      throw badName(
        text,
        `"${part}" is not a valid name part`,
        'Use lowercase letters, digits and single separators (. _ -), starting and ending with a letter or digit.',
      );
    }
  }
  return { namespace, name };
}

/** What `docker pull` takes: official images without `library/`. */
export function pullName(ref: HubRepositoryRef): string {
  return ref.namespace === 'library' ? ref.name : `${ref.namespace}/${ref.name}`;
}

/** The repository's page on the Hub web site (official images live under /_/). */
export function hubWebUrl(ref: HubRepositoryRef): string {
  return ref.namespace === 'library'
    ? `https://hub.docker.com/_/${ref.name}`
    : `https://hub.docker.com/r/${ref.namespace}/${ref.name}`;
}
