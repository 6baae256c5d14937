import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Loading } from '../components/query-status';
import { ExploreRoute } from './routes/explore';

// Everything but Explore loads on demand: the editor (and the embed view) pulls in CodeMirror, the admin page uPlot.
const AcornRoute = lazy(() => import('./routes/acorn'));
const NewAcornRoute = lazy(() => import('./routes/new-acorn'));
const ScratchRoute = lazy(() => import('./routes/scratch'));
const MineRoute = lazy(() => import('./routes/mine'));
const SettingsRoute = lazy(() => import('./routes/settings'));
const AdminRoute = lazy(() => import('./routes/admin'));
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
        <Route path="/a/:id">{(params) => <AcornRoute key={params.id} id={params.id} />}</Route>
        <Route path="/embed/:id">{(params) => <EmbedRoute key={params.id} id={params.id} />}</Route>
        <Route path="/scratch" component={ScratchRoute} />
        <Route path="/mine" component={MineRoute} />
        <Route path="/settings" component={SettingsRoute} />
        <Route path="/admin" component={AdminRoute} />
        <Route component={NotFoundRoute} />
      </Switch>
    </Suspense>
  );
}
