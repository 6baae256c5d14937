/**
 * `npm run admin -- create-key`: makes an admin identity and prints its key alone on the last line.
 * Uses the server's store settings; with the embedded store it attaches to a running server's store
 * (found through DATA_DIR/store.json) or opens the data dir itself when no server runs.
 */
import { openStore } from '@squirrelbin/store';
import { loadConfig } from '../config.ts';

const usage = 'usage: npm run admin -- create-key';
const [command, ...rest] = process.argv.slice(2);
if (command !== 'create-key' || rest.length > 0) {
  console.error(usage);
  process.exit(2);
}
const config = loadConfig(process.env);
const store = await openStore(config.store);
try {
  const identity = await store.identities.create({ admin: true });
  console.error(`admin identity ${identity.id} created (store: ${store.connection.location}); the key is shown once:`);
  console.log(identity.key);
} finally {
  await store.close();
}
