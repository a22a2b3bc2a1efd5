// Registers the transport- and application-layer dissectors (imported for their side effects).
export {}
