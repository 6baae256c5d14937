declare module 'dynalite' {
  interface DynaliteOptions {
    path?: string;
    /** An open abstract-level database with JSON values, used instead of `path` (our patch, patches/dynalite+*.patch). */
    db?: import('level').Level<string, unknown>;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): import('node:http').Server;
}
