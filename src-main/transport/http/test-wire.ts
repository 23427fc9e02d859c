// Test helpers that talk to the browser-mode server below the HTTP and WebSocket libraries:
// raw request bytes and hand-built WebSocket frames, so malformed input reaches the server
// exactly as an attacker would send it.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Sends raw bytes and returns everything the server answers before closing (or `waitMs`). */
export function rawExchange(port: number, bytes: string | Uint8Array, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const done = () => { clearTimeout(timer); sock.destroy(); resolve(got); };
    const timer = setTimeout(done, waitMs);
    sock.on('data', (b) => { got += b.toString('latin1'); });
    sock.on('error', done);
    sock.on('close', done);
    sock.write(bytes);
  });
}

/** The status line's code of a raw HTTP answer, or 0 when there was none. */
export function statusOf(answer: string): number {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
  return m ? Number(m[1]) : 0;
}

/** Opens a WebSocket by hand; resolves with the socket once the server switched protocols. */
export function rawWebSocket(port: number, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let head = '';
    const onData = (b: Buffer) => {
      head += b.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      sock.off('data', onData);
      if (statusOf(head) === 101) resolve(sock);
      else { sock.destroy(); reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`)); }
    };
    sock.on('data', onData);
    sock.on('error', reject);
    sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

/** One client frame (masked, as RFC 6455 requires). `declaredLength` lies about the size when given. */
export function wsFrame(opcode: number, payload: Uint8Array, opts: { fin?: boolean; rsv?: number; declaredLength?: number; mask?: boolean } = {}): Buffer {
  const len = opts.declaredLength ?? payload.length;
  const mask = opts.mask ?? true;
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** A binary frame payload in the codec's layout holding `json` and no buffers. */
export function jsonPayload(json: string): Uint8Array {
  const j = Buffer.from(json, 'utf8');
  const out = Buffer.alloc((4 + j.length + 7) & ~7);
  out.writeUInt32LE(j.length, 0);
  j.copy(out, 4);
  return out;
}

/** Resolves when the socket closes (or after `waitMs`), with what the server sent meanwhile. */
export function drain(sock: Socket, waitMs = 2000): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const done = () => { clearTimeout(timer); sock.destroy(); resolve(Buffer.concat(parts)); };
    const timer = setTimeout(done, waitMs);
    sock.on('data', (b) => parts.push(b));
    sock.on('close', done);
    sock.on('error', done);
  });
}
