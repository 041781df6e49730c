// `dwh serve`: the local warehouse on localhost over the PostgreSQL wire protocol, for psql or any SQL client.
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { LocalWarehouse } from './warehouse';

export interface Served {
  /** `host:port` the server listens on. */
  address: string;
  stop(): Promise<void>;
}

/** Starts serving the warehouse on 127.0.0.1:port until stop() is called. */
export async function serveWarehouse(warehouse: LocalWarehouse, port: number, maxConnections = 8): Promise<Served> {
  const server = new PGLiteSocketServer({ db: warehouse.db, port, host: '127.0.0.1', maxConnections });
  await server.start();
  return { address: server.getServerConn(), stop: () => server.stop() };
}
