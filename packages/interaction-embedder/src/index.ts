/** @meta-id/interaction-embedder (under construction). */
export const PACKAGE_NAME = '@meta-id/interaction-embedder';
