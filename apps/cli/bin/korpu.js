#!/usr/bin/env node
// The `korpu` command (package.json "bin", `npm run korpu -- ...`): runs apps/cli/src/main.ts through swc.
'use strict';
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '../../../tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
