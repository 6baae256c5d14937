/**
 * The SquirrelBin AWS deployment as CDK constructs.
 * @module
 */
export { Api, endpointTag, routeKey, routeKeys } from './api.ts';
export { Jobs, jobsWorkerAccess, jobTimeouts } from './jobs.ts';
export { jobsWorker, lambdaBundleSettings, lambdaEntry, shippedArtifacts, shippedFiles } from './lambda-bundle.ts';
export { Observability } from './observability.ts';
export { defaultSettings, readSettings, type Settings } from './settings.ts';
export { SquirrelBinStack, type SquirrelBinStackProps } from './stack.ts';
export { Tables } from './tables.ts';
export { Web } from './web.ts';
