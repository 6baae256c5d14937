import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading';
import { ModulesReference } from '../../features/modules/components/modules-reference';

/** `/modules`: what an acorn may import, as a page of its own (the editor opens the same reference in a dialog). */
export default function ModulesRoute() {
  useEffect(() => {
    document.title = 'Modules · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <PageHeading>Modules you can import</PageHeading>
      </div>
      <ModulesReference />
    </div>
  );
}
