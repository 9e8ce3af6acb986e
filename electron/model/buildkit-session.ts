/**
 * The client side of a BuildKit session: what `docker buildx` keeps open beside a build so the builder can ask
 * the client for things. Berth's session offers only registry credentials (from the stored logins) and the
 * health check BuildKit polls; the build context travels as the /build request's tar body, not through it.
 *
 * Why a session at all: without one, the engine's BuildKit (moby 26) cannot authenticate any registry pull, not
 * even Docker Hub's anonymous token flow ("no active sessions"), and it ignores X-Registry-Config.
 *
 * Wire: POST /session upgraded to h2c (hijacked), then the client SERVES gRPC on that connection; the headers
 * name the session and the gRPC methods it answers (BuildKit calls only those).
 */
import crypto from 'node:crypto';
import type { Duplex } from 'node:stream';
import type * as grpc from '@grpc/grpc-js';
import type * as protobufModule from 'protobufjs';
import type Docker from 'dockerode';
import { normalizeRegistry } from '../credentials/registry';
import type { RegistryAuthConfig } from '../contract/registry';
import { lazyPackage } from '../base/lazy-package';

// Loaded by the first build, not by every start of the agent (they are ~0.1 s of it).
const grpcJs = lazyPackage<typeof grpc>('@grpc/grpc-js');
const protobuf = lazyPackage<typeof protobufModule>('protobufjs');

const CREDENTIALS = '/moby.filesync.v1.Auth/Credentials';
const HEALTH_CHECK = '/grpc.health.v1.Health/Check';

// The messages of BuildKit's auth.proto and gRPC's health.proto that this session answers (only the fields used).
let messages: protobufModule.Root | null = null;
const messageTypes = () => (messages ??= protobuf().Root.fromJSON({
  nested: {
    CredentialsRequest: { fields: { Host: { type: 'string', id: 1 } } },
    CredentialsResponse: { fields: { Username: { type: 'string', id: 1 }, Secret: { type: 'string', id: 2 } } },
    HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
    // status 1 = SERVING
    HealthCheckResponse: { fields: { status: { type: 'int32', id: 1 } } },
  },
}));

/** One unary gRPC method whose messages are the named protobuf types. */
function unary<Req, Res>(path: string, request: string, response: string): grpc.MethodDefinition<Req, Res> {
  const reqType = messageTypes().lookupType(request);
  const resType = messageTypes().lookupType(response);
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (v: Req) => Buffer.from(reqType.encode(reqType.fromObject(v as object)).finish()),
    requestDeserialize: (b: Buffer) => reqType.toObject(reqType.decode(b), { defaults: true }) as Req,
    responseSerialize: (v: Res) => Buffer.from(resType.encode(resType.fromObject(v as object)).finish()),
    responseDeserialize: (b: Buffer) => resType.toObject(resType.decode(b), { defaults: true }) as Res,
  };
}

type Credentials = { Username: string; Secret: string };
const authService = () => ({ Credentials: unary<{ Host: string }, Credentials>(CREDENTIALS, 'CredentialsRequest', 'CredentialsResponse') });
const healthService = () => ({ Check: unary<{ service: string }, { status: number }>(HEALTH_CHECK, 'HealthCheckRequest', 'HealthCheckResponse') });

/** The stored login for a registry host BuildKit asks about (Hub's hosts all map to Hub's login); none: anonymous. */
export function credentialsFor(host: string, logins: RegistryAuthConfig[]): Credentials {
  let wanted: string;
  try {
    wanted = normalizeRegistry(host);
  } catch {
    return { Username: '', Secret: '' };
  }
  const login = logins.find((l) => {
    try {
      return normalizeRegistry(l.serveraddress) === wanted;
    } catch {
      return false;
    }
  });
  return login ? { Username: login.username, Secret: login.password } : { Username: '', Secret: '' };
}

export interface BuildSession {
  id: string;
  close(): void;
}

/** Opens a session on the engine; close it when the build's stream ends. */
export async function openBuildSession(docker: Docker, logins: RegistryAuthConfig[]): Promise<BuildSession> {
  const id = crypto.randomUUID();
  const socket = await new Promise<Duplex>((resolve, reject) => {
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'h2c',
          'X-Docker-Expose-Session-Uuid': id,
          'X-Docker-Expose-Session-Name': 'berth',
          'X-Docker-Expose-Session-Sharedkey': id,
          'X-Docker-Expose-Session-Grpc-Method': [CREDENTIALS, HEALTH_CHECK],
        },
        statusCodes: { 101: true, 200: true, 500: 'server error' },
      },
      (err: Error | null, sock: unknown) => (err ? reject(err) : resolve(sock as Duplex)),
    );
  });
  const server = new (grpcJs().Server)();
  server.addService(authService(), {
    Credentials: (call: grpc.ServerUnaryCall<{ Host: string }, Credentials>, cb: grpc.sendUnaryData<Credentials>) =>
      cb(null, credentialsFor(call.request.Host, logins)),
  });
  server.addService(healthService(), {
    Check: (_call: unknown, cb: grpc.sendUnaryData<{ status: number }>) => cb(null, { status: 1 }),
  });
  server.createConnectionInjector(grpcJs().ServerCredentials.createInsecure()).injectConnection(socket);
  let closed = false;
  return {
    id,
    close: () => {
      if (closed) return;
      closed = true;
      server.forceShutdown();
      socket.destroy();
    },
  };
}
