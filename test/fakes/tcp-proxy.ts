// A loopback TCP proxy that counts round trips: every time the client speaks after the server has (or first), one
// more turn of the conversation. Summed over every connection it carries.
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

/**
 * How long a client's bytes are held for more of the same burst. What a client writes in one go (a query and the
 * goodbye after it, in the same tick) can reach this process as two reads; held, the second joins the first before
 * the server could have answered it, so it is not counted as a turn of its own. A client that waits for an answer
 * still is. The hold is generous because on a loaded machine (the whole suite on two cores) the two reads of one
 * write can arrive several milliseconds apart; a client that waits for an answer waits far longer than this.
 */
const COALESCE_MS = 25;

/** Copies `from` to `to`, what arrives within `holdMs` of a first chunk sent on together (0: at once). */
function forward(from: Socket, to: Socket, holdMs: number): void {
  let held: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (held.length > 0) to.write(Buffer.concat(held));
    held = [];
  };
  from.on('data', (chunk: Buffer) => {
    held.push(chunk);
    if (holdMs === 0) flush();
    else timer ??= setTimeout(flush, holdMs);
  });
  from.on('end', () => {
    clearTimeout(timer);
    setTimeout(() => {
      flush();
      to.end();
    }, holdMs);
  });
  from.on('error', () => to.destroy());
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let turns = 0;
  let open = 0;
  const sockets = new Set<Socket>();
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
    forward(client, upstream, COALESCE_MS);
    forward(upstream, client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    roundTrips: async () => {
      for (const end = Date.now() + 5_000; open > 0 && Date.now() < end;)
        await new Promise((resolve) => setTimeout(resolve, 5));
      return turns;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
