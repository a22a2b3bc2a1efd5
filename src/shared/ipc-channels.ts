// Electron IPC channel names shared by the preload and the main process.
export const IPC_INVOKE = 'wirenote:invoke'
export const IPC_EVENT = 'wirenote:event'
