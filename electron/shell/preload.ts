// Runs sandboxed with context isolation: the page gets exactly this object as `window.berth`, nothing of Node.
import { contextBridge, ipcRenderer } from 'electron';
import { nativeIpc, type BerthBridge } from '../contract/native';
import { readPreloadArgs } from './preload-args';

const { agentUrl, token } = readPreloadArgs(process.argv);

const bridge: BerthBridge = {
  agentUrl,
  token,
  notify: (request) => ipcRenderer.invoke(nativeIpc.notify.channel, request),
  openExternal: (request) => ipcRenderer.invoke(nativeIpc.openExternal.channel, request),
  saveFile: (request) => ipcRenderer.invoke(nativeIpc.saveFile.channel, request),
};

contextBridge.exposeInMainWorld('berth', bridge);
