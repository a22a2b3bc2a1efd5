#!/usr/bin/env node
// The `wirenote` command (CLI and headless server) runs the TypeScript sources under plain
// Node through tsx, so it needs neither Electron nor a prior build.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
