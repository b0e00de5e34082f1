/** @meta-id/token-clusterer (under construction). */
export const PACKAGE_NAME = '@meta-id/token-clusterer';
