/**
 * A compose file for tests: services that each print a numbered line (`NAME 1`, `NAME 2`, ...) every 0.3 s, from
 * a busybox test image with `sh` (the `sleep` applet is called through busybox). `sh` as PID 1 ignores SIGTERM,
 * hence the short grace period that keeps `down` quick.
 */
export function countingComposeFile(image: string, services: string[]): string {
  const service = (name: string) => `  ${name}:
    image: ${image}
    command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo ${name} $$i; busybox sleep 0.3; done"]
    stop_grace_period: 1s
`;
  return `services:\n${services.map(service).join('')}`;
}
