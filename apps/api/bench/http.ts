/** The benches' HTTP client: node:http with one keep-alive agent, the body read as text. */
import { Agent, request } from 'node:http';

export function httpClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (url: string, method: string, headers: Record<string, string>, body?: string) => {
    const { hostname, port, pathname, search } = new URL(url);
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path: pathname + search,
          method,
          agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
  return { send, close: () => agent.destroy() };
}
