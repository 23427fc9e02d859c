// A typed contract client for e2e assertions: checks what the catalog holds, over the same
// WebSocket transport and token the page uses.
import { WebSocket } from 'ws';
import { contract, type Contract, type Events } from '../../src-shared/contract';
import { createClient, type Client } from '../../src-shared/rpc/client';
import { socketTransport, type SocketLike } from '../../src-shared/rpc/socket-transport';

export async function connectApi(pageUrl: string): Promise<Client<Contract, Events>> {
  const u = new URL(pageUrl);
  // The printed address carries the token in its fragment (`/#token=…`); the socket presents it.
  const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`ws://${u.host}/rpc?token=${encodeURIComponent(token)}`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return createClient<Contract, Events>(contract, socketTransport(ws as unknown as SocketLike));
}
