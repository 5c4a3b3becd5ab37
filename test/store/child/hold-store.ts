/**
 * Child process for test/store/pglite-lock.test.ts: opens the embedded store
 * in the directory given as argv[2], prints "ready <pid>" and holds it until
 * killed. Run with `node --import tsx`.
 */
import { openStore } from '../../../src/store/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-store.ts <dataDir>');
await openStore({ dataDir: dir });
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => {}, 60_000);
