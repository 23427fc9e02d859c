// Builds the one RPC client for this page: over the Electron preload bridge when present,
// otherwise over a WebSocket to the browser-mode server, presenting the launch token
// (see launch-token.ts for how the page gets it).
import { contract, type Contract, type Events } from '../../src-shared/contract';
import { createClient, type Client } from '../../src-shared/rpc/client';
import type { Envelope, Transport } from '../../src-shared/rpc/envelope';
import { socketTransport, type SocketLike } from '../../src-shared/rpc/socket-transport';
import { browserTokenPlace, forgetLaunchToken, takeLaunchToken } from './launch-token';

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
  const place = browserTokenPlace();
  const token = takeLaunchToken(place);
  if (!token) throw new Error('Winnow: missing or wrong access token. Open the address Winnow printed when it started (it ends in #token=…).');
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = new URLSearchParams({ token }).toString();
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => {
      // The browser does not say whether the server is gone or refused the token; either way
      // the remembered token is of no more use (a restarted server has a new one).
      forgetLaunchToken(place);
      reject(new Error('Winnow: cannot connect. Either it is no longer running, or this is a missing or wrong access token: open the address Winnow printed when it started.'));
    }, { once: true });
  });
  socket.addEventListener('close', onClose);
  return createClient<Contract, Events>(contract, socketTransport(socket as unknown as SocketLike));
}
