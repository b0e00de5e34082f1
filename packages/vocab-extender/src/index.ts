/** @meta-id/vocab-extender (under construction). */
export const PACKAGE_NAME = '@meta-id/vocab-extender';
