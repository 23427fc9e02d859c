// Builds the one RPC client for this page: over the Electron preload bridge when present,
// otherwise over a WebSocket to the browser-mode server (the token travels as a cookie).
import { contract, type Contract, type Events } from '../../src-shared/contract';
import { createClient, type Client } from '../../src-shared/rpc/client';
import type { Envelope, Transport } from '../../src-shared/rpc/envelope';
import { socketTransport, type SocketLike } from '../../src-shared/rpc/socket-transport';

export type Api = Client<Contract, Events>;

interface Bridge { send(msg: unknown): void; onMessage(l: (msg: unknown) => void): () => void }
declare global { interface Window { winnowBridge?: Bridge } }

function bridgeTransport(bridge: Bridge): Transport {
  return {
    send: (msg) => bridge.send(msg),
    onMessage: (l) => bridge.onMessage((m) => l(m as Envelope)),
    close: () => {},
  };
}

export async function connect(onClose: () => void): Promise<Api> {
  if (window.winnowBridge) return createClient<Contract, Events>(contract, bridgeTransport(window.winnowBridge));
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach Winnow; is the server still running?')), { once: true });
  });
  socket.addEventListener('close', onClose);
  return createClient<Contract, Events>(contract, socketTransport(socket as unknown as SocketLike));
}
