/**
 * File-system edge of @meta-id/vocab-extender (Node only): the artifact
 * directory (tokenizer.json, tokenizer_config.json, safetensors, manifest)
 * and safetensors files.
 */
export * from './artifacts.js';
