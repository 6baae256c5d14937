import { buildModules } from '../src/build.ts';

export default async function setup() {
  await buildModules();
}
