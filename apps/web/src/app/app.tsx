import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Router } from 'wouter';
import { guardedNavigation } from '../lib/navigation-guard';
import { createQueryClient } from '../lib/query-client';
import { Layout } from './layout';
import { AppRouter } from './router';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Router aroundNav={guardedNavigation}>
        <Layout>
          <AppRouter />
        </Layout>
      </Router>
    </QueryClientProvider>
  );
}
