/**
 * Berth's one contract: every call and every stream between the agent and its clients (CLI, UI, Electron main).
 * The agent validates every parameter and input against these schemas before a service sees it; clients import
 * types only (`import type`), so nothing here is trusted from the wire.
 *
 * Each domain adds its entries in its own section; result and item types live next to them.
 */
import { z } from 'zod';
import { call, stream } from '../protocol/spec';
import { hubRepositoryParams, hubSearchParams, hubTagsParams } from './hub';
import type { HubRepository, HubSearchPage, HubTagsPage } from './hub';
import { registryKeychainKeyParams, registryLoginParams, registryLogoutParams } from './registry';
import type { RegistryLogin, RegistryLoginList } from './registry';
import { settingsUpdateParams, vmLogsParams } from './vm';
import type { SettingsUpdateView, SettingsView, VmConsoleBatch, VmDetail, VmLogs, BootProgress, DataDiskUsage } from './vm';
import type { PortForward } from './ports';
import { sharesCheckParams } from './shares';
import type { ShareCheck, SharesView } from './shares';
import { modelCalls, modelStreams } from './model-entries';
import { vmCalls, vmStreams } from './vm-entries';
import { composeCalls, composeStreams } from './compose';
import type { HostChecks } from './host';

const none = z.object({}).strict();

// ---------------------------------------------------------------- agent and status

export interface AgentInfo {
  version: string;
  pid: number;
  startedAt: number;
  home: string;
  platform: string;
  arch: string;
  /** Browser-mode URL including the token; null if the HTTP server is not listening. */
  uiUrl: string | null;
}

export type VmState =
  | { state: 'stopped' }
  | ({ state: 'starting' } & BootProgress)
  /** paused: Resource Saver stopped the idle VM's vCPUs; the next request wakes it. */
  | { state: 'running'; accel: string; since: number; paused?: boolean }
  | { state: 'stopping' }
  | { state: 'error'; reason: string; hint?: string; lastConsoleLines: string[] };

export type EngineState =
  | { state: 'unavailable' }
  | { state: 'connecting'; attempt: number }
  | { state: 'ready'; version: string; apiVersion: string }
  | { state: 'error'; reason: string; hint?: string };

export interface BerthStatus {
  vm: VmState;
  engine: EngineState;
  /** The data disk's use while the engine runs (warns from 90%). */
  disk?: DataDiskUsage;
}

// ---------------------------------------------------------------- docker hub and registry logins

export type {
  HubBadge,
  HubRepository,
  HubSearchPage,
  HubSearchResult,
  HubTag,
  HubTagImage,
  HubTagsPage,
} from './hub';
export type { RegistryLogin, RegistryLoginList, SecretStorageKind } from './registry';

// ---------------------------------------------------------------- vm, engine and settings

export type { SettingsUpdateView, SettingsView, VmConsoleBatch, VmDetail, VmLogs, BootProgress, DataDiskUsage } from './vm';

// ---------------------------------------------------------------- engine model (containers, images, volumes, networks)

export type * from './model';
export type * from './vm-entries';
export type * from './compose';
export type { RunParams } from './run-spec';

// ---------------------------------------------------------------- published ports and shared folders

export type { HostCheck, HostChecks } from './host';
export type { ForwardPath, PortForward, PortProtocol } from './ports';
export type { ShareCheck, SharedFolder, SharesView } from './shares';

// ---------------------------------------------------------------- the contract

export const contract = {
  calls: {
    'agent.info': call<AgentInfo>()(none),
    /** Stops the agent (and with it the VM, cleanly). */
    'agent.shutdown': call<null>()(none),
    'status.get': call<BerthStatus>()(none),
    /** Docker Hub search; filter 'verified-publisher' uses Hub's catalog search (v2 search cannot tell). */
    'hub.search': call<HubSearchPage>()(hubSearchParams),
    /** Details and README (untrusted Markdown: render sanitized). */
    'hub.repository': call<HubRepository>()(hubRepositoryParams),
    'hub.tags': call<HubTagsPage>()(hubTagsParams),
    /** Verified with the engine when one runs, then stored encrypted. The secret is never returned. */
    'registry.login': call<RegistryLogin>()(registryLoginParams),
    'registry.logout': call<{ removed: boolean }>()(registryLogoutParams),
    'registry.list': call<RegistryLoginList>()(none),
    /** From the Electron app only (unix socket): seal logins with its OS-keychain-held key from now on. */
    'registry.useKeychainKey': call<RegistryLoginList>()(registryKeychainKeyParams),
    /** Powers the VM down cleanly (dockerd stops containers first); the agent keeps running. */
    'vm.stop': call<VmDetail>()(none),
    /** VM, tunnel and engine in detail (status.get is the summary). */
    'vm.status': call<VmDetail>()(none),
    /** The tail of the VM's serial console log. */
    'vm.logs': call<VmLogs>()(vmLogsParams),
    /** Forget the pinned guest SSH host key; the next key the guest presents is trusted and pinned. */
    'vm.resetHostKey': call<null>()(none),
    'settings.get': call<SettingsView>()(none),
    /** Validated against the host; nothing is written when any field is bad. VM fields apply on restart. */
    'settings.update': call<SettingsUpdateView>()(settingsUpdateParams),
    /** Published container ports and their host listeners; failed ones carry the reason (port in use, ...). */
    'ports.list': call<PortForward[]>()(none),
    /** Tries the forwards that failed (host port taken) again now; they are also retried on a backoff. */
    'ports.retry': call<PortForward[]>()(none),
    /** Host folders the VM mounts (now and after a restart), and settings entries that cannot be shared. */
    'shares.list': call<SharesView>()(none),
    /** Would this bind mount source (a path or a whole -v spec) be visible in the VM? For the run dialog. */
    'shares.check': call<ShareCheck>()(sharesCheckParams),
    /** This host's prerequisites for running the VM and building its image (`berth doctor`), and the fix. */
    'host.checks': call<HostChecks>()(none),
    ...modelCalls,
    ...vmCalls,
    ...composeCalls,
  },
  streams: {
    /** The current status at once, then every change. */
    'status.watch': stream<BerthStatus>()(none),
    /** Boots the VM and engine: progress items, ending once the engine answers (an error ends the stream). */
    'vm.start': stream<BootProgress>()(none),
    /** VmDetail now, then every change. */
    'vm.state': stream<VmDetail>()(none),
    /** The VM's serial console live (`berth logs -f`), from the moment of opening. */
    'vm.console': stream<VmConsoleBatch>()(none),
    /** The port-forward table now, then every change. */
    'ports.watch': stream<PortForward[]>()(none),
    ...modelStreams,
    ...vmStreams,
    ...composeStreams,
  },
} as const;

export type BerthContract = typeof contract;
