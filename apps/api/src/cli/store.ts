/** `npm run store`: serves the embedded store alone (DATA_DIR, STORE_PORT), so several API servers can share it. */
import { startEmbeddedStore } from '@squirrelbin/store';
import { loadConfig } from '../config.ts';

const config = loadConfig(process.env);
const store = await startEmbeddedStore(config.store.dataDir, config.storePort);
console.log(`embedded store on ${store.endpoint} (data in ${config.store.dataDir})`);
console.log(`point servers at it with DYNAMODB_ENDPOINT=${store.endpoint}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void store.close().then(() => process.exit(0));
  });
}
