// Loaded with `node --import` by tools that would phone home (lint:electron): every outgoing
// connection fails at once, so the tool runs the same offline, in CI and here, without waiting
// on timeouts.
import net from 'node:net';

net.Socket.prototype.connect = function connect() {
  const err = Object.assign(new Error('offline: network access is disabled for this tool'), { code: 'ENETUNREACH' });
  process.nextTick(() => this.destroy(err));
  return this;
};
