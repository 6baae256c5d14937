import { listModules } from '../routes/list-modules.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listModules);
