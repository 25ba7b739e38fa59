// dynalite in its own process, so serving the table (LevelDB included) runs on the second core
// while the runtime's process runs the engine, the handlers and their AWS SDK clients. Started by
// ./dynamodb.ts with `fork`; it listens on the Unix socket the parent names, says `ready` (or
// why it could not), and ends when the parent asks or goes away (a kill -9 of the runtime
// closes the IPC channel: this process does not outlive it).
import { chmodSync } from 'node:fs';
import dynalite from 'dynalite';
import { PRIVATE_FILE_MODE } from './data-dir.js';

/** What the parent sends: the socket to listen on and the LevelDB folder (absent: memory). */
export interface DynaliteStart {
  socketPath: string;
  path?: string;
}

/** What this process answers once: listening, or the error that stopped it. */
export type DynaliteStarted = { ready: true } | { ready: false; error: string };

export const CLOSE_MESSAGE = 'close';
const CLOSE_TIMEOUT_MS = 5_000;

function serve({ socketPath, path }: DynaliteStart): void {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const answer = (message: DynaliteStarted) => process.send?.(message);
  server.once('error', (error: Error) => {
    answer({ ready: false, error: error.message });
    process.exit(1);
  });
  server.listen(socketPath, () => {
    chmodSync(socketPath, PRIVATE_FILE_MODE);
    answer({ ready: true });
  });
  const close = () => {
    server.close(() => process.exit(0));
    // A close that hangs (a connection that never ends) must not keep the LevelDB lock from the
    // next start: LevelDB's log makes an exit without its close safe.
    setTimeout(() => process.exit(0), CLOSE_TIMEOUT_MS).unref();
  };
  process.on('message', (message) => {
    if (message === CLOSE_MESSAGE) close();
  });
  process.on('disconnect', close);
  // The parent's Ctrl-C reaches the whole process group: the parent decides when this one ends.
  process.on('SIGINT', () => {});
}

process.once('message', (message) => serve(message as DynaliteStart));
