export { Engine, type EngineOptions, type EngineProgress, type EngineStatus } from './engine';
export { Tunnel, type TunnelState } from './tunnel';
export { createDocker, TunnelAgent, GUEST_DOCKER_SOCKET } from './docker';
export { HostSocket } from './host-socket';
export { ensureDockerContext, CONTEXT_NAME } from './docker-context';
export { HostKeyPin, ensureClientKey } from './ssh-keys';
