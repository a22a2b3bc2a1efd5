import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// Native and runtime-only modules stay external: `cap` is a native addon that must be
// rebuilt for Electron's ABI and unpacked from the asar, never bundled.
const nodeExternals = ['cap', 'ws', '@resvg/resvg-js', 'electron']

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        external: nodeExternals,
        // The capture helper is its own entry: it runs in a separate process (the only one that
        // needs capture rights), started with the Electron binary in ELECTRON_RUN_AS_NODE mode.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'capture-helper': resolve(__dirname, 'src/main/capture/helper.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        external: ['electron'],
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    },
    plugins: [vue()]
  }
})
