/** Everything the CLI takes from its environment, read once here and passed down. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const defaultServer = 'http://localhost:8787';

export interface Settings {
  /** `SQUIRRELBIN_SERVER`: overrides the saved server for any command. */
  server: string | undefined;
  /** `SQUIRRELBIN_KEY`: overrides the saved key for any command. */
  key: string | undefined;
  /** `$XDG_CONFIG_HOME/squirrelbin` (default `~/.config/squirrelbin`): config.json and state.json. */
  configDir: string;
  /** `NO_COLOR` set (to anything but ''): no colour anywhere. */
  noColor: boolean;
  /** Where relative file names are read from: the caller's directory, also under `npm run cli` (which moves to the repo). */
  cwd: string;
}

/** Environment values are strings or absent, so there is nothing to parse: each is checked where it is used. */
export function readSettings(e: NodeJS.ProcessEnv, cwd: string): Settings {
  // The XDG spec: a relative value is invalid and must be ignored.
  const configHome =
    e.XDG_CONFIG_HOME && isAbsolute(e.XDG_CONFIG_HOME) ? e.XDG_CONFIG_HOME : join(e.HOME || homedir(), '.config');
  return {
    server: e.SQUIRRELBIN_SERVER?.trim() || undefined,
    key: e.SQUIRRELBIN_KEY?.trim() || undefined,
    configDir: join(configHome, 'squirrelbin'),
    noColor: e.NO_COLOR !== undefined && e.NO_COLOR !== '',
    // `npm run cli` runs in the repo root; npm says where it was started in INIT_CWD.
    cwd: e.npm_lifecycle_event === 'cli' && e.INIT_CWD && isAbsolute(e.INIT_CWD) ? e.INIT_CWD : cwd,
  };
}
