import packageJson from "../package.json" with { type: "json" };

/** The etude version, recorded in every results document. */
export const ETUDE_VERSION: string = packageJson.version;
