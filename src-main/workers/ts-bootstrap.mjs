// Worker entry used when the real entry is TypeScript (development, tests, the CLI): Node 20
// does not apply --import loaders to a worker's entry module, so the tsx loader is
// registered here, inside the worker, before the entry is imported.
import { register } from 'tsx/esm/api';

register();
const entry = process.argv[process.argv.length - 1];
await import(entry);
