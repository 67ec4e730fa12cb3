// Types of the `sellkit` package for ES modules (`import`): the same declarations as the
// CommonJS entry (index.d.ts), as index.mjs re-exports the same objects.
export * from './index.js';
import sellkit from './index.js';
export default sellkit;
