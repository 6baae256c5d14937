/** `npm run store`: serves the embedded store alone, so several API servers can share it. */
import { startEmbeddedStore } from '../embedded.ts';

const dataDir = process.env.DATA_DIR ?? './.data';
const port = Number(process.env.STORE_PORT ?? 8000);
const store = await startEmbeddedStore(dataDir, port);
console.log(`embedded store on ${store.endpoint} (data in ${dataDir})`);
console.log(`point servers at it with DYNAMODB_ENDPOINT=${store.endpoint}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void store.close().then(() => process.exit(0));
  });
}
