/** @meta-id/llm-finetuner (under construction). */
export const PACKAGE_NAME = '@meta-id/llm-finetuner';
