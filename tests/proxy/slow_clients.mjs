// Connections that hold a server's attention without finishing anything, for the proxy's tests
// and its bench (loopback only). Half of them (`trickle`) send a request line, then one header line
// every `everyMs`, and never end the head. The other half (`no-read`) send complete requests,
// several at a time, every `everyMs`, and never read an answer. With `reopen`, each trickle
// connection that the server closes is opened again until stop(). A no-read connection cannot see
// the server close it because it never reads, so it is not reopened. Every timer stops at stop().
import net from 'node:net';

export function openSlowClients({
  port,
  count,
  everyMs = 5000,
  reopen = true,
  host = '127.0.0.1',
}) {
  const sockets = new Set();
  const stats = { opened: 0, closed: 0 };
  let stopped = false;

  const head = `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`;
  const open = (kind) =>
    new Promise((resolve) => {
      const socket = net.connect({ port, host });
      socket.kind = kind;
      sockets.add(socket);
      stats.opened++;
      socket.on('error', () => {});
      socket.on('connect', () => {
        if (kind === 'trickle') {
          socket.write(head);
          socket.resume(); // read and drop whatever comes back, so that the close is seen
        } else {
          socket.write(`${head}\r\n`.repeat(8)); // pipelined, never read
        }
        resolve();
      });
      socket.on('close', () => {
        sockets.delete(socket);
        stats.closed++;
        resolve();
        if (reopen && !stopped && kind === 'trickle') open(kind);
      });
    });

  const timer = setInterval(() => {
    for (const socket of sockets) {
      if (!socket.writable || socket.connecting) continue;
      socket.write(socket.kind === 'trickle' ? 'X-Slow: 1\r\n' : `${head}\r\n`.repeat(8));
    }
  }, everyMs);

  const ready = Promise.all(
    Array.from({ length: count }, (_, i) => open(i % 2 ? 'no-read' : 'trickle')),
  );
  return {
    ready,
    stats,
    open: () => sockets.size,
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}
