import { AcornWorkbench } from '../workbench/acorn-workbench';

export default function NewAcornRoute() {
  return <AcornWorkbench />;
}
