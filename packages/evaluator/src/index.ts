/** @meta-id/evaluator (under construction). */
export const PACKAGE_NAME = '@meta-id/evaluator';
