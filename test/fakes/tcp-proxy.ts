// A loopback TCP proxy that counts round trips: every time the client speaks after the server has (or first), one
// more turn of the conversation. Summed over every connection it carries; an optional delay per direction
// simulates a database far away.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Proxy {
  port: number;
  /**
   * Client-to-server turns, over all connections, counted once every connection the proxy carries has closed (up
   * to 5 s): a client process that has exited may have left its last bytes in flight to this one.
   */
  roundTrips(): Promise<number>;
  close(): Promise<void>;
}

/** How long a client's bytes wait for more of the same burst (see forwardCoalesced). */
const COALESCE_MS = 3;

export async function startProxy(targetPort: number, options: { delayMs?: number } = {}): Promise<Proxy> {
  let turns = 0;
  let open = 0;
  const sockets = new Set<Socket>();
  const delay = options.delayMs ?? 0;
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => (delay > 0 ? setTimeout(() => to.write(chunk), delay) : to.write(chunk)));
    from.on('end', () => setTimeout(() => to.end(), delay));
    from.on('error', () => to.destroy());
  };
  // What a client writes in one go (two messages in the same tick, as a query and the goodbye after it) can reach
  // this process as two reads. Held COALESCE_MS before it goes on, a second read joins the first before the server
  // could have answered it, so it is not counted as a turn of its own; a client that waits for an answer still is.
  const forwardCoalesced = (from: Socket, to: Socket) => {
    let held: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (held.length > 0) to.write(Buffer.concat(held));
      held = [];
    };
    from.on('data', (chunk: Buffer) => {
      held.push(chunk);
      timer ??= setTimeout(flush, Math.max(delay, COALESCE_MS));
    });
    from.on('end', () => {
      const end = () => {
        flush();
        to.end();
      };
      if (timer) {
        clearTimeout(timer);
        timer = setTimeout(end, Math.max(delay, COALESCE_MS));
      } else setTimeout(end, delay);
    });
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    open++;
    client.on('close', () => open--);
    let last: 'client' | 'server' | undefined;
    client.on('data', () => {
      if (last !== 'client') turns++;
      last = 'client';
    });
    upstream.on('data', () => {
      last = 'server';
    });
    forwardCoalesced(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    roundTrips: async () => {
      for (const end = Date.now() + 5_000; open > 0 && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 5));
      return turns;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
