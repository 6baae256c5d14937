/**
 * `npm run admin -- create-key`: makes an admin identity and prints its key alone on the last line.
 * `npm run admin -- migrate`: brings stored data up to date (see docs/data-model.md); opening the store does it.
 * Uses the server's store settings; with the embedded store it attaches to a running server's store
 * (found through DATA_DIR/store.json) or opens the data dir itself when no server runs.
 */
import { openStore } from '@squirrelbin/store';
import { loadConfig } from '../config.ts';

const usage = 'usage: npm run admin -- create-key | migrate';
const [command, ...rest] = process.argv.slice(2);
if ((command !== 'create-key' && command !== 'migrate') || rest.length > 0) {
  console.error(usage);
  process.exit(2);
}
const config = loadConfig(process.env);
const store = await openStore(config.store);
try {
  if (command === 'migrate') {
    // Opening the store already moved what there was; this pass finds what a writer still on the old code wrote since.
    const moved = await store.acorns.migratePublicShards();
    console.error(`store ${store.connection.location} is up to date (${moved} more public acorns moved just now)`);
  } else {
    const identity = await store.identities.create({ admin: true });
    console.error(
      `admin identity ${identity.id} created (store: ${store.connection.location}); the key is shown once:`,
    );
    console.log(identity.key);
  }
} finally {
  await store.close();
}
