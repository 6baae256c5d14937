/** `npm start`: the local server, until SIGINT/SIGTERM. */
import { loadConfig } from '../config.ts';
import { startServer } from './start.ts';

const config = loadConfig(process.env);
const server = await startServer(config);
console.log(
  `SquirrelBin listening on ${server.url} (store: ${server.deps.store.connection.location}, data: ${config.store.dataDir})`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing in-flight requests, then closing the store`);
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
