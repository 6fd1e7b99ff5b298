"""Operations: the page cache, rate limits, middleware and health checks."""
