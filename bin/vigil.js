#!/usr/bin/env node
// Entry point for `npx vigil`. Sources are TypeScript run through tsx's loader,
// so a fresh `npm ci` needs no build step and never runs stale output.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
