"""The core: reading, models, checks, the repository, safe writing, caches, errors."""
