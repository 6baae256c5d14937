import { usePrefetchQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Loading } from '../components/query-status';
import { getAcornQueryOptions } from '../features/acorns/api/get-acorn';
import { ExploreRoute } from './routes/explore';

// Everything but Explore loads on demand: the editor (and the embed view) pulls in CodeMirror, the admin page uPlot.
const AcornRoute = lazy(() => import('./routes/acorn'));
const NewAcornRoute = lazy(() => import('./routes/new-acorn'));
const ScratchRoute = lazy(() => import('./routes/scratch'));
const MineRoute = lazy(() => import('./routes/mine'));
const SettingsRoute = lazy(() => import('./routes/settings'));
const AdminRoute = lazy(() => import('./routes/admin'));
const ModulesRoute = lazy(() => import('./routes/modules'));
const EmbedRoute = lazy(() => import('./routes/embed'));
const NotFoundRoute = lazy(() => import('./routes/not-found'));

export function AppRouter() {
  return (
    <Suspense
      fallback={
        <div className="page route-loading">
          <Loading label="Loading page…" />
        </div>
      }
    >
      <Switch>
        <Route path="/" component={ExploreRoute} />
        <Route path="/new" component={NewAcornRoute} />
        <Route path="/a/:id">
          {(params) => (
            <WithAcorn key={params.id} id={params.id}>
              <AcornRoute id={params.id} />
            </WithAcorn>
          )}
        </Route>
        <Route path="/embed/:id">
          {(params) => (
            <WithAcorn key={params.id} id={params.id}>
              <EmbedRoute id={params.id} />
            </WithAcorn>
          )}
        </Route>
        <Route path="/scratch" component={ScratchRoute} />
        <Route path="/mine" component={MineRoute} />
        <Route path="/settings" component={SettingsRoute} />
        <Route path="/admin" component={AdminRoute} />
        <Route path="/modules" component={ModulesRoute} />
        <Route component={NotFoundRoute} />
      </Switch>
    </Suspense>
  );
}

/**
 * A route that shows one acorn asks for it as soon as it matches, while its lazy chunk (CodeMirror) is still
 * downloading: rendered above the suspending page, this runs before the page's chunk has arrived, and the page's
 * `useAcorn` joins the request in flight. (index.html starts that chunk's download early too: see
 * scripts/route-preload.ts.)
 */
function WithAcorn({ id, children }: { id: string; children: ReactNode }) {
  usePrefetchQuery(getAcornQueryOptions(id));
  return children;
}
