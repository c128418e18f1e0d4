// Deliberately not a module. The per-layer tsconfigs (server/src/analysis, server, client) map the
// packages a layer must not import to this file through "paths", so such an import fails to compile
// with TS2306 "File '…/forbiddenImport.d.ts' is not a module". The per-layer tsconfigs name what each layer may not import.
