import { BerthError } from '../base/errors';

/**
 * The key Docker itself uses for Docker Hub credentials (in config.json and in the engine's auth checks).
 * Every alias of Hub maps to it, so logging in as "docker.io" is found again when pulling "busybox".
 */
export const DOCKER_HUB_REGISTRY = 'https://index.docker.io/v1/';

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com']);

const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * Normalizes what people type as a registry: Hub in any spelling becomes DOCKER_HUB_REGISTRY, anything
 * else becomes host[:port] (scheme and path dropped, as docker login does). An empty string means Hub.
 */
export function normalizeRegistry(input: string): string {
  let text = input.trim().toLowerCase();
  if (!text) return DOCKER_HUB_REGISTRY;
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const host = text.split('/')[0];
  if (HUB_ALIASES.has(host)) return DOCKER_HUB_REGISTRY;
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) {
    throw new BerthError(
      'bad-request',
      `"${input.trim().slice(0, 100)}" is not a registry address`,
      'Use a host name with an optional port, e.g. ghcr.io or registry.example.com:5000; leave it empty for Docker Hub.',
    );
  }
  return host;
}

export function isDockerHub(registry: string): boolean {
  return normalizeRegistry(registry) === DOCKER_HUB_REGISTRY;
}

/**
 * Which registry an image reference pulls from, by Docker's rule: the first path part is a registry only if
 * it looks like a host (has a dot or a port, or is localhost); otherwise the image is on Docker Hub.
 */
export function registryForImage(image: string): string {
  const first = image.trim().split('/')[0];
  const slash = image.includes('/');
  if (slash && (first.includes('.') || first.includes(':') || first === 'localhost')) return normalizeRegistry(first);
  return DOCKER_HUB_REGISTRY;
}
