import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('wirenote', {})
