// Registers the link- and network-layer dissectors (imported for their side effects).
export {}
