"""Read and validate config.yml, the one file a forker edits; every default is in defaults.yml."""

from digest.config.settings import Config, ConfigError, load_config

__all__ = ["Config", "ConfigError", "load_config"]
