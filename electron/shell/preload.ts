// Runs sandboxed with context isolation: the page gets exactly this object as `window.berth`, nothing of Node.
import { contextBridge, ipcRenderer } from 'electron';
import { nativeIpc, type BerthBridge } from '../contract/native';

const bridge: BerthBridge = {
  // Asked for over IPC, never passed on the command line (which any local user can read in /proc/PID/cmdline).
  agentEndpoint: async () => nativeIpc.agentEndpoint.reply.parse(await ipcRenderer.invoke(nativeIpc.agentEndpoint.channel, {})),
  notify: (request) => ipcRenderer.invoke(nativeIpc.notify.channel, request),
  openExternal: (request) => ipcRenderer.invoke(nativeIpc.openExternal.channel, request),
  saveFile: (request) => ipcRenderer.invoke(nativeIpc.saveFile.channel, request),
  pickFolder: async (request) => nativeIpc.pickFolder.reply.parse(await ipcRenderer.invoke(nativeIpc.pickFolder.channel, request)),
};

contextBridge.exposeInMainWorld('berth', bridge);
