/**
 * The load balancer in front of platform replicas, as docs/scale-out.md asks for, small enough for
 * a test: a TCP listener on loopback that hands each connection to the next backend in turn, and to
 * the one after when a backend refuses it (a killed replica's port is closed). A connection whose
 * backend dies is cut, as a real balancer's would be.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export class TcpBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly backends: Backend[],
  ) {}

  /** `port`: listen there (to come back where a closed one was); 0, any free port. */
  static async start(port = 0): Promise<TcpBalancer> {
    const server = createServer();
    const balancer = new TcpBalancer(server, []);
    server.on('connection', (client) => balancer.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A backend, by its http://host:port URL. */
  add(url: string): void {
    const u = new URL(url);
    this.backends.push({ host: u.hostname, port: Number(u.port) });
  }

  private accept(client: Socket): void {
    client.setNoDelay(true);
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryBackend = (tries: number) => {
      if (tries >= this.backends.length || client.destroyed) {
        client.destroy();
        return;
      }
      const b = this.backends[this.next++ % this.backends.length];
      const upstream = connect(b.port, b.host);
      const refused = () => tryBackend(tries + 1);
      upstream.once('error', refused);
      upstream.once('connect', () => {
        // Connected: from here on, the backend dying cuts the client's connection.
        upstream.off('error', refused);
        upstream.setNoDelay(true);
        this.sockets.add(upstream);
        upstream.on('error', () => upstream.destroy());
        upstream.once('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
