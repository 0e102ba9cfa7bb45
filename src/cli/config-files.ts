/**
 * The config file's names, looked for in the project root (the working directory); at most one may
 * exist. Kept apart from the loader so that a project without one never loads the YAML parsers.
 */
export const CONFIG_FILES = ['protoflow.config.yaml', 'protoflow.config.yml', 'protoflow.config.json'] as const;
