/** What an acorn may import and how: the bundled modules (`GET /api/modules`), the import forms, the limits. */
import { ErrorMessage, Loading } from '../../../components/query-status';
import { useModules } from '../api/list-modules';
import { moduleSubpaths } from '../module-subpaths';

/** Per-run limits on imported acorns (DESIGN.md, Limits). */
const importLimits = { depth: 8, acornSourceKib: 512 };

export function ModulesReference({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const modules = useModules();
  const Heading = `h${headingLevel}` as const;
  return (
    <div className="modules-reference" data-testid="modules-reference">
      <p>
        An acorn can <code>import</code> the npm packages below, which ship inside SquirrelBin, and other acorns.
        Nothing is fetched at run time: the packages were bundled when SquirrelBin was built, at the versions shown.
      </p>
      <Heading>How to import</Heading>
      <ul className="modules-howto">
        <li>
          Statically, <code>{"import { z } from 'zod'"}</code>, or dynamically, anywhere in the code,{' '}
          <code>{"const { default: ms } = await import('ms')"}</code>, in JavaScript and TypeScript acorns alike.
        </li>
        <li>
          Subpaths: <code>{moduleSubpaths['date-fns']?.anyExport?.example}</code> and{' '}
          <code>{moduleSubpaths['lodash-es']?.anyExport?.example}</code> (any export of date-fns or lodash-es),{' '}
          {moduleSubpaths.dayjs?.listed?.map((subpath, index) => (
            <span key={subpath}>
              {index > 0 ? ', ' : ''}
              <code>{subpath}</code>
            </span>
          ))}
          , and <code>zod/v4</code>.
        </li>
        <li>
          Another acorn: <code>{"import greet from 'acorn:{id}'"}</code> takes its current version;{' '}
          <code>{"'acorn:{id}@{version}'"}</code> pins a revision. You may import any acorn you may read (public,
          unlisted, or your own); it runs inside your run, under its limits.
        </li>
        <li>
          Limits per run: imports nest at most {importLimits.depth} deep, and the imported acorns’ source adds up to at
          most {importLimits.acornSourceKib} KiB. An unknown specifier, an acorn that cannot be read, or an import cycle
          ends the run with an error at the import’s line.
        </li>
        <li>
          In the editor, type inside the quotes of an import to complete module names (and <code>acorn:</code> with your
          acorns). Imports are typed as <code>any</code> by the TypeScript checker.
        </li>
      </ul>
      <Heading>Modules</Heading>
      {modules.isPending ? <Loading label="Loading the modules…" /> : null}
      {modules.isError ? <ErrorMessage error={modules.error} title="Could not load the modules" /> : null}
      {modules.data ? (
        <div className="table-wrap">
          <table className="metrics-table modules-table" data-testid="modules-table">
            <caption className="visually-hidden">Importable modules</caption>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Version</th>
                <th scope="col">Description</th>
                <th scope="col">License</th>
                <th scope="col" className="num">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {modules.data.items.map((item) => (
                <tr key={item.name} data-testid="module-row" data-name={item.name}>
                  <th scope="row">
                    <code>{item.name}</code>
                  </th>
                  <td data-testid="module-version">{item.version}</td>
                  <td>{item.description}</td>
                  <td>{item.license}</td>
                  <td className="num">{formatSize(item.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}
