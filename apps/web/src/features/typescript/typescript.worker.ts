/**
 * The type-check worker: TypeScript's language service off the main thread. Started by ./client.ts the first time
 * a TypeScript acorn is open in an editor; it and the compiler it bundles are never part of a page's first load.
 */
import { createAcornLanguageService } from './language-service';
import type { TsRequestMessage, TsResponseMessage } from './protocol';

const service = createAcornLanguageService();

function handle(message: TsRequestMessage): unknown {
  switch (message.type) {
    case 'diagnostics':
      return service.diagnostics(message.args.file, message.args.text);
    case 'quickInfo':
      return service.quickInfo(message.args.file, message.args.text, message.args.pos);
    case 'completions': {
      const { file, text, pos, triggerCharacter } = message.args;
      return service.completions(file, text, pos, triggerCharacter);
    }
    case 'completionDetails': {
      const { file, text, pos, name, source, data } = message.args;
      return service.completionDetails(file, text, pos, name, source, data);
    }
    case 'declareModules':
      service.declareModules(message.args.text);
      return null;
    case 'close':
      service.close(message.args.file);
      return null;
  }
}

self.onmessage = (event: MessageEvent<TsRequestMessage>) => {
  const message = event.data;
  let response: TsResponseMessage;
  try {
    response = { id: message.id, ok: true, result: handle(message) };
  } catch (error) {
    response = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
};
