import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode end, as a local WebSocket server: it greets each connection with `hello` as Slack does,
 * sends envelopes, and records the app's acknowledgements.
 */
export class SlackSocketDouble {
  readonly acks: SocketAck[] = [];
  private server: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private connected: (() => void) | undefined;
  readonly connection = new Promise<void>((resolve) => {
    this.connected = resolve;
  });

  async start(): Promise<string> {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.server?.once('listening', () => resolve()));
    this.server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data) => this.acks.push(JSON.parse(data.toString()) as SocketAck));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-test', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0SUPPORT' },
        }),
      );
      this.connected?.();
    });
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=test`;
  }

  /** Sends one envelope and resolves with the app's ack of it. */
  async send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<SocketAck> {
    await this.connection;
    const id = randomUUID();
    this.socket?.send(
      JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', ...extra }),
    );
    const deadline = Date.now() + 3000;
    for (;;) {
      const ack = this.acks.find((a) => a.envelope_id === id);
      if (ack) return ack;
      if (Date.now() > deadline) throw new Error(`no ack of ${type} within 3 s (Slack's limit)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    for (const client of this.server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
