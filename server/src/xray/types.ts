// Plain data that the image X-ray produces: what each layer of a built image added, what of it is
// wasted, and known waste in the final filesystem, mapped back to Dockerfile lines where possible.
// The CLI prints it (`xray --json`), the editor turns it into CodeLenses, diagnostics and a panel table,
// so it holds only JSON values.

/** How the engine laid out its export. */
export type ArchiveLayout =
  /** `docker save` with the classic store, `podman save` (docker-archive): manifest.json + <id>/layer.tar. */
  | 'docker-archive'
  /** OCI image layout: index.json + blobs/sha256/… (containerd store's `docker save`, `podman save --format oci-archive`). */
  | 'oci';

export type Engine = 'docker' | 'podman';

export interface XrayLayer {
  /** 0-based, oldest first (the order of RootFS.Layers / the manifest's layers). */
  index: number;
  /** The layer's diff id (sha256 of the uncompressed tar), when the archive states it. */
  diffId?: string;
  /** The history's CREATED BY text of the entry that made this layer (untrusted: escape before display). */
  createdBy: string;
  /** 1-based Dockerfile line that made this layer, when known (FROM line for base-image layers). */
  line?: number;
  /** Instruction keyword of that line (RUN, COPY, …), when known. */
  instruction?: string;
  /** True for layers inherited from the base image. */
  fromBaseImage: boolean;
  /** Sum of the sizes of the regular files (and symlink targets' text) in this layer's tar. */
  addedBytes: number;
  /** Entries in this layer's tar (files, folders, links, whiteouts). */
  entries: number;
  /** Bytes of this layer's files that a later layer overwrites or deletes: never in the final filesystem. */
  wastedBytes: number;
  /** Bytes of earlier layers' files this layer hides by a whiteout (deletes) or by writing the same path. */
  hidesBytes: number;
  /** Whiteouts in this layer (`.wh.<name>` and opaque `.wh..wh..opq`). */
  whiteouts: number;
}

export type KnownWasteKind =
  | 'apt-lists'
  | 'apt-cache'
  | 'apk-cache'
  | 'dnf-cache'
  | 'pip-cache'
  | 'npm-cache'
  | 'yarn-cache'
  | 'pnpm-store'
  | 'go-build-cache'
  | 'go-mod-cache'
  | 'maven-repository'
  | 'gradle-cache'
  | 'cargo-registry'
  | 'pycache'
  | 'git-folder'
  | 'test-folders'
  | 'source-maps'
  | 'toolchain'
  | 'node-dev-dependencies';

/** What the X-ray measured that a user can act on, tied to the layer (and line) that put the bytes there. */
export type XrayFinding =
  | {
      kind: 'known-waste';
      waste: KnownWasteKind;
      /** The folder or file pattern found, as a path in the image (e.g. /var/lib/apt/lists). */
      path: string;
      bytes: number;
      files: number;
      /** The layer that added most of these bytes. */
      layerIndex: number;
      line?: number;
      /** The static rule whose fix removes this waste, when there is one (e.g. apt-lists-not-removed). */
      ruleId?: string;
      message: string;
    }
  | {
      /** Files a later layer overwrote or deleted: the bytes stay in the earlier layer. */
      kind: 'overwritten' | 'deleted';
      /** The layer whose bytes are wasted. */
      layerIndex: number;
      line?: number;
      /** The layer that overwrote or deleted them. */
      byLayerIndex: number;
      byLine?: number;
      bytes: number;
      files: number;
      /** Up to 5 of the largest paths, for the message. */
      examples: string[];
      ruleId?: string;
      message: string;
    }
  | {
      /** Identical content (same size and digest) stored more than once across layers or paths. */
      kind: 'duplicate';
      layerIndex: number;
      line?: number;
      /** Bytes that a single copy would save. */
      bytes: number;
      files: number;
      examples: string[];
      message: string;
    };

/** Everything measured for one Dockerfile line (its layers summed). */
export interface XrayLine {
  line: number;
  instruction: string;
  addedBytes: number;
  wastedBytes: number;
  layers: number[];
}

export interface XrayReport {
  /** The image as the user named it (tag or id). */
  image: string;
  imageId: string;
  engine: Engine;
  layout: ArchiveLayout;
  /** Dockerfile the lines refer to, when known (workspace-relative or as given on the command line). */
  dockerfile?: string;
  target?: string;
  /** Σ addedBytes over all layers: what the image weighs unpacked. */
  totalBytes: number;
  /** Σ wastedBytes: bytes stored in layers that are not in the final filesystem. */
  wastedBytes: number;
  /** wastedBytes of layers not from the base image, over totalBytes of those layers (0..1). */
  userWastedRatio: number;
  /** Bytes of the final filesystem (what a single flattened layer would hold). */
  finalBytes: number;
  /** dive's efficiency: Σ smallest size per path ÷ Σ all sizes of that path across layers (1 when empty). */
  efficiency: number;
  /** dive's wasted bytes: Σ cumulative size of every path that appears in more than one layer. */
  diveWastedBytes: number;
  layers: XrayLayer[];
  lines: XrayLine[];
  findings: XrayFinding[];
  /** ISO time the analysis finished, and how long reading the export took. */
  analysedAt: string;
  seconds: number;
}

/** Budgets that make `multistage xray` fail (CLI flags or the config file). */
export interface XrayBudgets {
  maxSizeBytes?: number;
  maxWastedBytes?: number;
  minEfficiency?: number;
}
