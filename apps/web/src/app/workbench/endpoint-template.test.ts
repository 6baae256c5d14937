import { describe, expect, it } from 'vitest';
import { endpointTemplates, isEndpointTemplate } from '../../features/endpoints/endpoint-template';
import { createAcornLanguageService } from '../../features/typescript/language-service';

// Here, where the app meets both features: the template must check cleanly in the editor's TypeScript tooling.
describe('the endpoint templates', () => {
  it('type-check without an error against the acorn globals', () => {
    const service = createAcornLanguageService();
    const problems = service.diagnostics('/endpoint.ts', endpointTemplates.typescript);
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('route on the path below /x/{id}, in both languages', () => {
    for (const code of Object.values(endpointTemplates)) {
      expect(code).toContain('export default async function handle(request');
      expect(code).toContain('new URL(request.url)');
      expect(code).toContain('Response.json(');
      expect(isEndpointTemplate(code)).toBe(true);
    }
    expect(isEndpointTemplate('export default () => 1')).toBe(false);
  });
});
